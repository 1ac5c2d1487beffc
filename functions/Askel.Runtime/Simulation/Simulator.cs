using System.Globalization;
using System.Text.Json.Nodes;
using Askel.Runtime.Definitions;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Askel.Runtime.Storage;
using Askel.Runtime.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace Askel.Runtime.Simulation;

/// <summary>What to simulate besides the workflow.</summary>
public sealed record SimulationOptions
{
    /// <summary>How long a run covers when not told: long enough for any workflow we have.</summary>
    public const int DefaultDays = 400;

    /// <summary>How many synthetic participants (instances) to start.</summary>
    public int Participants { get; init; } = 1000;

    /// <summary>How many days the virtual clock runs; the run stops early once every instance has finished.</summary>
    public int Days { get; init; } = DefaultDays;

    /// <summary>When every instance starts.</summary>
    public DateTimeOffset Start { get; init; } = new(2027, 1, 4, 9, 0, 0, TimeSpan.FromHours(2));

    /// <summary>How far the clock moves between passes over due timers (as the tick does in production).</summary>
    public TimeSpan Step { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Per channel, the probability (0–1) that a participant has no such channel (<c>channels.&lt;c&gt; = "missing"</c>).</summary>
    public IReadOnlyDictionary<string, double> Missing { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>How participants and coordinators behave.</summary>
    public ParticipantBehaviour Behaviour { get; init; } = new();

    /// <summary>Values every instance starts with besides its language and channels (e.g. <c>project.endDate</c>).</summary>
    public JsonObject Input { get; init; } = [];
}

/// <summary>
/// Runs a workflow definition for synthetic participants on a <see cref="VirtualClock"/>, against the real
/// <see cref="InstanceStore"/>, <see cref="DefinitionStore"/> and <see cref="WorkflowEngine"/> in a storage
/// account (an in-memory Azurite), answering messages and tasks as <see cref="ParticipantBehaviour"/> says,
/// and reports what was sent and how the instances ended. Uses its own tables and deletes them afterwards.
/// </summary>
public static class Simulator
{
    private const int Parallelism = 8;

    /// <summary>Simulates <paramref name="definition"/> (a valid, loaded definition).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Participants, days or step are not positive.</exception>
    public static async Task<SimulationReport> RunAsync(
        WorkflowDefinition definition, SimulationOptions options, StorageAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Participants, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Days, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Step, TimeSpan.Zero);

        var prefix = "sim" + Guid.NewGuid().ToString("N")[..12];
        var engineOptions = new EngineOptions { StoragePrefix = prefix };
        var tables = account.CreateTableServiceClient();
        var instancesTable = tables.GetTableClient(engineOptions.InstancesTable);
        var definitionsTable = tables.GetTableClient(engineOptions.DefinitionsTable);
        var store = new InstanceStore(instancesTable);
        var definitions = new DefinitionStore(
            definitionsTable,
            name => name == definition.Name ? definition : null,
            (source, file) => source == definition.Source ? definition
                : WorkflowLoader.LoadPinned(source, file).Definition ?? throw new InvalidOperationException($"The pinned {file} does not load."));
        await store.CreateAsync(cancellationToken);
        await definitions.CreateAsync(cancellationToken);
        try
        {
            var clock = new VirtualClock(options.Start);
            var run = new Run(definition, options, clock, engineOptions.ShardBatch);
            var engine = new WorkflowEngine(store, definitions, run, clock, engineOptions, NullLogger<WorkflowEngine>.Instance);
            return await run.ExecuteAsync(engine, store, cancellationToken);
        }
        finally
        {
            await instancesTable.DeleteAsync(CancellationToken.None);
            await definitionsTable.DeleteAsync(CancellationToken.None);
        }
    }

    /// <summary>The instance id of participant <paramref name="index"/> (0-based).</summary>
    public static string InstanceId(int index) => string.Create(CultureInfo.InvariantCulture, $"p{index + 1:D5}");

    /// <summary>One run: the effect handler that records sends and schedules the synthetic answers.</summary>
    private sealed class Run(WorkflowDefinition definition, SimulationOptions options, VirtualClock clock, int shardBatch) : IEffectHandler
    {
        private readonly Lock _gate = new();
        private readonly List<SimulatedSend> _sends = [];
        private readonly Dictionary<string, HashSet<string>> _asked = new(StringComparer.Ordinal);
        private readonly List<string> _formOrder = [];
        private readonly Dictionary<(string Instance, string Event, string Entry), PendingEvent> _pending = [];
        private readonly Dictionary<string, bool[]> _answers = new(StringComparer.Ordinal);
        private int _tasks;

        private ParticipantBehaviour Behaviour => options.Behaviour;

        private TimeZoneInfo Zone => definition.Calendar.TimeZone;

        public async Task<SimulationReport> ExecuteAsync(WorkflowEngine engine, InstanceStore store, CancellationToken cancellationToken)
        {
            for (var i = 0; i < options.Participants; i++)
            {
                _answers[InstanceId(i)] = [.. definition.Channels.Select(c => Behaviour.AnswersOn(i, c))];
            }

            await Parallel.ForEachAsync(
                Enumerable.Range(0, options.Participants),
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    var outcome = await engine.StartAsync(definition.Name, InstanceId(i), Input(i), ct);
                    if (outcome.Status != ApplyStatus.Applied)
                    {
                        throw new InvalidOperationException($"Instance {InstanceId(i)} did not start: {outcome.Status} {outcome.Reason}");
                    }
                });

            var end = options.Start.AddDays(options.Days);
            while (clock.GetUtcNow() < end)
            {
                // Hours with nothing due are skipped: the clock jumps to the step boundary at or after the next
                // timer or answer, exactly where stepping hour by hour would have handled it.
                var now = clock.GetUtcNow();
                var nextWork = Min(NextAnswerDue(), await NextTimerDueAsync(store, cancellationToken));
                if (nextWork is null)
                {
                    break; // nothing can happen any more
                }

                var steps = Math.Max(1, (long)Math.Ceiling((nextWork.Value - now) / options.Step));
                var next = now + (options.Step * steps);
                next = next < end ? next : end;
                // Answers due within the step arrive at its end, before the timers due then (the step is the
                // simulation's resolution). Instances are independent, so they are delivered in parallel; each
                // instance's own answers in due order, so the result does not depend on scheduling.
                clock.SetUtcNow(next);
                await Parallel.ForEachAsync(
                    TakeDue(next).GroupBy(a => a.InstanceId, StringComparer.Ordinal),
                    new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                    async (answers, ct) =>
                    {
                        foreach (var answer in answers)
                        {
                            await engine.RaiseEventAsync(answer.InstanceId, answer.Event, answer.Payload, answer.EventId, ct);
                        }
                    });

                while (await engine.ProcessDueAsync(cancellationToken) >= shardBatch)
                {
                    // A full batch may have left more due work in some shard: pass again.
                }
            }

            var states = await store.QueryAsync(null, definition.Name, null, null, options.Participants, cancellationToken);
            int? finishedOnDay = states.All(s => s.IsFinished) && states.Count > 0 ? DayOf(states.Max(s => s.UpdatedAt)) : null;
            return Report(states, finishedOnDay);
        }

        private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

        /// <summary>The earliest timer in any shard (timer row keys sort by due time).</summary>
        private static async Task<DateTimeOffset?> NextTimerDueAsync(InstanceStore store, CancellationToken cancellationToken)
        {
            var firsts = await Task.WhenAll(Shards.All.Select(async shard =>
            {
                await foreach (var row in store.Table.QueryAsync<Azure.Data.Tables.TableEntity>(
                    e => e.PartitionKey == shard && e.RowKey.CompareTo(RowKeys.TimerPrefix) >= 0 && e.RowKey.CompareTo(RowKeys.End(RowKeys.TimerPrefix)) < 0,
                    maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken))
                {
                    var ticks = long.Parse(row.RowKey.AsSpan(RowKeys.TimerPrefix.Length, 19), CultureInfo.InvariantCulture);
                    return (DateTimeOffset?)new DateTimeOffset(ticks, TimeSpan.Zero);
                }

                return null;
            }));
            return firsts.Aggregate((DateTimeOffset?)null, Min);
        }

        private DateTimeOffset? NextAnswerDue()
        {
            lock (_gate)
            {
                return _pending.Count == 0 ? null : _pending.Values.Min(p => p.Due);
            }
        }

        public Task<EffectResult> HandleAsync(Effect effect, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var entry = StepEntry(effect.Id);
            lock (_gate)
            {
                if (effect.Kind == "task")
                {
                    _tasks++;
                    var step = effect.Payload["step"]!.GetValue<string>();
                    var outcomes = effect.Payload["outcomes"]?.AsArray().Select(o => o!.GetValue<string>()).ToArray() ?? [];
                    if (Behaviour.TaskOutcome(effect.Id, outcomes) is { } outcome)
                    {
                        Schedule(effect, $"task:{step}", entry, now + Behaviour.TaskDelay, new JsonObject { ["outcome"] = outcome, ["reason"] = "simulated" });
                    }

                    return Task.FromResult(EffectResult.Done);
                }

                var channel = effect.Payload["channel"]?.GetValue<string>() ?? "";
                _sends.Add(new SimulatedSend(now, DayOf(now), effect.InstanceId, effect.Id, channel, effect.Payload["template"]?.GetValue<string>() ?? ""));
                var awaited = effect.Payload["form"]?.GetValue<string>() is { } form ? (Name: form, Event: $"form:{form}")
                    : effect.Payload["external"]?.GetValue<string>() is { } external ? (Name: $"external:{external}", Event: $"confirm:{external}")
                    : default;
                if (awaited.Name is null)
                {
                    return Task.FromResult(EffectResult.Done);
                }

                if (!_asked.TryGetValue(awaited.Name, out var asked))
                {
                    _asked[awaited.Name] = asked = new HashSet<string>(StringComparer.Ordinal);
                    _formOrder.Add(awaited.Name);
                }

                asked.Add(effect.InstanceId);
                var index = Array.IndexOf([.. definition.Channels], channel);
                if (index >= 0 && _answers.TryGetValue(effect.InstanceId, out var answers) && answers[index])
                {
                    var due = now + Behaviour.AnswerDelay(effect.Id);
                    // After the link expired, the participant can no longer answer.
                    var expires = effect.Payload["expiresAt"]?.GetValue<string>() is { } text
                        ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture)
                        : DateTimeOffset.MaxValue;
                    if (due < expires)
                    {
                        Schedule(effect, awaited.Event, entry, due, new JsonObject { ["simulated"] = true });
                    }
                }
            }

            return Task.FromResult(EffectResult.Done);
        }

