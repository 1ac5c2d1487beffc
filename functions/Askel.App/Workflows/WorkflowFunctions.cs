using Askel.Runtime.Definitions;
using Askel.Runtime.Durable;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Askel.App.Workflows;

/// <summary>
/// The workflow runtime's Durable functions: the one generic orchestrator that interprets every instance's pinned
/// definition, and its three activities. In Azure the Functions host's Durable extension calls them; locally the local
/// host serves them on the Durable Task Framework.
/// </summary>
public sealed class WorkflowFunctions(IWorkflowDefinitions definitions, DurableWorkflowOptions options, IEffectHandler effects, SignalInbox inbox, IFactRecorder facts)
{
    /// <summary>An instance's execution: a few steps, then it continues as new (<see cref="WorkflowOrchestrator"/>).</summary>
    [Function(WorkflowOrchestrator.Name)]
    public Task<WorkflowRun?> OrchestrateAsync([OrchestrationTrigger] TaskOrchestrationContext context, WorkflowRun run) =>
        new WorkflowOrchestrator(definitions, options).RunAsync(context, run);

    /// <summary>Carries out one effect; idempotent by the effect's deterministic id, since activities run at least once.</summary>
    [Function(EffectActivity.Name)]
    public Task<EffectResult> EffectAsync([ActivityTrigger] Effect effect, CancellationToken cancellationToken) =>
        effects.HandleAsync(effect, cancellationToken);

    /// <summary>Records what an execution's steps established about the participant (<see cref="FactsActivity"/>).</summary>
    [Function(FactsActivity.Name)]
    public async Task<bool> FactsAsync([ActivityTrigger] IReadOnlyList<WorkflowFact> recorded, CancellationToken cancellationToken)
    {
        await facts.RecordAsync(recorded, cancellationToken);
        return true;
    }

    /// <summary>Reads an instance's inbox and removes what its last execution applied.</summary>
    [Function(InboxActivity.Name)]
    public Task<IReadOnlyList<WorkflowSignal>> InboxAsync([ActivityTrigger] InboxRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return inbox.TakeAsync(request.InstanceId, request.Applied, cancellationToken);
    }
}
