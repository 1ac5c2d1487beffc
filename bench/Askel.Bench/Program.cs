using System.Diagnostics;
using System.Globalization;
using Askel.Bench;
using Askel.Runtime.Calendar;
using Askel.Runtime.Client;
using Askel.Runtime.Definitions;
using Askel.Runtime.Durable;
using Askel.Runtime.Durable.Local;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Askel.Runtime.Storage;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;

// Askel.Bench: the participant lifecycle's step, run by Askel's generic orchestrator, against the same step written
// by hand as a Durable orchestration, on the same task hub (the Durable Task Framework's Azure Storage backend on
// one in-memory Azurite started here); and raw three-entity transactions on the same Azurite, the storage's ceiling.
if (args is ["crash", .. var crashArgs])
{
    return await CrashBench.RunAsync(crashArgs);
}

if (args is ["timers", .. var timerArgs])
{
    return await TimersBench.RunAsync(timerArgs);
}

var settings = BenchSettings.Parse(args);
if (settings is null)
{
    Console.Error.WriteLine("usage: Askel.Bench [--instances N] [--rounds N] [--steps-per-execution N] [--concurrency N] [--quick]");
    return 2;
}

var orchestratorOptions = settings.StepsPerExecution is { } stepsPerExecution
    ? new DurableWorkflowOptions { StepsPerExecution = stepsPerExecution }
    : new DurableWorkflowOptions();
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;

Console.WriteLine(Inv($"Askel.Bench: {settings.Instances} instances per orchestrator, {settings.Rounds} steps each, {orchestratorOptions.StepsPerExecution} steps per execution, {settings.Concurrency} raises in flight, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load {StorageProcess.LoadAverage()}"));
await using var azurite = await AzuriteServer.StartAsync(AzuritePorts.Free(), dataPath: null, [AppContext.BaseDirectory, Directory.GetCurrentDirectory()], ct);
var account = azurite.Account;
var storageProcess = StorageProcess.Find();

// ---- Raw: entity-group transactions of 3 entities (a ~1 KB state row and 2 small adds), no read. ----
var rawCounter = new RequestCounter(azurite.Ports);
var rawTableOptions = new TableClientOptions();
rawTableOptions.AddPolicy(rawCounter, HttpPipelinePosition.PerCall);
var rawTable = new TableClient(account.ConnectionString, "benchraw", rawTableOptions);
await rawTable.CreateIfNotExistsAsync(ct);
var stateText = new string('s', 1000);

async Task<bool> RawOpAsync(string id)
{
    var partition = Inv($"s{(uint)StringComparer.Ordinal.GetHashCode(id) % 16:D2}");
    TableTransactionAction[] actions =
    [
        new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, "a|" + id) { ["Workflow"] = "pingpong", ["Status"] = "Waiting", ["State0"] = stateText }),
        new(TableTransactionActionType.Add, new TableEntity(partition, "b|" + id + "|1") { ["Kind"] = "event", ["Detail"] = "ping" }),
        new(TableTransactionActionType.Add, new TableEntity(partition, "x|" + id + "|1") { ["Kind"] = "message", ["Payload"] = "{}" }),
    ];
    var response = await rawTable.SubmitTransactionAsync(actions, ct);
    return response.Value.Count == actions.Length;
}

// ---- The task hub: both orchestrators on one worker, every storage request it makes counted. ----
var hubCounter = new RequestCounter(azurite.Ports);
var hubOptions = new LocalTaskHubOptions { TaskHub = "bench", MaxPollingInterval = TimeSpan.FromMilliseconds(100) };
var service = LocalTaskHub.AzureStorage(CountingClients(account.ConnectionString, hubCounter), hubOptions, NullLoggerFactory.Instance);
var workflow = PingLoop();
var definitions = new DefinitionStore(
    account.CreateTableServiceClient().GetTableClient("benchdefinitions"), name => name == workflow.Name ? workflow : null, (_, _) => workflow);