        /// <summary>Keeps the earliest answer per instance, event and step entry (the first answer moves the instance on).</summary>
        private void Schedule(Effect effect, string name, string entry, DateTimeOffset due, JsonObject payload)
        {
            var key = (effect.InstanceId, name, entry);
            if (!_pending.TryGetValue(key, out var existing) || due < existing.Due)
            {
                _pending[key] = new PendingEvent(due, effect.InstanceId, name, payload, $"sim.{effect.Id}");
            }
        }

        private List<PendingEvent> TakeDue(DateTimeOffset until)
        {
            lock (_gate)
            {
                var due = _pending.Where(p => p.Value.Due <= until).ToList();
                foreach (var item in due)
                {
                    _pending.Remove(item.Key);
                }

                return [.. due.Select(d => d.Value)
                    .OrderBy(p => p.Due)
                    .ThenBy(p => p.InstanceId, StringComparer.Ordinal)
                    .ThenBy(p => p.EventId, StringComparer.Ordinal)];
            }
        }

        private JsonObject Input(int index)
        {
            var channels = new JsonObject();
            foreach (var channel in definition.Channels)
            {
                var missing = Behaviour.Draw($"missing|{index}|{channel}") < options.Missing.GetValueOrDefault(channel);
                channels[channel] = missing ? "missing" : "ok";
            }

            var input = (JsonObject)options.Input.DeepClone();
            input["language"] = definition.Languages[index % definition.Languages.Count];
            input["channels"] = channels;
            return input;
        }

