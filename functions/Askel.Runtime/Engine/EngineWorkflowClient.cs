using System.Text.Json.Nodes;
using Askel.Runtime.Client;

namespace Askel.Runtime.Engine;

/// <summary>The typed workflow client over Askel's own engine and instance store.</summary>
/// <param name="engineOf">The engine, asked for on first use: the engine's effects reach services that use this client.</param>
public sealed class EngineWorkflowClient(Func<WorkflowEngine> engineOf) : IWorkflowClient
{
    private WorkflowEngine Engine => engineOf();

    /// <inheritdoc/>
    public async Task<StartStatus> StartAsync(string workflow, string instanceId, JsonObject input, CancellationToken cancellationToken) =>
        (await Engine.StartAsync(workflow, instanceId, input, cancellationToken)).Status switch
        {
            ApplyStatus.Applied => StartStatus.Started,
            ApplyStatus.Conflict => StartStatus.Exists,
            ApplyStatus.NotFound => StartStatus.UnknownWorkflow,
            _ => StartStatus.InvalidId,
        };

    /// <inheritdoc/>
    public async Task<RaiseOutcome> RaiseAsync(string instanceId, WorkflowEvent workflowEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflowEvent);
        var outcome = await Engine.RaiseEventAsync(instanceId, workflowEvent.Name, workflowEvent.Payload(), workflowEvent.Id, cancellationToken);
        return outcome.Status switch
        {
            ApplyStatus.NotFound => new RaiseOutcome(RaiseStatus.NotFound, outcome.Reason),
            ApplyStatus.Rejected => new RaiseOutcome(RaiseStatus.Rejected, outcome.Reason),
            _ => RaiseOutcome.Accepted,
        };
    }

    /// <inheritdoc/>
    public async Task<WorkflowStatus?> StatusAsync(string instanceId, CancellationToken cancellationToken) =>
        WorkflowEngine.IsValidInstanceId(instanceId) && await Engine.Store.LoadAsync(instanceId, cancellationToken) is { } loaded
            ? WorkflowStatus.Of(loaded.State)
            : null;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string instanceId, CancellationToken cancellationToken) =>
        WorkflowEngine.IsValidInstanceId(instanceId) ? await Engine.Store.HistoryAsync(instanceId, cancellationToken) : [];

    /// <inheritdoc/>
    public async Task<IReadOnlyList<WorkflowStatus>> QueryAsync(InstanceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var found = await Engine.Store.QueryAsync(query.Status, query.Workflow, query.CreatedFrom, query.CreatedTo, query.Top, cancellationToken);
        return [.. found.Select(WorkflowStatus.Of)];
    }

    /// <inheritdoc/>
    public async Task<bool> TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken) =>
        (await Engine.TerminateAsync(instanceId, reason, cancellationToken)).Status != ApplyStatus.NotFound;

    /// <inheritdoc/>
    public async Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken) =>
        WorkflowEngine.IsValidInstanceId(instanceId) && await Engine.Store.PurgeAsync(instanceId, cancellationToken);
}
