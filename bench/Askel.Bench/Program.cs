using System.Diagnostics;
using System.Globalization;
using Askel.Bench;
using Askel.Runtime.Calendar;
using Askel.Runtime.Definitions;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Askel.Runtime.Storage;
using Askel.Runtime.Store;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;

// Askel.Bench: raw Azurite entity-group transactions per second against the engine's applied
// transitions per second, at the same concurrency, against one in-memory Azurite started here.
var settings = BenchSettings.Parse(args);
if (settings is null)
{
    Console.Error.WriteLine("usage: Askel.Bench [--instances N] [--concurrency N] [--quick] [--engine-shaped-raw]");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;

Console.WriteLine(Inv($"Askel.Bench: {settings.Instances} instances, {settings.Concurrency} in flight, {Environment.ProcessorCount} cores, .NET {Environment.Version}"));
await using var azurite = await AzuriteServer.StartAsync(AzuritePorts.Free(), dataPath: null, [AppContext.BaseDirectory, Directory.GetCurrentDirectory()], ct);
var account = azurite.Account;
var storageProcess = StorageProcess.Find();

// ---- 1. BASELINE: raw entity-group transactions, shaped like one transition's commit. ----
var rawCounter = new RequestCounter();
var rawTable = new TableClient(account.ConnectionString, "benchraw", CountingOptions(rawCounter));
await rawTable.CreateIfNotExistsAsync(ct);
var stateText = new string('s', 1000);

// --engine-shaped-raw: the requests a ping transition makes now, without the runtime — the state
// row replaced (it exists: created before the measured phase, as the engine's instances are), and
// the effect row of an earlier operation in the same shard deleted in the same transaction, as a
// completion riding along does. Only a diagnostic: it separates the storage pattern from the runtime.
var earlierEffects = new Dictionary<string, Queue<string>>(StringComparer.Ordinal);

async Task<bool> RawOpAsync(string id)
{
    var shard = Shards.Of(id);
    TableTransactionAction[] actions =
    [
        new(settings.EngineShapedRaw ? TableTransactionActionType.UpdateReplace : TableTransactionActionType.UpsertReplace, new TableEntity(shard, "a|" + id)
        {
            ["Workflow"] = "pingpong",
            ["Status"] = "Waiting",
            ["Step"] = "listen",
            ["State0"] = stateText,
        }),
        new(TableTransactionActionType.Add, new TableEntity(shard, "b|" + id + "|1") { ["Kind"] = "event", ["Detail"] = "ping" }),
        new(TableTransactionActionType.Add, new TableEntity(shard, "x|" + id + "|1") { ["Kind"] = "message", ["Payload"] = "{}" }),
    ];
    if (settings.EngineShapedRaw)
    {
        lock (earlierEffects)
        {
            if (earlierEffects.TryGetValue(shard, out var earlier) && earlier.TryDequeue(out var effectRow))
            {
                actions = [.. actions, new(TableTransactionActionType.Delete, new TableEntity(shard, effectRow), Azure.ETag.All)];
            }
        }
    }

    var response = await rawTable.SubmitTransactionAsync(actions, ct);
    if (settings.EngineShapedRaw)
    {
        lock (earlierEffects)
        {
            if (!earlierEffects.TryGetValue(shard, out var earlier))
            {
                earlierEffects[shard] = earlier = new Queue<string>();
            }

            earlier.Enqueue("x|" + id + "|1");
        }
    }

    return response.Value.Count == actions.Length;
}

// Warm up the client, the JIT and Azurite's code paths on rows that are not measured.
var warmup = Math.Min(500, settings.Instances);
if (settings.EngineShapedRaw)
{
    // The state rows the measured operations replace exist already, as the engine's instances do.
    await Load.RunAsync(warmup + settings.Instances, settings.Concurrency, async i =>
    {
        var id = i < warmup ? Inv($"warm-{i:D7}") : Inv($"raw-{i - warmup:D7}");
        await rawTable.AddEntityAsync(new TableEntity(Shards.Of(id), "a|" + id) { ["Workflow"] = "pingpong", ["State0"] = stateText }, ct);
        return true;
    }, ct);
}

await Load.RunAsync(warmup, settings.Concurrency, i => RawOpAsync(Inv($"warm-{i:D7}")), ct);

// ---- 2. ENGINE: applied transitions of a ping loop (waitFor ping -> send -> waitFor ping). ----
var engineCounter = new RequestCounter();
var tableOptions = CountingOptions(engineCounter);
var instancesTable = new TableClient(account.ConnectionString, "benchinstances", tableOptions);
var definitionsTable = new TableClient(account.ConnectionString, "benchdefinitions", tableOptions);
var store = new InstanceStore(instancesTable);
await store.CreateAsync(ct);
var workflow = PingLoop();
var definitions = new DefinitionStore(definitionsTable, name => name == workflow.Name ? workflow : null, (_, _) => workflow);
await definitions.CreateAsync(ct);
var engine = new WorkflowEngine(
    store, definitions, new NoOpEffects(), TimeProvider.System, new EngineOptions { StoragePrefix = "bench" }, NullLogger<WorkflowEngine>.Instance);

// Setup, not measured: start every instance.
var startFailures = 0;
var started = await Load.RunAsync(settings.Instances, settings.Concurrency, async i =>
{
    var outcome = await engine.StartAsync(workflow.Name, InstanceId(i), [], ct);
    if (outcome.Status != ApplyStatus.Applied)
    {
        Interlocked.Increment(ref startFailures);
        return false;
    }

    return true;
}, ct);
Console.WriteLine(Inv($"setup: started {settings.Instances - started.Failures} instances in {started.Seconds:0.0} s ({started.OpsPerSecond:0} starts/s)"));

// Measured: the two phases alternate in slices, so load from other processes on this shared
// machine falls on both alike; each phase's time is the sum of its slices.
const int Rounds = 5;
var me = Process.GetCurrentProcess();
var rawSlices = new List<RunResult>();
var engineSlices = new List<RunResult>();
TimeSpan rawCpu = default, engineCpu = default, rawStorageCpu = default, engineStorageCpu = default;
rawCounter.Reset();
engineCounter.Reset();
for (var round = 0; round < Rounds; round++)
{
    var from = settings.Instances * round / Rounds;
    var count = (settings.Instances * (round + 1) / Rounds) - from;
    me.Refresh();
    var cpu = me.TotalProcessorTime;
    var storageCpu = StorageProcess.Cpu(storageProcess);
    rawSlices.Add(await Load.RunAsync(count, settings.Concurrency, i => RawOpAsync(Inv($"raw-{from + i:D7}")), ct));
    me.Refresh();
    rawCpu += me.TotalProcessorTime - cpu;
    rawStorageCpu += StorageProcess.Cpu(storageProcess) - storageCpu;
    cpu = me.TotalProcessorTime;
    storageCpu = StorageProcess.Cpu(storageProcess);
    engineSlices.Add(await Load.RunAsync(count, settings.Concurrency, async i =>
    {
        var id = from + i;
        var outcome = await engine.RaiseEventAsync(InstanceId(id), "ping", null, Inv($"ping-{id}-1"), ct);
        return outcome.Status == ApplyStatus.Applied;
    }, ct));
    me.Refresh();
    engineCpu += me.TotalProcessorTime - cpu;
    engineStorageCpu += StorageProcess.Cpu(storageProcess) - storageCpu;
}

var raw = RunResult.Combine(rawSlices);
var engineRun = RunResult.Combine(engineSlices);
var rawRequests = rawCounter.Snapshot();
var engineRequests = engineCounter.Snapshot();

GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
GC.WaitForPendingFinalizers();
var managedBytes = GC.GetTotalMemory(forceFullCollection: true);
var workingSet = Environment.WorkingSet;

// ---- Report ----
Console.WriteLine();
Console.WriteLine(Inv($"{"phase",-8} {"ops",8} {"failed",7} {"seconds",8} {"ops/s",9} {"p50 ms",8} {"p99 ms",8} {"bench CPU ms/op",16} {"Azurite CPU ms/op",18}"));
Console.WriteLine(new string('-', 98));
foreach (var (name, run, cpu, storageCpu) in new[] { ("raw", raw, rawCpu, rawStorageCpu), ("engine", engineRun, engineCpu, engineStorageCpu) })
{
    Console.WriteLine(Inv($"{name,-8} {run.Ops,8} {run.Failures,7} {run.Seconds,8:0.00} {run.OpsPerSecond,9:0.0} {run.Percentile(0.50),8:0.00} {run.Percentile(0.99),8:0.00} {cpu.TotalMilliseconds / run.Ops,16:0.000} {(storageProcess is null ? "n/a" : (storageCpu.TotalMilliseconds / run.Ops).ToString("0.000", CultureInfo.InvariantCulture)),18}"));
}

Console.WriteLine();
Console.WriteLine("storage requests per operation (measured phase):");
Console.WriteLine(Inv($"{"phase",-8} {"reads",7} {"txns",7} {"deletes",8} {"writes",7} {"other",7}"));
foreach (var (name, requests, ops) in new[] { ("raw", rawRequests, raw.Ops), ("engine", engineRequests, engineRun.Ops) })
{
    Console.WriteLine(Inv($"{name,-8} {requests.Reads / (double)ops,7:0.00} {requests.Transactions / (double)ops,7:0.00} {requests.Deletes / (double)ops,8:0.00} {requests.Writes / (double)ops,7:0.00} {requests.Other / (double)ops,7:0.00}"));
}

Console.WriteLine();
Console.WriteLine(Inv($"memory after engine phase: managed {managedBytes / 1048576.0:0.0} MiB (GC.GetTotalMemory after full collect), working set {workingSet / 1048576.0:0.0} MiB"));
if (startFailures + engineRun.Failures + raw.Failures > 0)
{
    Console.WriteLine(Inv($"FAILURES: {raw.Failures} raw, {startFailures} starts, {engineRun.Failures} transitions not Applied"));
}

var ratio = engineRun.OpsPerSecond / raw.OpsPerSecond;
Console.WriteLine(Inv($"engine/raw ratio: {ratio:0.00}"));
return engineRun.Failures + raw.Failures + startFailures == 0 ? 0 : 1;

static string InstanceId(int i) => Inv($"ping-{i:D7}");

static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

static TableClientOptions CountingOptions(RequestCounter counter)
{
    var options = new TableClientOptions();
    options.AddPolicy(counter, HttpPipelinePosition.PerCall);
    return options;
}

static WorkflowDefinition PingLoop()
{
    var here = new SourceLocation("bench.yaml", 1, 1);
    Step[] steps =
    [
        new WaitForEventStep("listen", here, "ping", null, null, null, "reply"),
        new SendStep("reply", here, "pong", null, false, "listen"),
    ];
    return new WorkflowDefinition(
        "pingpong", "v1", new LocalizedText(new Dictionary<string, string> { ["en"] = "Ping loop" }), ["en"],
        new CalendarPolicy(TimeZoneInfo.Utc, new TimeOnly(0, 0), new TimeOnly(0, 0), SkipHolidays: false),
        ["sms"], steps[0].Id, steps.ToDictionary(s => s.Id), "workflow: pingpong # bench");
}

namespace Askel.Bench
{
    /// <summary>Command-line settings.</summary>
    internal sealed record BenchSettings(int Instances, int Concurrency, bool EngineShapedRaw)
    {
        public static BenchSettings? Parse(string[] args)
        {
            var instances = 10_000;
            var concurrency = 32;
            var engineShapedRaw = false;
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--engine-shaped-raw":
                        engineShapedRaw = true;
                        break;
                    case "--quick":
                        instances = 1_000;
                        break;
                    case "--instances" when Arguments.PositiveAfter(args, i, out var n):
                        instances = n;
                        i++;
                        break;
                    case "--concurrency" when Arguments.PositiveAfter(args, i, out var c):
                        concurrency = c;
                        i++;
                        break;
                    default:
                        return null;
                }
            }

            return new BenchSettings(instances, concurrency, engineShapedRaw);
        }
    }

    /// <summary>An effect handler that does nothing and succeeds, so only the runtime is measured.</summary>
    internal sealed class NoOpEffects : IEffectHandler
    {
        public Task<EffectResult> HandleAsync(Effect effect, CancellationToken cancellationToken) => Task.FromResult(EffectResult.Done);
    }

    /// <summary>Counts storage requests by kind, once per logical call (retries are not counted twice).</summary>
    internal sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private long _reads;
        private long _transactions;
        private long _deletes;
        private long _writes;
        private long _other;

        public override void OnSendingRequest(HttpMessage message)
        {
            var request = message.Request;
            var path = request.Uri.Path;
            if (request.Method == RequestMethod.Post && path.EndsWith("$batch", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _transactions);
            }
            else if (request.Method == RequestMethod.Get)
            {
                Interlocked.Increment(ref _reads);
            }
            else if (request.Method == RequestMethod.Delete)
            {
                Interlocked.Increment(ref _deletes);
            }
            else if (request.Method == RequestMethod.Put || request.Method == RequestMethod.Patch || request.Method.Method == "MERGE")
            {
                Interlocked.Increment(ref _writes);
            }
            else
            {
                Interlocked.Increment(ref _other);
            }
        }

        public void Reset()
        {
            Interlocked.Exchange(ref _reads, 0);
            Interlocked.Exchange(ref _transactions, 0);
            Interlocked.Exchange(ref _deletes, 0);
            Interlocked.Exchange(ref _writes, 0);
            Interlocked.Exchange(ref _other, 0);
        }

        public RequestCounts Snapshot() =>
            new(Interlocked.Read(ref _reads), Interlocked.Read(ref _transactions), Interlocked.Read(ref _deletes), Interlocked.Read(ref _writes), Interlocked.Read(ref _other));
    }

    /// <summary>Storage requests of a phase.</summary>
    internal readonly record struct RequestCounts(long Reads, long Transactions, long Deletes, long Writes, long Other);

    /// <summary>One measured run: how long, how many failed, and each operation's latency.</summary>
    internal sealed record RunResult(int Ops, int Failures, double Seconds, double[] LatenciesMs)
    {
        public double OpsPerSecond => Ops / Seconds;

        public static RunResult Combine(IReadOnlyList<RunResult> slices) =>
            new(slices.Sum(s => s.Ops), slices.Sum(s => s.Failures), slices.Sum(s => s.Seconds), slices.SelectMany(s => s.LatenciesMs).ToArray());

        public double Percentile(double p)
        {
            var sorted = LatenciesMs.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
    }

    /// <summary>Runs operations 0..ops-1 with a fixed number in flight, timing each with Stopwatch.</summary>
    internal static class Load
    {
        public static async Task<RunResult> RunAsync(int ops, int concurrency, Func<int, Task<bool>> operation, CancellationToken cancellationToken)
        {
            var latencies = new double[ops];
            var next = -1;
            var failures = 0;
            var total = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, Math.Min(concurrency, ops)).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < ops)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var started = Stopwatch.GetTimestamp();
                    bool ok;
                    try
                    {
                        ok = await operation(i);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        Console.Error.WriteLine($"op {i} threw: {e.GetType().Name}: {e.Message}");
                        ok = false;
                    }

                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (!ok)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }, cancellationToken)).ToArray();
            await Task.WhenAll(workers);
            total.Stop();
            return new RunResult(ops, failures, total.Elapsed.TotalSeconds, latencies);
        }
    }
}