await definitions.CreateAsync(ct);
var inboxOptions = new TableClientOptions();
inboxOptions.AddPolicy(hubCounter, HttpPipelinePosition.PerCall);
var inbox = new SignalInbox(new TableClient(account.ConnectionString, "benchsignals", inboxOptions));
await inbox.CreateAsync(ct);
var pongs = new PongCounter();
await using var hub = await LocalTaskHub.StartAsync(
    service,
    new Dictionary<string, Func<ITaskOrchestrator>>
    {
        [WorkflowOrchestrator.Name] = () => new WorkflowOrchestrator(definitions, orchestratorOptions),
        [HandWrittenPingLoop.Name] = () => new HandWrittenPingLoop(orchestratorOptions.StepsPerExecution),
        [HandWrittenPingLoopWithInbox.Name] = () => new HandWrittenPingLoopWithInbox(orchestratorOptions.StepsPerExecution),
    },
    new Dictionary<string, Func<ITaskActivity>>
    {
        [EffectActivity.Name] = () => new EffectActivity(pongs),
        [InboxActivity.Name] = () => new InboxActivity(inbox),
        [HandWrittenPingLoop.Pong] = () => new PongActivity(pongs),
    },
    hubOptions,
    NullLoggerFactory.Instance);
var queues = new QueueServiceClient(account.ConnectionString); // not counted: only the benchmark's own idle checks
var workflows = new DurableWorkflowClient(hub.Client, definitions, inbox, TimeProvider.System);

// Setup, not measured: every instance started and at its first wait.
var setup = Stopwatch.StartNew();
await Load.RunAsync(settings.Instances, settings.Concurrency, async i =>
{
    await workflows.StartAsync(workflow.Name, AskelId(i), [], ct);
    await hub.Client.ScheduleNewOrchestrationInstanceAsync(HandWrittenPingLoop.Name, 0, new StartOrchestrationOptions(HandId(i)), ct);
    await hub.Client.ScheduleNewOrchestrationInstanceAsync(HandWrittenPingLoopWithInbox.Name, new List<string>(), new StartOrchestrationOptions(InboxId(i)), ct);
    return true;
}, ct);
await IdleAsync(queues, hubOptions.TaskHub, ct);
Console.WriteLine(Inv($"setup: started {3 * settings.Instances} instances in {setup.Elapsed.TotalSeconds:0.0} s"));
await Load.RunAsync(Math.Min(200, settings.Instances), settings.Concurrency, i => RawOpAsync(Inv($"warm-{i:D7}")), ct);

// Measured: every instance takes --rounds steps, one ping each round, and the phases alternate round by round, so
// that load from other processes on this shared machine falls on all alike. A round of a hub phase raises one ping to
// each of its instances and ends when every pong has run and the hub is idle again (each instance back at its wait).
// With as many rounds as an execution of Askel's orchestrator takes steps, the executions it continues as new, with
// their inbox reads, fall inside the measured part at their own rate.
var phases = new[] { new Phase("raw"), new Phase("askel"), new Phase("hand-written"), new Phase("hand+inbox") };
var count = settings.Instances;
for (var round = 1; round <= settings.Rounds; round++)
{
    var r = round;
    await phases[0].MeasureAsync(rawCounter, storageProcess, count, async () =>
        (await Load.RunAsync(count, settings.Concurrency, i => RawOpAsync(Inv($"raw-{r}-{i:D7}")), ct)).Failures);
    // The app's path: the typed client reads the status, keeps the signal in the inbox, raises it.
    await phases[1].MeasureAsync(hubCounter, storageProcess, count, () => StepAsync(count, i => workflows.RaiseAsync(
        AskelId(i), new NamedEvent("ping", [], Inv($"ping-{i}-{r}")), ct)));
    await phases[2].MeasureAsync(hubCounter, storageProcess, count, () => StepAsync(count, i => hub.Client.RaiseEventAsync(
        HandId(i), HandWrittenPingLoop.PingEvent, "ping", ct)));
    await phases[3].MeasureAsync(hubCounter, storageProcess, count, () => StepAsync(count, async i =>
    {
        var signal = new WorkflowSignal("ping", [], Inv($"ping-{i}-{r}"), TimeProvider.System.GetUtcNow());
        await inbox.WriteAsync(InboxId(i), signal, ct);
        await hub.Client.RaiseEventAsync(InboxId(i), WorkflowOrchestrator.SignalEvent, signal, ct);
    }));
}