        private int DayOf(DateTimeOffset instant) =>
            LocalDate(instant).DayNumber - LocalDate(options.Start).DayNumber;

        private DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

        /// <summary>The step-entry part of an effect id <c>{instance}.{entry}.{tag}</c>.</summary>
        private static string StepEntry(string effectId)
        {
            var last = effectId.LastIndexOf('.');
            var before = last > 0 ? effectId.LastIndexOf('.', last - 1) : -1;
            return before >= 0 ? effectId[(before + 1)..last] : effectId;
        }

        private SimulationReport Report(IReadOnlyList<InstanceState> states, int? finishedOnDay)
        {
            var sends = _sends
                .OrderBy(s => s.At)
                .ThenBy(s => s.InstanceId, StringComparer.Ordinal)
                .ThenBy(s => s.EffectId, StringComparer.Ordinal)
                .ToArray();
            var channels = definition.Channels;
            var perDay = sends
                .GroupBy(s => s.Day)
                .OrderBy(g => g.Key)
                .Select(g => new DailySends(
                    g.Key,
                    LocalDate(options.Start).AddDays(g.Key),
                    [.. channels.Select(c => KeyValuePair.Create(c, g.Count(s => s.Channel == c)))],
                    g.Count()))
                .ToArray();
            var finals = states
                .GroupBy(s => (s.Status, Detail: s.Status switch
                {
                    InstanceStatus.Completed => s.Outcome ?? "",
                    InstanceStatus.Failed or InstanceStatus.Terminated => s.Error ?? "",
                    _ => s.Step ?? "",
                }))
                .Select(g => new FinalStateCount(g.Key.Status, g.Key.Detail, g.Count()))
                .OrderByDescending(f => f.Count)
                .ThenBy(f => f.Status)
                .ThenBy(f => f.Detail, StringComparer.Ordinal)
                .ToArray();
            var forms = _formOrder
                .Select(name => new FormCapture(name, _asked[name].Count, states.Count(s => _asked[name].Contains(s.Id) && HasAnswered(s, name))))
                .ToArray();
            return new SimulationReport(
                definition.Name,
                definition.Version,
                options.Participants,
                options.Days,
                options.Start,
                channels,
                perDay,
                [.. channels.Select(c => KeyValuePair.Create(c, sends.Count(s => s.Channel == c)))],
                _tasks,
                finals,
                forms,
                finishedOnDay,
                sends);
        }

        private static bool HasAnswered(InstanceState state, string name) =>
            name.StartsWith("external:", StringComparison.Ordinal)
                ? state.Data["external"]?[name["external:".Length..]] is not null
                : state.Data["forms"]?[name] is not null;
    }

    private sealed record PendingEvent(DateTimeOffset Due, string InstanceId, string Event, JsonObject Payload, string EventId);
}
