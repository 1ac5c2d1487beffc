using System.Diagnostics;
using System.Text.Json.Nodes;
using Askel.Runtime.Client;
using Askel.Runtime.Definitions;
using Askel.Runtime.Durable;
using Askel.Runtime.Durable.Local;
using Microsoft.Extensions.Logging.Abstractions;

namespace Askel.Testing;

/// <summary>
/// (<c>bench/run.sh crash</c>.) Participants run through a workflow by a task hub worker in a process of its own (<c>Askel.Crash.Worker</c>), which
/// is killed with SIGKILL several times and started again while instances start, timers fire and events are told. It
/// reports what came out: every instance should end as it would have without the crashes, every effect carried out.
/// </summary>
public static class CrashRun
{
    /// <summary>Say hello, wait two seconds, wait to be told "go" (often told before), say goodbye, end.</summary>
    private const string Workflow = """
        workflow: crash
        title: { en: Crash test }
        languages: [en]
        calendar: { timeZone: UTC, quietHours: "", holidays: none }
        channels: [sms]
        steps:
          hello:
            send: hello
            next: pause
          pause:
            wait: PT2S
            next: listen
          listen:
            waitFor: go
            next: bye
          bye:
            send: bye
            next: done
          done:
            end: done
        """;

    /// <summary>
    /// How long a message the worker fetched stays hidden from other fetches: after a kill, how long the messages the
    /// dead worker held wait. Azure's 5 minutes would make each kill cost minutes. It must still outlast any time a
    /// live worker holds a message in memory, which includes the backend's 10-second back-off after a failed work item:
    /// with 5 s, held messages were fetched again while their first copies waited, deleting a first copy failed
    /// (PopReceiptMismatch), each failure backed the dispatcher off again, and in about one run in ten the hub stalled
    /// or an instance never took its timer (fetched again every 5 s, never applied). 30 s passed every run.
    /// </summary>
    public static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="participants"/> instances through <paramref name="kills"/> crashes of the worker.</summary>
    /// <param name="participants">How many instances.</param>
    /// <param name="kills">How many times the worker is killed, spread over the run by the effects it has carried out.</param>
    /// <param name="log">Progress lines.</param>
    /// <param name="visibility">The worker's visibility timeout; <see cref="Visibility"/> unless a run looks at another.</param>
    public static async Task<CrashReport> RunAsync(int participants, int kills, Action<string> log, TimeSpan? visibility = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var clock = Stopwatch.StartNew();
        var account = await Azurite.AccountAsync();
        var hub = Azurite.UniqueName("crash");
        var folder = Directory.CreateTempSubdirectory("askel-crash-").FullName;
        var workflowFile = Path.Combine(folder, "crash.yaml");
        var effectsFile = Path.Combine(folder, "effects.log");
        await File.WriteAllTextAsync(workflowFile, Workflow);
        await File.WriteAllTextAsync(effectsFile, "");
        var definition = WorkflowLoader.LoadPinned(Workflow, "crash.yaml").Definition ?? throw new InvalidOperationException("The crash workflow does not load.");

        // This process is only a client of the hub, as the app's pages are; the worker process runs it.
        var tables = account.CreateTableServiceClient();
        var definitions = new DefinitionStore(tables.GetTableClient(hub + "definitions"), n => n == definition.Name ? definition : null, (_, _) => definition);
        await definitions.CreateAsync(CancellationToken.None);
        var inbox = new SignalInbox(tables.GetTableClient(hub + "signals"));
        await inbox.CreateAsync(CancellationToken.None);
        var service = LocalTaskHub.AzureStorage(account, new LocalTaskHubOptions { TaskHub = hub }, NullLoggerFactory.Instance);
        await service.CreateIfNotExistsAsync();
        var workflows = new DurableWorkflowClient(LocalTaskHub.ClientOf(service, TimeProvider.System), definitions, inbox, TimeProvider.System);

        var seconds = ((int)(visibility ?? Visibility).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] Start() => [account.ConnectionString, hub, workflowFile, effectsFile, seconds];
        var started = 0;
        Task<Worker> StartWorkerAsync() => Worker.StartAsync(Start(), Path.Combine(folder, $"worker-{++started}.log"), log);
        var worker = await StartWorkerAsync();
        var ids = Enumerable.Range(1, participants).Select(i => $"c-{i:D5}").ToArray();
        var expected = 2 * participants;
        var notDone = new List<string>();
        try
        {
            try
            {
                // Start everyone and tell each "go" at once; meanwhile, kill the worker each time another share of the
                // effects has been carried out, and start it again.
                var telling = Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) =>
                {
                    await workflows.StartAsync(definition.Name, id, new JsonObject(), ct);
                    await workflows.RaiseAsync(id, new NamedEvent("go", [], "go-" + id), ct);
                });
                for (var kill = 1; kill <= kills; kill++)
                {
                    var threshold = kill * expected / (kills + 1);
                    try
                    {
                        await UntilAsync(effectsFile, () => Lines(effectsFile).Length >= threshold);
                    }
                    catch (TimeoutException)
                    {
                        // A slow stretch (a large run on one Azurite) is no reason to kill less; what never ends shows after the last kill.
                        log($"no new effect for 3 minutes before kill {kill}: killing now");
                    }

                    await worker.DisposeAsync();
                    log($"kill {kill}/{kills} after {Lines(effectsFile).Length} effects, {clock.Elapsed.TotalSeconds:0.0} s");
                    worker = await StartWorkerAsync();
                }

                await telling;
                await UntilAsync(effectsFile, () => Lines(effectsFile).Distinct(StringComparer.Ordinal).Count() >= expected);
            }
            catch (TimeoutException)
            {
                log("no progress for 3 minutes: reporting what is there"); // the report says what was lost
            }

