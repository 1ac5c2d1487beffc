using System.Collections.Concurrent;
using System.Globalization;
using Askel.Runtime.Durable;
using Askel.Runtime.Durable.Local;
using Askel.Runtime.Storage;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;

namespace Askel.Bench;

/// <summary>
/// <c>bench/run.sh timers</c>: how late durable timers fire on the task hub (the Durable Task Framework's Azure Storage
/// backend on Azurite, the local worker's settings), with many other timers pending — participants waiting weeks for
/// their next reminder — against the same probes with none pending. A probe's lateness is from its due time to the
/// moment its orchestrator resumes. Each run has a task hub of its own on one in-memory Azurite.
/// </summary>
internal static class TimersBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var pending = 10_000;
        var probes = 200;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--pending" when Arguments.PositiveAfter(args, i, out var n):
                    pending = n;
                    i++;
                    break;
                case "--probes" when Arguments.PositiveAfter(args, i, out var p):
                    probes = p;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine("usage: Askel.Bench timers [--pending 10000] [--probes 200]");
                    return 2;
            }
        }

        Console.WriteLine(Inv($"Askel.Bench timers: {probes} probes due over {Window.TotalSeconds:0} s, with 0 and with {pending} other timers pending, {Environment.ProcessorCount} cores, load {StorageProcess.LoadAverage()}"));
        using var cancel = new CancellationTokenSource();
        await using var azurite = await AzuriteServer.StartAsync(AzuritePorts.Free(), dataPath: null, [AppContext.BaseDirectory, Directory.GetCurrentDirectory()], cancel.Token);
        var baseline = await MeasureAsync(azurite.Account, "timersnone", 0, probes, cancel.Token);
        var loaded = await MeasureAsync(azurite.Account, "timersmany", pending, probes, cancel.Token);

        Console.WriteLine();
        Console.WriteLine(Inv($"{"pending",8} {"probes",7} {"fired",6} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"early",6}"));
        foreach (var (count, run) in new[] { (0, baseline), (pending, loaded) })
        {
            Console.WriteLine(Inv($"{count,8} {probes,7} {run.Length,6} {Percentile(run, 0.50),8:0} {Percentile(run, 0.99),8:0} {(run.Length == 0 ? double.NaN : run.Max()),8:0} {run.Count(l => l < 0),6:0}"));
        }

        Console.WriteLine(Inv($"with-{pending}-pending/none-pending p99 ratio: {Percentile(loaded, 0.99) / Math.Max(1, Percentile(baseline, 0.99)):0.00}"));
        return baseline.Length == probes && loaded.Length == probes && baseline.Concat(loaded).All(l => l >= 0) ? 0 : 1;
    }

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    private static async Task<double[]> MeasureAsync(StorageAccount account, string taskHub, int pending, int probes, CancellationToken ct)
    {
        var options = new LocalTaskHubOptions { TaskHub = taskHub }; // ./askel run's settings: idle polling up to 1 s
        var recorder = new ProbeRecorder();
        await using var hub = await LocalTaskHub.StartAsync(
            LocalTaskHub.AzureStorage(account, options, NullLoggerFactory.Instance),
            new Dictionary<string, Func<ITaskOrchestrator>> { [TimerProbe.Name] = () => new TimerProbe(recorder) },
            new Dictionary<string, Func<ITaskActivity>>(),
            options,
            NullLoggerFactory.Instance);

        // Timers far ahead: each one a message the queue keeps invisible until it is due.
        var farAhead = TimeProvider.System.GetUtcNow().AddDays(20);
        var started = await Load.RunAsync(pending, 16, async i =>
        {
            await hub.Client.ScheduleNewOrchestrationInstanceAsync(TimerProbe.Name, new ProbeInput(farAhead, Measured: false), new StartOrchestrationOptions(Inv($"pending-{i:D6}")), ct);
            return true;
        }, ct);
        await recorder.ArmedAsync(pending, ct);
        Console.WriteLine(Inv($"{taskHub}: {pending} timers pending after {started.Seconds:0.0} s"));

        var first = TimeProvider.System.GetUtcNow().AddSeconds(5);
        await Load.RunAsync(probes, 16, async i =>
        {
            var due = first + (Window * i / probes);
            await hub.Client.ScheduleNewOrchestrationInstanceAsync(TimerProbe.Name, new ProbeInput(due, Measured: true), new StartOrchestrationOptions(Inv($"probe-{i:D6}")), ct);
            return true;
        }, ct);
        return await recorder.FiredAsync(probes, Window + TimeSpan.FromMinutes(5), ct);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A timer's due time, and whether its lateness counts.</summary>
    internal sealed record ProbeInput(DateTimeOffset Due, bool Measured);

    /// <summary>Waits for its timer; when it resumes (not on replay), tells the recorder how late that was.</summary>
    internal sealed class TimerProbe(ProbeRecorder recorder) : TaskOrchestrator<ProbeInput, bool>
    {
        public const string Name = "timer-probe";

        public override async Task<bool> RunAsync(TaskOrchestrationContext context, ProbeInput input)
        {
            if (!context.IsReplaying)
            {
                recorder.Armed();
            }

            await context.WhenDueAsync(input.Due.UtcDateTime, CancellationToken.None); // as the workflow orchestrator waits
            if (!context.IsReplaying && input.Measured)
            {
                recorder.Fired((TimeProvider.System.GetUtcNow() - input.Due).TotalMilliseconds);
            }

            return true;
        }
    }

    /// <summary>Counts armed timers and collects the probes' lateness.</summary>
    internal sealed class ProbeRecorder
    {
        private readonly ConcurrentBag<double> _lateness = [];
        private int _armed;

        public void Armed() => Interlocked.Increment(ref _armed);

        public void Fired(double milliseconds) => _lateness.Add(milliseconds);

        public async Task ArmedAsync(int count, CancellationToken ct)
        {
            while (Volatile.Read(ref _armed) < count)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System, ct);
            }
        }

        public async Task<double[]> FiredAsync(int count, TimeSpan giveUp, CancellationToken ct)
        {
            var until = TimeProvider.System.GetUtcNow() + giveUp;
            while (_lateness.Count < count && TimeProvider.System.GetUtcNow() < until)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System, ct);
            }

            return [.. _lateness.Order()];
        }
    }
}
