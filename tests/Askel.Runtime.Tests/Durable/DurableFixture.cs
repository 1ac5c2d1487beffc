using System.Collections.Concurrent;
using Askel.Runtime.Client;
using Askel.Runtime.Definitions;
using Askel.Runtime.Durable;
using Askel.Runtime.Durable.Local;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Askel.Testing;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using DurableTask.Core;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Askel.Runtime.Tests.Durable;

/// <summary>
/// A real task hub on the Durable Task Framework's Azure Storage backend, on the shared Azurite, in a hub of its
/// own, running the generic orchestrator with a recording effect handler, and the typed client over it.
/// </summary>
internal sealed class DurableFixture : IAsyncDisposable
{
    private readonly List<LocalTaskHub> _workers = [];
    private readonly List<TimeControlledTaskHub> _timed = [];
    private readonly Dictionary<string, WorkflowDefinition> _current;
    private readonly Func<DurableWorkflowOptions, Task<(LocalTaskHub Worker, TimeControlledTaskHub? Timed)>> _startWorker;
    private readonly int _workerCount;
    private readonly TableClient _partitions;

    private DurableFixture(
        Func<DurableWorkflowOptions, Task<(LocalTaskHub, TimeControlledTaskHub?)>> startWorker, int workers, Dictionary<string, WorkflowDefinition> current,
        DurableTaskClient client, DefinitionStore definitions, SignalInbox inbox, FakeTimeProvider time, EffectRecorder effects, FactRecorder facts,
        TableClient partitions)
    {
        _startWorker = startWorker;
        _workerCount = workers;
        _partitions = partitions;
        Inbox = inbox;
        _current = current;
        Client = client;
        Workflows = new DurableWorkflowClient(client, definitions, inbox, time);
        Time = time;
        Effects = effects;
        Facts = facts;
    }

    public DurableWorkflowClient Workflows { get; }

    /// <summary>The signals told and not yet applied.</summary>
    public SignalInbox Inbox { get; }

    public DurableTaskClient Client { get; }

    /// <summary>The clients' clock: what "now" is when an instance starts or hears of something. With a time-controlled hub, the timers' clock too.</summary>
    public FakeTimeProvider Time { get; }

    public EffectRecorder Effects { get; }

    /// <summary>The facts the steps established, as the app's summary would record them.</summary>
    public FactRecorder Facts { get; }

    /// <summary>With a time-controlled hub: when the earliest timer not yet released comes due.</summary>
    public DateTimeOffset? NextTimerDue => _timed.Count == 0 ? null : _timed[0].NextTimerDue;

    /// <param name="start">The virtual time to start at. Long ago, every timer is already due and fires at once, in
    /// order; far ahead, none fires while a test runs.</param>
    /// <param name="workflows">The definitions it knows.</param>
    public static Task<DurableFixture> StartAsync(DateTimeOffset start, params WorkflowDefinition[] workflows) =>
        StartAsync(start, new DurableFixtureOptions(), workflows);

    /// <param name="start">The virtual time to start at.</param>
    /// <param name="options">Whether timers follow <see cref="Time"/>, and how many workers share the hub.</param>
    /// <param name="workflows">The definitions it knows; the first of a name is current until <see cref="Publish"/>.</param>
    public static async Task<DurableFixture> StartAsync(DateTimeOffset start, DurableFixtureOptions options, params WorkflowDefinition[] workflows)
    {
        var account = await Azurite.AccountAsync();
        var name = Azurite.UniqueName("h");
        var current = workflows.GroupBy(w => w.Name).ToDictionary(g => g.Key, g => g.First());
        var known = workflows.ToList();
        var definitions = new DefinitionStore(
            account.CreateTableServiceClient().GetTableClient(name + "definitions"),
            n => current.GetValueOrDefault(n),
            (source, _) => known.First(w => w.Source == source));
        await definitions.CreateAsync(CancellationToken.None);
        var inbox = new SignalInbox(account.CreateTableServiceClient().GetTableClient(name + "signals"));
        await inbox.CreateAsync(CancellationToken.None);
        var effects = new EffectRecorder();
        var facts = new FactRecorder();
        var time = new FakeTimeProvider(start);
        var hubOptions = new LocalTaskHubOptions
        {
            TaskHub = name,
            MaxPollingInterval = TimeSpan.FromMilliseconds(100),

            // Several workers see a partition change hands at their next renewal: quick ones let the fixture wait it
            // out in seconds. One worker keeps the backend's pace (renewals are Azurite requests, and a busy Azurite
            // slows every test). A lease still lasts the backend's 30 s, and a fetched message stays hidden 30 s.
            LeaseRenewInterval = PartitionRenewal(options),
            LeaseAcquireInterval = PartitionRenewal(options),
            // Under the test's clock a long wait is one timer the clock releases.
            MaximumTimerInterval = options.TimeControlled ? TimeSpan.FromDays(36500) : new LocalTaskHubOptions().MaximumTimerInterval,
        };
        var share = new WorkerShare();
        // The backend's warnings, for a settle that gives up to print.
        var backendLog = new XunitLoggerProvider(null);
        var loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(backendLog));
        async Task<(LocalTaskHub, TimeControlledTaskHub?)> StartWorkerAsync(DurableWorkflowOptions code)
        {
            // Each worker has its own backend object, with its own partition leases, as a separate process would.
            IOrchestrationService service = LocalTaskHub.AzureStorage(account, hubOptions, loggers);
            TimeControlledTaskHub? hub = null;
            if (options.TimeControlled)
            {
                hub = new TimeControlledTaskHub(service, time, new QueueServiceClient(account.ConnectionString), name, share, backendLog: backendLog);
                service = hub;
            }

            // Under the test's clock a timer fires when the test says, and the orchestration's clock is the machine's.
            code = code with { WaitOutEarlyTimers = !options.TimeControlled };
            return (await WorkflowWorker.StartAsync(service, definitions, code, effects, inbox, facts, hubOptions, loggers), hub);
        }