            // An instance's last effect runs a moment before its execution commits the end: wait for the ends too.
            var stalled = Stopwatch.StartNew();
            for (var left = int.MaxValue; ; await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System))
            {
                notDone.Clear();
                foreach (var id in ids)
                {
                    var status = await workflows.StatusAsync(id, CancellationToken.None);
                    if (status is not { Status: Runtime.Engine.InstanceStatus.Completed, Outcome: "done" })
                    {
                        notDone.Add($"{id}: {status?.Status} {status?.Step} {status?.Outcome}");
                    }
                }

                if (notDone.Count < left)
                {
                    (left, stalled) = (notDone.Count, Stopwatch.StartNew());
                }

                if (notDone.Count == 0 || stalled.Elapsed > NoProgressLimit)
                {
                    break;
                }
            }
        }
        finally
        {
            await worker.DisposeAsync();
        }

        var effects = Lines(effectsFile);
        if (notDone.Count > 0)
        {
            // The backend repeats one warning per message fetched again; what it said once is what tells the story.
            var stuck = notDone.Select(n => n[..n.IndexOf(':', StringComparison.Ordinal)] + ":").ToArray();
            var told = File.ReadLines(Path.Combine(folder, $"worker-{started}.log"))
                .Where(line => stuck.Any(id => line.Contains(id, StringComparison.Ordinal)) && !line.Contains("[108]", StringComparison.Ordinal))
                .TakeLast(40);
            log("the last worker's warnings about the instances that did not end:" + Environment.NewLine + string.Join(Environment.NewLine, told));
            log($"every worker's whole output is kept in {folder}");
        }

        // Each instance says hello and goodbye: two distinct effects.
        var perInstance = effects.Distinct(StringComparer.Ordinal).GroupBy(e => e[..e.IndexOf('.', StringComparison.Ordinal)]).ToDictionary(g => g.Key, g => g.Count());
        var missing = ids.Where(id => perInstance.GetValueOrDefault(id) != 2).ToArray();
        foreach (var id in missing.Concat(notDone.Select(n => n[..n.IndexOf(':', StringComparison.Ordinal)])).Distinct(StringComparer.Ordinal))
        {
            log($"{id} carried out: {string.Join(", ", effects.Where(e => e.StartsWith(id + ".", StringComparison.Ordinal)))}");
        }

        if (notDone.Count == 0)
        {
            Directory.Delete(folder, recursive: true);
        }

        return new CrashReport(participants, kills, notDone, missing, effects.Length, effects.Length - effects.Distinct(StringComparer.Ordinal).Count(), clock.Elapsed);
    }

    private static string[] Lines(string file) => File.ReadAllLines(file).Where(l => l.Length > 0).ToArray();

    // A worker takes a dead one's work over within seconds, but a work item the backend abandoned (its holder was
    // killed mid-item, again and again) comes back only after 2^n seconds, n its dequeue count.
    private static readonly TimeSpan NoProgressLimit = TimeSpan.FromMinutes(3);

    // Waits on a real process: polled, and given up once the effects file has not grown for NoProgressLimit, so
    // that a loss fails the run instead of blocking it.
    private static async Task UntilAsync(string effectsFile, Func<bool> done)
    {
        var stalled = Stopwatch.StartNew();
        var seen = -1;
        while (!done())
        {
            var now = Lines(effectsFile).Length;
            if (now != seen)
            {
                (seen, stalled) = (now, Stopwatch.StartNew());
            }
            else if (stalled.Elapsed > NoProgressLimit)
            {
                throw new TimeoutException("No progress for 3 minutes.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }
    }

    /// <summary>The worker process.</summary>
    private sealed class Worker : IAsyncDisposable
    {
        private readonly Process _process;
        private bool _killed;

        private readonly OutputFile _output;

        private Worker(Process process, OutputFile output) => (_process, _output) = (process, output);

        /// <summary>Starts a worker that writes what it says ("worker ready", then its backend's warnings) to <paramref name="outputFile"/>.</summary>
        public static async Task<Worker> StartAsync(string[] args, string outputFile, Action<string> log)
        {
            // Built beside this test assembly's configuration (the solution builds it).
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            var dll = Repository.Path("tests", "Askel.Crash.Worker", "bin", configuration, "net10.0", "Askel.Crash.Worker.dll");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(dll);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start)!;
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var file = new OutputFile(outputFile);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    file.Write(line);
                    if (line == "worker ready")
                    {
                        ready.TrySetResult();
                    }
                }
            };
            process.ErrorDataReceived += (_, e) => file.Write(e.Data ?? "");
            process.EnableRaisingEvents = true;
            Worker? worker = null;
            process.Exited += (_, _) =>
            {
                if (!ready.Task.IsCompleted)
                {
                    ready.TrySetException(new InvalidOperationException("The worker exited: " + string.Join('\n', file.Last(40))));
                }
                else if (worker is { _killed: false })
                {
                    log("the worker exited by itself: " + string.Join('\n', file.Last(20))); // a defect, not a crash test's kill
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            worker = new Worker(process, file);
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return worker;
        }

        /// <summary>SIGKILL: no shutdown, nothing given back; what it held waits for its visibility timeout and leases to run out.</summary>
        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _killed = true;
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            _output.Dispose();
        }
    }

    /// <summary>A worker's output as it comes, line by line; lines that come after it is closed are dropped.</summary>
    private sealed class OutputFile(string path) : IDisposable
    {
        private readonly StreamWriter _writer = new(path) { AutoFlush = true };
        private bool _closed;

        public void Write(string line)
        {
            lock (_writer)
            {
                if (!_closed)
                {
                    _writer.WriteLine(line);
                }
            }
        }

        /// <summary>The last <paramref name="count"/> lines written so far (none once it is closed).</summary>
        public IReadOnlyList<string> Last(int count)
        {
            lock (_writer)
            {
                if (_closed)
                {
                    return [];
                }

                using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                var lines = new Queue<string>();
                while (reader.ReadLine() is { } line)
                {
                    lines.Enqueue(line);
                    if (lines.Count > count)
                    {
                        lines.Dequeue();
                    }
                }

                return [.. lines];
            }
        }

        public void Dispose()
        {
            lock (_writer)
            {
                _closed = true;
                _writer.Dispose();
            }
        }
    }
}

/// <summary>What a <see cref="CrashRun"/> came to.</summary>
/// <param name="Participants">Instances run.</param>
/// <param name="Kills">Times the worker was killed.</param>
/// <param name="NotDone">Instances that did not end as they would have without the crashes.</param>
/// <param name="EffectsMissing">Instances whose two effects (hello, goodbye) were not both carried out.</param>
/// <param name="Effects">Effects carried out, repeats included.</param>
/// <param name="Repeated">Effects carried out again after a crash (activities run at least once).</param>
/// <param name="Elapsed">How long the run took.</param>
public sealed record CrashReport(int Participants, int Kills, IReadOnlyList<string> NotDone, IReadOnlyList<string> EffectsMissing, int Effects, int Repeated, TimeSpan Elapsed);
