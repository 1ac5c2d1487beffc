using System.Collections.Concurrent;
using Askel.Runtime.Client;
using Askel.Runtime.Definitions;
using Askel.Runtime.Durable;
using Askel.Runtime.Durable.Local;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Askel.Testing;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Askel.Runtime.Tests.Durable;

/// <summary>
/// A real task hub on the Durable Task Framework's Azure Storage backend, on the shared Azurite, in a hub of its
/// own, running the generic orchestrator with a recording effect handler, and the typed client over it.
/// </summary>
internal sealed class DurableFixture : IAsyncDisposable
{
    private readonly LocalTaskHub _hub;

    private DurableFixture(LocalTaskHub hub, DurableWorkflowClient workflows, FakeTimeProvider time, EffectRecorder effects)
    {
        _hub = hub;
        Workflows = workflows;
        Time = time;
        Effects = effects;
    }

    public DurableWorkflowClient Workflows { get; }

    public Microsoft.DurableTask.Client.DurableTaskClient Client => _hub.Client;

    /// <summary>The clients' clock: what "now" is when an instance starts or hears of something.</summary>
    public FakeTimeProvider Time { get; }

    public EffectRecorder Effects { get; }

    /// <param name="start">The virtual time to start at. Long ago, every timer is already due and fires at once, in
    /// order; far ahead, none fires while a test runs.</param>
    /// <param name="workflows">The definitions it knows.</param>
    public static async Task<DurableFixture> StartAsync(DateTimeOffset start, params WorkflowDefinition[] workflows)
    {
        var account = await Azurite.AccountAsync();
        var name = Azurite.UniqueName("h");
        var current = workflows.ToDictionary(w => w.Name);
        var definitions = new DefinitionStore(
            account.CreateTableServiceClient().GetTableClient(name + "definitions"), n => current.GetValueOrDefault(n), (source, _) => workflows.First(w => w.Source == source));
        await definitions.CreateAsync(CancellationToken.None);
        var effects = new EffectRecorder();
        var options = new LocalTaskHubOptions { TaskHub = name };
        var hub = await LocalTaskHub.StartAsync(
            LocalTaskHub.AzureStorage(account, options, NullLoggerFactory.Instance),
            new Dictionary<string, Func<ITaskOrchestrator>> { [WorkflowOrchestrator.Name] = () => new WorkflowOrchestrator(definitions, new DurableWorkflowOptions()) },
            new Dictionary<string, Func<ITaskActivity>> { [EffectActivity.Name] = () => new EffectActivity(effects) },
            options,
            NullLoggerFactory.Instance);
        var time = new FakeTimeProvider(start);
        return new DurableFixture(hub, new DurableWorkflowClient(hub.Client, definitions, time), time, effects);
    }

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

    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}

/// <summary>Records every effect the orchestrator asks for, and tells a test when one it waits for has been.</summary>
internal sealed class EffectRecorder : IEffectHandler
{
    private readonly ConcurrentQueue<Effect> _done = new();
    private readonly ConcurrentBag<(Func<Effect, bool> Match, TaskCompletionSource Seen)> _waiting = [];

    public Func<Effect, EffectResult>? Behaviour { get; set; }

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