async Task<int> StepAsync(int count, Func<int, Task> raise)
{
    var target = pongs.Count + count;
    var raised = await Load.RunAsync(count, settings.Concurrency, async i =>
    {
        await raise(i);
        return true;
    }, ct);
    while (pongs.Count < target)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, ct);
    }

    await IdleAsync(queues, hubOptions.TaskHub, ct);
    return raised.Failures;
}

// ---- Report ----
Console.WriteLine();
Console.WriteLine(Inv($"{"phase",-13} {"ops",6} {"failed",7} {"seconds",8} {"ops/s",8} {"bench CPU ms/op",16} {"Azurite CPU ms/op",18}"));
Console.WriteLine(new string('-', 82));
foreach (var phase in phases)
{
    var storageCpu = storageProcess is null ? "n/a" : (phase.StorageCpu.TotalMilliseconds / phase.Ops).ToString("0.000", CultureInfo.InvariantCulture);
    Console.WriteLine(Inv($"{phase.Name,-13} {phase.Ops,6} {phase.Failures,7} {phase.Seconds,8:0.00} {phase.OpsPerSecond,8:0.0} {phase.Cpu.TotalMilliseconds / phase.Ops,16:0.000} {storageCpu,18}"));
}

Console.WriteLine();
Console.WriteLine("storage requests per operation (an op is one transaction for raw, one step for the orchestrators):");
Console.WriteLine(Inv($"{"phase",-13} {"total",7} {"queue get",10} {"queue put",10} {"queue del",10} {"queue upd",10} {"table read",11} {"table write",12} {"table batch",12} {"blob",6}"));
foreach (var phase in phases)
{
    var r = phase.Requests;
    double Per(long n) => n / (double)phase.Ops;
    Console.WriteLine(Inv($"{phase.Name,-13} {Per(r.Total),7:0.00} {Per(r.QueueGets),10:0.00} {Per(r.QueuePuts),10:0.00} {Per(r.QueueDeletes),10:0.00} {Per(r.QueueUpdates),10:0.00} {Per(r.TableReads),11:0.00} {Per(r.TableWrites),12:0.00} {Per(r.TableBatches),12:0.00} {Per(r.Blob),6:0.00}"));
}

var failures = phases.Sum(p => p.Failures);
if (failures > 0)
{
    Console.WriteLine(Inv($"FAILURES: {string.Join(", ", phases.Select(p => $"{p.Failures} {p.Name}"))}"));
}

Console.WriteLine();
Console.WriteLine(Inv($"askel/raw ratio: {phases[1].OpsPerSecond / phases[0].OpsPerSecond:0.00} (steps/s against raw three-entity transactions/s)"));
Console.WriteLine(Inv($"askel/hand+inbox ratio: {phases[1].OpsPerSecond / phases[3].OpsPerSecond:0.00} (the interpreter's own cost: both keep signals in an inbox)"));
Console.WriteLine(Inv($"askel/hand-written ratio: {phases[1].OpsPerSecond / phases[2].OpsPerSecond:0.00}"));
return failures == 0 ? 0 : 1;

static string AskelId(int i) => Inv($"askel-{i:D6}");

static string HandId(int i) => Inv($"hand-{i:D6}");

static string InboxId(int i) => Inv($"inbox-{i:D6}");

static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

// Twice quiet in a row: a work item that just completed has sent what it sends before deleting what it took.
static async Task IdleAsync(QueueServiceClient queues, string taskHub, CancellationToken ct)
{
    var quiet = 0;
    while (quiet < 2)
    {
        quiet = await Askel.Testing.TaskHubQueues.AnyMessagesAsync(queues, taskHub, partitions: 4, ct) ? 0 : quiet + 1;
        await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, ct);
    }
}

static StorageAccountClientProvider CountingClients(string connectionString, RequestCounter counter)
{
    var blob = new BlobClientOptions();
    blob.AddPolicy(counter, HttpPipelinePosition.PerCall);
    var queue = new QueueClientOptions();
    queue.AddPolicy(counter, HttpPipelinePosition.PerCall);
    var table = new TableClientOptions();
    table.AddPolicy(counter, HttpPipelinePosition.PerCall);
    return new StorageAccountClientProvider(
        StorageServiceClientProvider.ForBlob(connectionString, blob),
        StorageServiceClientProvider.ForQueue(connectionString, queue),
        StorageServiceClientProvider.ForTable(connectionString, table));
}