        var code = options.Code ?? new DurableWorkflowOptions();
        var first = await StartWorkerAsync(code);
        var partitions = account.CreateTableServiceClient().GetTableClient(name + "Partitions"); // the backend's partition table
        var fixture = new DurableFixture(StartWorkerAsync, options.Workers, current, first.Item1.Client, definitions, inbox, time, effects, facts, partitions);
        fixture.Add(first);
        await fixture.StartWorkersAsync(code, options.Workers - 1);
        return fixture;
    }

    /// <summary>
    /// Stops every worker and starts new ones running <paramref name="code"/> (e.g. the orchestrator's next version), as a
    /// deployment of new code does; instances wait in storage meanwhile.
    /// </summary>
    public async Task ReplaceWorkersAsync(DurableWorkflowOptions code)
    {
        await StopWorkersAsync();
        await StartWorkersAsync(code, _workerCount);
    }

    /// <summary>The orchestration version the instance's current execution runs on.</summary>
    public async Task<string> OrchestrationVersionAsync(string instanceId)
    {
        var states = await ((IOrchestrationServiceClient)_workers[0].Service).GetOrchestrationStateAsync(instanceId, allExecutions: false);
        return states.Single().Version;
    }

    /// <summary>Makes <paramref name="definition"/> (one given at start) the current version of its workflow.</summary>
    public void Publish(WorkflowDefinition definition) => _current[definition.Name] = definition;

    /// <summary>With a time-controlled hub: fires the timers the clock has reached and waits until every instance is at its next wait.</summary>
    public Task SettleAsync() => _timed[0].SettleAsync();

    /// <summary>
    /// The instance's status once <paramref name="until"/> holds. A status is the instance's state at its last wait,
    /// so it changes when an execution ends, a moment after its effects ran: there is nothing to await but the change.
    /// </summary>
    public async Task<WorkflowStatus> StatusAsync(string instanceId, Func<WorkflowStatus, bool> until)
    {
        // Generous: on a busy Azurite the backend can defer an execution's start for minutes (see TimeControlledTaskHub.SettleAsync);
        // a lost event still fails the test.
        using var giveUp = new CancellationTokenSource(BusyBackendPatience, TimeProvider.System);
        while (true)
        {
            if (await Workflows.StatusAsync(instanceId, giveUp.Token) is { } status && until(status))
            {
                return status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, giveUp.Token);
        }
    }

    public ValueTask DisposeAsync() => new(StopWorkersAsync());

    /// <summary>How long a test waits for something the hub will do: longer than the backend ever hides a message.</summary>
    internal static TimeSpan BusyBackendPatience => TimeControlledTaskHub.NoProgressLimit;

    private static TimeSpan PartitionRenewal(DurableFixtureOptions options) =>
        options.Workers > 1 ? TimeSpan.FromSeconds(2) : new LocalTaskHubOptions().LeaseRenewInterval;

    private async Task StartWorkersAsync(DurableWorkflowOptions code, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Add(await _startWorker(code));
        }

        await AwaitPartitionsSharedAsync();
    }

    /// <summary>
    /// Waits until the workers have shared out the hub's partitions and no hand-over is under way, as a settled app
    /// would have long before a participant starts. A message fetched by a worker that is losing its partition
    /// waits out its visibility timeout (30 s), which would only measure the backend's start-up.
    /// </summary>
    private async Task AwaitPartitionsSharedAsync()
    {
        using var giveUp = new CancellationTokenSource(BusyBackendPatience, TimeProvider.System);
        string? seen = null;
        while (true)
        {
            var leases = new List<TableEntity>();
            await foreach (var lease in _partitions.QueryAsync<TableEntity>(cancellationToken: giveUp.Token))
            {
                leases.Add(lease);
            }

            var settled = leases.Count > 0
                && leases.All(l => !string.IsNullOrEmpty(l.GetString("CurrentOwner")) && string.IsNullOrEmpty(l.GetString("NextOwner")) && l.GetBoolean("IsDraining") != true)
                && leases.Select(l => l.GetString("CurrentOwner")).Distinct().Count() == Math.Min(_workers.Count, leases.Count);
            var state = settled ? string.Join(",", leases.Select(l => l.RowKey + "=" + l.GetString("CurrentOwner"))) : null;

            // One worker has nobody to hand over to. Several: the same sharing twice, two renewals apart, so that a worker
            // that lost a partition has stopped listening to it by then.
            if (state is not null && (state == seen || _workers.Count == 1))
            {
                return;
            }

            seen = state;
            await Task.Delay(state is null ? TimeSpan.FromMilliseconds(100) : 2 * PartitionRenewal(new DurableFixtureOptions(Workers: _workers.Count)), TimeProvider.System, giveUp.Token);
        }
    }

    private void Add((LocalTaskHub Worker, TimeControlledTaskHub? Timed) started)
    {
        _workers.Add(started.Worker);
        if (started.Timed is not null)
        {
            _timed.Add(started.Timed);
        }
    }

    private async Task StopWorkersAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        _workers.Clear();
        _timed.Clear();
    }
}

