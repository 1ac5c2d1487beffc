using System.Collections.Concurrent;
using Askel.Runtime.Definitions;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Askel.Runtime.Store;
using Askel.Testing;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Askel.Runtime.Tests.Engine;

/// <summary>A real engine on the shared Azurite, in its own tables, on a virtual clock, recording effects.</summary>
internal sealed class EngineFixture
{
    private readonly ConcurrentDictionary<string, WorkflowDefinition> _current = new();

    private EngineFixture(string prefix, TableClient instances, TableClient definitions)
    {
        Prefix = prefix;
        Store = new InstanceStore(instances);
        Definitions = new DefinitionStore(definitions, name => _current.GetValueOrDefault(name), (source, _) => _current.Values.Concat(Retired).First(d => d.Source == source));
        Engine = NewEngine();
    }

    public string Prefix { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    public InstanceStore Store { get; }

    public DefinitionStore Definitions { get; }

    public RecordingEffects Effects { get; } = new();

    public WorkflowEngine Engine { get; }

    /// <summary>Definitions that are no longer current but may be pinned.</summary>
    public List<WorkflowDefinition> Retired { get; } = [];

    public static async Task<EngineFixture> CreateAsync(params WorkflowDefinition[] workflows)
    {
        var account = await Azurite.AccountAsync();
        var prefix = Azurite.UniqueName("t");
        var tables = account.CreateTableServiceClient();
        var fixture = new EngineFixture(prefix, tables.GetTableClient(prefix + "instances"), tables.GetTableClient(prefix + "definitions"));
        await fixture.Store.CreateAsync(CancellationToken.None);
        await fixture.Definitions.CreateAsync(CancellationToken.None);
        foreach (var workflow in workflows)
        {
            fixture.Publish(workflow);
        }

        return fixture;
    }

    /// <summary>Makes <paramref name="workflow"/> the current version of its name.</summary>
    public void Publish(WorkflowDefinition workflow)
    {
        if (_current.TryGetValue(workflow.Name, out var old))
        {
            Retired.Add(old);
        }

        _current[workflow.Name] = workflow;
    }

    /// <summary>Another engine on the same storage, as a second worker would have.</summary>
    public WorkflowEngine NewEngine(IEffectHandler? effects = null, InstanceStore? store = null) =>
        new(store ?? Store, Definitions, effects ?? Effects, Time, new EngineOptions { StoragePrefix = Prefix }, NullLogger<WorkflowEngine>.Instance);

    /// <summary>Advances the clock in <paramref name="tick"/> steps up to <paramref name="span"/>, processing due work after each.</summary>
    public async Task RunForAsync(TimeSpan span, TimeSpan tick)
    {
        var end = Time.GetUtcNow() + span;
        while (Time.GetUtcNow() < end)
        {
            Time.Advance(tick);
            await Engine.ProcessDueAsync(CancellationToken.None);
        }
    }
}

/// <summary>Records every effect dispatch, with the clock time it happened at.</summary>
internal sealed class RecordingEffects : IEffectHandler
{
    public ConcurrentQueue<(Effect Effect, DateTimeOffset At)> Dispatched { get; } = new();

    public TimeProvider? Clock { get; set; }

    public Func<Effect, EffectResult>? Behaviour { get; set; }

    public IReadOnlyList<Effect> For(string instanceId) => Dispatched.Where(d => d.Effect.InstanceId == instanceId).Select(d => d.Effect).ToArray();

    public Task<EffectResult> HandleAsync(Effect effect, CancellationToken cancellationToken)
    {
        Dispatched.Enqueue((effect, Clock?.GetUtcNow() ?? default));
        return Task.FromResult(Behaviour?.Invoke(effect) ?? EffectResult.Done);
    }
}
