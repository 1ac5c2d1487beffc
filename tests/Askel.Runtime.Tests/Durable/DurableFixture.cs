using System.Collections.Concurrent;
using Askel.Runtime.Client;
using Askel.Runtime.Definitions;
using Askel.Runtime.Durable;
using Askel.Runtime.Durable.Local;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Askel.Testing;
using Azure.Storage.Queues;
using DurableTask.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Askel.Runtime.Tests.Durable;

/// <summary>
/// A real task hub on the Durable Task Framework's Azure Storage backend, on the shared Azurite, in a hub of its
/// own, running the generic orchestrator with a recording effect handler, and the typed client over it.
/// </summary>
internal sealed class DurableFixture : IAsyncDisposable
{
    private readonly LocalTaskHub[] _workers;
    private readonly TimeControlledTaskHub[] _timed;
    private readonly Dictionary<string, WorkflowDefinition> _current;

    private DurableFixture(
        LocalTaskHub[] workers, TimeControlledTaskHub[] timed, Dictionary<string, WorkflowDefinition> current, DurableWorkflowClient workflows, SignalInbox inbox, FakeTimeProvider time, EffectRecorder effects)
    {
        Inbox = inbox;
        _workers = workers;
        _timed = timed;
        _current = current;
        Workflows = workflows;
        Time = time;
        Effects = effects;
    }

    public DurableWorkflowClient Workflows { get; }

    /// <summary>The signals told and not yet applied.</summary>
    public SignalInbox Inbox { get; }

    public Microsoft.DurableTask.Client.DurableTaskClient Client => _workers[0].Client;

    /// <summary>The clients' clock: what "now" is when an instance starts or hears of something. With a time-controlled hub, the timers' clock too.</summary>
    public FakeTimeProvider Time { get; }

    public EffectRecorder Effects { get; }

    /// <summary>With a time-controlled hub: when the earliest timer not yet released comes due.</summary>
    public DateTimeOffset? NextTimerDue => _timed.Length == 0 ? null : _timed[0].NextTimerDue;

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
        var time = new FakeTimeProvider(start);
        var hubOptions = new LocalTaskHubOptions
        {
            TaskHub = name,
            MaxPollingInterval = TimeSpan.FromMilliseconds(100),
            // Under the test's clock a long wait is one timer the clock releases.
            MaximumTimerInterval = options.TimeControlled ? TimeSpan.FromDays(36500) : new LocalTaskHubOptions().MaximumTimerInterval,
        };
        var held = new HeldTimers();
        var timed = new List<TimeControlledTaskHub>();
        var workers = new List<LocalTaskHub>();
        for (var i = 0; i < options.Workers; i++)
        {
            // Each worker has its own backend object, with its own partition leases, as a separate process would.
            IOrchestrationService service = LocalTaskHub.AzureStorage(account, hubOptions, NullLoggerFactory.Instance);
            if (options.TimeControlled)
            {
                var hub = new TimeControlledTaskHub(service, time, new QueueServiceClient(account.ConnectionString), name, held);
                timed.Add(hub);
                service = hub;
            }

            workers.Add(await WorkflowWorker.StartAsync(service, definitions, new DurableWorkflowOptions(), effects, inbox, hubOptions, NullLoggerFactory.Instance));
        }

        return new DurableFixture([.. workers], [.. timed], current, new DurableWorkflowClient(workers[0].Client, definitions, inbox, time), inbox, time, effects);
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
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60), TimeProvider.System);
        while (true)
        {
            if (await Workflows.StatusAsync(instanceId, giveUp.Token) is { } status && until(status))
            {
                return status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, giveUp.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }
    }
}

/// <summary>How a <see cref="DurableFixture"/> runs.</summary>
/// <param name="TimeControlled">Timers follow the fixture's clock (released by <see cref="DurableFixture.SettleAsync"/>) instead of the machine's.</param>
/// <param name="Workers">How many workers share the hub.</param>
internal sealed record DurableFixtureOptions(bool TimeControlled = false, int Workers = 1);

/// <summary>Records every effect the orchestrator asks for, and tells a test when one it waits for has been.</summary>
internal sealed class EffectRecorder : IEffectHandler
{
    private readonly ConcurrentQueue<Effect> _done = new();
    private readonly ConcurrentBag<(Func<Effect, bool> Match, TaskCompletionSource Seen)> _waiting = [];

    public Func<Effect, EffectResult>? Behaviour { get; set; }

    public IReadOnlyList<Effect> For(string instanceId) => [.. _done.Where(e => e.InstanceId == instanceId)];

    public IReadOnlyList<string> All => [.. _done.Select(e => e.Id)];

    public IReadOnlyList<string> Ids(string instanceId) => [.. _done.Where(e => e.InstanceId == instanceId).Select(e => e.Id)];

    /// <summary>Completes when an effect matching <paramref name="match"/> has been asked for.</summary>
    public Task WaitForAsync(Func<Effect, bool> match)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add((match, seen));
        if (_done.Any(match))
        {
            seen.TrySetResult();
        }

        return seen.Task.WaitAsync(TimeSpan.FromSeconds(60), TimeProvider.System);
    }

    public Task<EffectResult> HandleAsync(Effect effect, CancellationToken cancellationToken)
    {
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