/// <summary>How a <see cref="DurableFixture"/> runs.</summary>
/// <param name="TimeControlled">Timers follow the fixture's clock (released by <see cref="DurableFixture.SettleAsync"/>) instead of the machine's.</param>
/// <param name="Workers">How many workers share the hub.</param>
/// <param name="Code">The orchestrator's options (its retries), when not the app's.</param>
internal sealed record DurableFixtureOptions(bool TimeControlled = false, int Workers = 1, DurableWorkflowOptions? Code = null);

/// <summary>Records every fact the orchestrator hands over; <see cref="Failing"/> makes the recorder fail as a storage outage would.</summary>
internal sealed class FactRecorder : IFactRecorder
{
    private readonly ConcurrentQueue<WorkflowFact> _recorded = new();

    public bool Failing { get; set; }

    public IReadOnlyList<WorkflowFact> For(string instanceId) => [.. _recorded.Where(f => f.InstanceId == instanceId)];

    /// <summary>The instance's facts once <paramref name="count"/> have been recorded.</summary>
    public async Task<IReadOnlyList<WorkflowFact>> WaitForAsync(string instanceId, int count)
    {
        using var giveUp = new CancellationTokenSource(DurableFixture.BusyBackendPatience, TimeProvider.System);
        while (For(instanceId) is var recorded && recorded.Count < count)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, giveUp.Token);
        }

        return For(instanceId);
    }

    public Task RecordAsync(IReadOnlyList<WorkflowFact> facts, CancellationToken cancellationToken)
    {
        if (Failing)
        {
            throw new InvalidOperationException("The summary's storage is out of reach.");
        }

        foreach (var fact in facts)
        {
            _recorded.Enqueue(fact);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Records every effect the orchestrator asks for, and tells a test when one it waits for has been.</summary>
internal sealed class EffectRecorder : IEffectHandler
{
    private readonly ConcurrentQueue<Effect> _done = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _firstCarriedOut = new();
    private readonly ConcurrentBag<(Func<Effect, bool> Match, TaskCompletionSource Seen)> _waiting = [];

    public Func<Effect, EffectResult>? Behaviour { get; set; }

    public IReadOnlyList<Effect> For(string instanceId) => [.. _done.Where(e => e.InstanceId == instanceId)];

    public IReadOnlyList<string> All => [.. _done.Select(e => e.Id)];

    public IReadOnlyList<string> Ids(string instanceId) => [.. _done.Where(e => e.InstanceId == instanceId).Select(e => e.Id)];

    /// <summary>Completes when an effect matching <paramref name="match"/> has been asked for.</summary>
    public Task WaitForAsync(Func<Effect, bool> match, TimeSpan? giveUp = null)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add((match, seen));
        if (_done.Any(match))
        {
            seen.TrySetResult();
        }

        return seen.Task.WaitAsync(giveUp ?? DurableFixture.BusyBackendPatience, TimeProvider.System);
    }

    /// <summary>When, by the machine's clock, the effect was first carried out.</summary>
    public DateTimeOffset CarriedOutAt(string effectId) => _firstCarriedOut[effectId];

    public Task<EffectResult> HandleAsync(Effect effect, CancellationToken cancellationToken)
    {
        _firstCarriedOut.TryAdd(effect.Id, TimeProvider.System.GetUtcNow());
        _done.Enqueue(effect);
        foreach (var (match, seen) in _waiting)
        {
            if (match(effect))
            {
                seen.TrySetResult();
            }
        }

        return Task.FromResult(Behaviour?.Invoke(effect) ?? EffectResult.Done);
    }
}