// The step of a participant's lifecycle in its simplest form: wait for something, send a message, wait again.
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
    internal sealed record BenchSettings(int Instances, int Rounds, int Concurrency, int? StepsPerExecution)
    {
        public static BenchSettings? Parse(string[] args)
        {
            var instances = 100;
            var rounds = new DurableWorkflowOptions().StepsPerExecution * 2;
            var concurrency = 32;
            int? stepsPerExecution = null;
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--quick":
                        instances = 30;
                        break;
                    case "--rounds" when Arguments.PositiveAfter(args, i, out var r):
                        rounds = r;
                        i++;
                        break;
                    case "--steps-per-execution" when Arguments.PositiveAfter(args, i, out var e):
                        stepsPerExecution = e;
                        i++;
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

            return new BenchSettings(instances, rounds, concurrency, stepsPerExecution);
        }
    }

    /// <summary>
    /// The same ping loop written by hand: wait for a ping, send a pong, again, and continue as new after as many steps
    /// as Askel's orchestrator takes in one execution (the same bound on history).
    /// </summary>
    internal sealed class HandWrittenPingLoop(int stepsPerExecution) : TaskOrchestrator<int, int>
    {
        public const string Name = "hand-pingpong";
        public const string Pong = "hand-pong";
        public const string PingEvent = "ping";

        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            for (var step = 0; step < stepsPerExecution; step++)
            {
                await context.WaitForExternalEvent<string>(PingEvent);
                await context.CallActivityAsync<string>(Pong, context.InstanceId);
            }

            context.ContinueAsNew(input + stepsPerExecution, preserveUnprocessedEvents: true);
            return input + stepsPerExecution;
        }
    }

    /// <summary>
    /// The loop written by hand with the same guard against lost events as Askel's orchestrator, in its shape: each
    /// execution reads the instance's inbox first (twice when empty) and answers what waits there, then waits for pings
    /// until it has taken as many steps as Askel's does in one execution, and continues as new.
    /// </summary>
    internal sealed class HandWrittenPingLoopWithInbox(int stepsPerExecution) : TaskOrchestrator<List<string>, int>
    {
        public const string Name = "hand-pingpong-inbox";

        public override async Task<int> RunAsync(TaskOrchestrationContext context, List<string> applied)
        {
            var waiting = await context.CallActivityAsync<IReadOnlyList<WorkflowSignal>>(InboxActivity.Name, new InboxRequest(context.InstanceId, applied));
            if (waiting.Count == 0)
            {
                waiting = await context.CallActivityAsync<IReadOnlyList<WorkflowSignal>>(InboxActivity.Name, new InboxRequest(context.InstanceId, []));
            }

            var done = new List<string>();
            foreach (var signal in waiting)
            {
                await context.CallActivityAsync<string>(HandWrittenPingLoop.Pong, context.InstanceId);
                done.Add(signal.Id);
            }

            while (done.Count < stepsPerExecution)
            {
                var signal = await context.WaitForExternalEvent<WorkflowSignal>(WorkflowOrchestrator.SignalEvent);
                if (!done.Contains(signal.Id) && !applied.Contains(signal.Id))
                {
                    await context.CallActivityAsync<string>(HandWrittenPingLoop.Pong, context.InstanceId);
                    done.Add(signal.Id);
                }
            }

            context.ContinueAsNew(done, preserveUnprocessedEvents: true);
            return 0;
        }
    }

    /// <summary>Counts the pongs both orchestrators send, and sends nothing, so only the runtime is measured.</summary>
    internal sealed class PongCounter : IEffectHandler
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);

        public Task<EffectResult> HandleAsync(Effect effect, CancellationToken cancellationToken)
        {
            Add();
            return Task.FromResult(EffectResult.Done);
        }
    }

    /// <summary>The hand-written loop's send.</summary>
    internal sealed class PongActivity(PongCounter counter) : TaskActivity<string, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, string input)
        {
            counter.Add();
            return Task.FromResult("pong");
        }
    }

    /// <summary>One measured phase: its slices added up.</summary>
    internal sealed class Phase(string name)
    {
        public string Name => name;

        public int Ops { get; private set; }

        public int Failures { get; private set; }

        public double Seconds { get; private set; }

        public double OpsPerSecond => Ops / Seconds;

        public TimeSpan Cpu { get; private set; }

        public TimeSpan StorageCpu { get; private set; }

        public RequestCounts Requests { get; private set; }

        /// <summary>Runs one slice (which returns its failures) and adds its time, CPU and requests.</summary>
        public async Task MeasureAsync(RequestCounter counter, Process? storage, int ops, Func<Task<int>> slice)
        {
            var me = Process.GetCurrentProcess();
            var cpu = me.TotalProcessorTime;
            var storageCpu = StorageProcess.Cpu(storage);
            var before = counter.Snapshot();
            var clock = Stopwatch.StartNew();
            Failures += await slice();
            Seconds += clock.Elapsed.TotalSeconds;
            me.Refresh();
            Cpu += me.TotalProcessorTime - cpu;
            StorageCpu += StorageProcess.Cpu(storage) - storageCpu;
            Requests += counter.Snapshot() - before;
            Ops += ops;
        }
    }

    /// <summary>Counts storage requests by service and kind, once per logical call (retries are not counted twice).</summary>
    internal sealed class RequestCounter(AzuritePorts ports) : HttpPipelineSynchronousPolicy
    {
        private readonly long[] _counts = new long[8];

        public override void OnSendingRequest(HttpMessage message)
        {
            var request = message.Request;
            var port = request.Uri.Port;
            var path = request.Uri.Path;
            var method = request.Method;
            var service = port == ports.Queue ? "queue" : port == ports.Table ? "table" : "blob";
            var index = service switch
            {
                "queue" when method == RequestMethod.Get => 0,
                "queue" when method == RequestMethod.Post => 1,
                "queue" when method == RequestMethod.Delete => 2,
                "queue" => 3,
                "table" when method == RequestMethod.Get => 4,
                "table" when method == RequestMethod.Post && path.EndsWith("$batch", StringComparison.Ordinal) => 6,
                "table" => 5,
                _ => 7,
            };
            Interlocked.Increment(ref _counts[index]);
        }

        public RequestCounts Snapshot() =>
            new(Read(0), Read(1), Read(2), Read(3), Read(4), Read(5), Read(6), Read(7));

        private long Read(int i) => Interlocked.Read(ref _counts[i]);
    }

    /// <summary>Storage requests of a phase.</summary>
    internal readonly record struct RequestCounts(
        long QueueGets, long QueuePuts, long QueueDeletes, long QueueUpdates, long TableReads, long TableWrites, long TableBatches, long Blob)
    {
        public long Total => QueueGets + QueuePuts + QueueDeletes + QueueUpdates + TableReads + TableWrites + TableBatches + Blob;

        public static RequestCounts operator +(RequestCounts a, RequestCounts b) =>
            new(a.QueueGets + b.QueueGets, a.QueuePuts + b.QueuePuts, a.QueueDeletes + b.QueueDeletes, a.QueueUpdates + b.QueueUpdates,
                a.TableReads + b.TableReads, a.TableWrites + b.TableWrites, a.TableBatches + b.TableBatches, a.Blob + b.Blob);

        public static RequestCounts operator -(RequestCounts a, RequestCounts b) =>
            new(a.QueueGets - b.QueueGets, a.QueuePuts - b.QueuePuts, a.QueueDeletes - b.QueueDeletes, a.QueueUpdates - b.QueueUpdates,
                a.TableReads - b.TableReads, a.TableWrites - b.TableWrites, a.TableBatches - b.TableBatches, a.Blob - b.Blob);
    }

    /// <summary>One run of operations: how many failed, and how long it took.</summary>
    internal sealed record RunResult(int Ops, int Failures, double Seconds);

    /// <summary>Runs operations 0..ops-1 with a fixed number in flight.</summary>
    internal static class Load
    {
        public static async Task<RunResult> RunAsync(int ops, int concurrency, Func<int, Task<bool>> operation, CancellationToken cancellationToken)
        {
            var next = -1;
            var failures = 0;
            var total = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, Math.Min(concurrency, ops)).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < ops)
                {
                    cancellationToken.ThrowIfCancellationRequested();
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

                    if (!ok)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }, cancellationToken)).ToArray();
            await Task.WhenAll(workers);
            return new RunResult(ops, failures, total.Elapsed.TotalSeconds);
        }
    }
}
