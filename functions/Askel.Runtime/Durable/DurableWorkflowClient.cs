using System.Text.Json.Nodes;
using Askel.Runtime.Client;
using Askel.Runtime.Definitions;
using Askel.Runtime.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Askel.Runtime.Durable;

/// <summary>
/// The typed workflow client over Durable Task: an instance is an orchestration of <see cref="WorkflowOrchestrator"/>
/// whose input, moved on by what its custom status says the execution has applied since (<see cref="WorkflowProgress"/>),
/// or whose output (at its end) is its <see cref="WorkflowRun"/>. So a status read is one instance lookup and a few
/// applications of the pure step function, and never replays the orchestration.
/// </summary>
public sealed class DurableWorkflowClient(DurableTaskClient client, IWorkflowDefinitions definitions, SignalInbox inbox, TimeProvider time) : IWorkflowClient
{
    /// <inheritdoc/>
    public async Task<StartStatus> StartAsync(string workflow, string instanceId, JsonObject input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!InstanceIds.IsValid(instanceId))
        {
            return StartStatus.InvalidId;
        }

        if (definitions.Current(workflow) is not { } definition)
        {
            return StartStatus.UnknownWorkflow;
        }

        await definitions.PinAsync(definition, cancellationToken);
        var now = time.GetUtcNow();
        var state = new InstanceState { Id = instanceId, Workflow = definition.Name, Version = definition.Version, CreatedAt = now, UpdatedAt = now };
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                WorkflowOrchestrator.Name, new WorkflowRun(state, [], new WorkflowStart(input, now)), new StartOrchestrationOptions(instanceId) { Version = WorkflowOrchestrator.CurrentVersion }, cancellationToken);
        }
        catch (Exception) // the id is taken (the hub refuses a start with it), or the start failed
        {
            if (await client.GetInstanceAsync(instanceId, cancellationToken) is null)
            {
                throw;
            }

            return StartStatus.Exists;
        }

        return StartStatus.Started;
    }

    /// <inheritdoc/>
    public async Task<RaiseOutcome> RaiseAsync(string instanceId, WorkflowEvent workflowEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflowEvent);
        if (await StatusAsync(instanceId, cancellationToken) is not { } status)
        {
            return new RaiseOutcome(RaiseStatus.NotFound, $"There is no instance {instanceId}.");
        }

        // The step function would refuse an outcome its task does not have; say so now, since the signal is applied later.
        if (workflowEvent is TaskCompleted task && status.Waiting == new AwaitingTask(task.Step))
        {
            var definition = await definitions.PinnedAsync(status.Workflow, status.Version, cancellationToken);
            if (definition.Steps.TryGetValue(task.Step, out var step) && step is TaskStep taskStep && !taskStep.Outcomes.ContainsKey(task.Outcome))
            {
                return new RaiseOutcome(RaiseStatus.Rejected, $"'{task.Outcome}' is not an outcome of task '{task.Step}': use one of {string.Join(", ", taskStep.Outcomes.Keys)}.");
            }
        }

        if (!status.IsFinished)
        {
            // The inbox row first: it is what the instance is sure to read; the event only wakes it.
            var signal = new WorkflowSignal(workflowEvent.Name, workflowEvent.Payload(), workflowEvent.Id, time.GetUtcNow());
            await inbox.WriteAsync(instanceId, signal, cancellationToken);
            await client.RaiseEventAsync(instanceId, WorkflowOrchestrator.SignalEvent, signal, cancellationToken);
        }

        return RaiseOutcome.Accepted;
    }

    /// <inheritdoc/>
    public async Task<WorkflowStatus?> StatusAsync(string instanceId, CancellationToken cancellationToken) =>
        InstanceIds.IsValid(instanceId) && await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken) is { } found
            ? await StatusOfAsync(found, cancellationToken)
            : null;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string instanceId, CancellationToken cancellationToken) =>
        InstanceIds.IsValid(instanceId) && await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken) is { } found
            ? (await RunOfAsync(found, cancellationToken))?.History ?? []
            : [];

    /// <inheritdoc/>
    public async Task<IReadOnlyList<WorkflowStatus>> QueryAsync(InstanceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = new OrchestrationQuery
        {
            CreatedFrom = query.CreatedFrom,
            CreatedTo = query.CreatedTo,
            FetchInputsAndOutputs = true,
            PageSize = Math.Min(query.Top, 100),
            InstanceIdPrefix = query.IdPrefix,
        };
        var found = new List<WorkflowStatus>();
        await foreach (var instance in client.GetAllInstancesAsync(filter).WithCancellation(cancellationToken))
        {
            if (await StatusOfAsync(instance, cancellationToken) is { } status && (query.Workflow is null || status.Workflow == query.Workflow) && (query.Status is null || status.Status == query.Status))
            {
                found.Add(status);
                if (found.Count == query.Top)
                {
                    break;
                }
            }
        }

        return [.. found.OrderByDescending(s => s.CreatedAt)];
    }

    /// <inheritdoc/>
    public Task<bool> TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken) =>
        ChangeAsync(instanceId, s => !s.IsFinished, () => client.TerminateInstanceAsync(instanceId, reason, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> SuspendAsync(string instanceId, string reason, CancellationToken cancellationToken) =>
        ChangeAsync(instanceId, s => !s.IsFinished && !s.Suspended, () => client.SuspendInstanceAsync(instanceId, reason, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> ResumeAsync(string instanceId, string reason, CancellationToken cancellationToken) =>
        ChangeAsync(instanceId, s => s.Suspended, () => client.ResumeInstanceAsync(instanceId, reason, cancellationToken), cancellationToken);

    /// <summary>Changes an instance when its status says the change applies; false when there is no instance.</summary>
    private async Task<bool> ChangeAsync(string instanceId, Func<WorkflowStatus, bool> applies, Func<Task> change, CancellationToken cancellationToken)
    {
        if (await StatusAsync(instanceId, cancellationToken) is not { } status)
        {
            return false;
        }

        if (applies(status))
        {
            await change();
        }

        return true;
    }

    /// <inheritdoc/>
    public async Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (!InstanceIds.IsValid(instanceId) || (await client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken)).PurgedInstanceCount == 0)
        {
            return false;
        }

        await inbox.PurgeAsync(instanceId, cancellationToken);
        return true;
    }

    /// <summary>Where the instance is: its output once completed, else its execution's input moved on by the execution's progress.</summary>
    private async Task<WorkflowRun?> RunOfAsync(OrchestrationMetadata instance, CancellationToken cancellationToken)
    {
        if (instance.IsCompleted && instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed)
        {
            return instance.ReadOutputAs<WorkflowRun>();
        }

        var run = instance.ReadInputAs<WorkflowRun>();
        if (run is null || instance.ReadCustomStatusAs<WorkflowProgress>() is not { Applied.Count: > 0 } progress)
        {
            return run;
        }

        var definition = await definitions.PinnedAsync(run.State.Workflow, run.State.Version, cancellationToken);
        return run.Advanced(progress, definition);
    }

    private async Task<WorkflowStatus?> StatusOfAsync(OrchestrationMetadata instance, CancellationToken cancellationToken)
    {
        if (await RunOfAsync(instance, cancellationToken) is not { } run)
        {
            return null;
        }

        var status = WorkflowStatus.Of(run.State);
        return instance.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Terminated => status with { Status = InstanceStatus.Terminated, Error = instance.ReadOutputAs<string>(), Timers = [], Awaiting = null },
            OrchestrationRuntimeStatus.Failed => status with { Status = InstanceStatus.Failed, Error = instance.FailureDetails?.ErrorMessage, Timers = [], Awaiting = null },
            OrchestrationRuntimeStatus.Suspended => status with { Suspended = true },
            _ => status,
        };
    }
}
