using System.Text.Json.Nodes;
using Askel.Runtime.Engine;

namespace Askel.Runtime.Client;

/// <summary>How a start went.</summary>
public enum StartStatus
{
    /// <summary>The instance started.</summary>
    Started,

    /// <summary>An instance with that id exists already; nothing changed.</summary>
    Exists,

    /// <summary>There is no such workflow.</summary>
    UnknownWorkflow,

    /// <summary>The instance id is not one Askel accepts.</summary>
    InvalidId,
}

/// <summary>How telling an instance went.</summary>
public enum RaiseStatus
{
    /// <summary>The instance took the event (or had it already).</summary>
    Accepted,

    /// <summary>There is no such instance.</summary>
    NotFound,

    /// <summary>The instance refused it; the reason says why (e.g. an outcome the task does not have).</summary>
    Rejected,
}

/// <summary>The answer to a raise.</summary>
public sealed record RaiseOutcome(RaiseStatus Status, string? Reason = null)
{
    /// <summary>Accepted.</summary>
    public static RaiseOutcome Accepted { get; } = new(RaiseStatus.Accepted);
}

/// <summary>Which instances to list.</summary>
/// <param name="Status">Only in this status.</param>
/// <param name="Workflow">Only of this workflow.</param>
/// <param name="CreatedFrom">Only started at or after.</param>
/// <param name="CreatedTo">Only started before.</param>
/// <param name="Top">At most this many.</param>
/// <param name="IdPrefix">Only instances whose id starts with this (e.g. a project's <c>demo.</c>).</param>
public sealed record InstanceQuery(InstanceStatus? Status, string? Workflow, DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo, int Top, string? IdPrefix = null);

/// <summary>
/// How the app talks to workflows: start, tell, look, stop. It never touches the runtime's storage,
/// table names or event-name prefixes; everything it says is a record.
/// </summary>
public interface IWorkflowClient
{
    /// <summary>Starts <paramref name="instanceId"/> on the current version of <paramref name="workflow"/>; repeating a start changes nothing.</summary>
    Task<StartStatus> StartAsync(string workflow, string instanceId, JsonObject input, CancellationToken cancellationToken);

    /// <summary>Tells an instance that something happened; an event id it has applied before changes nothing.</summary>
    Task<RaiseOutcome> RaiseAsync(string instanceId, WorkflowEvent workflowEvent, CancellationToken cancellationToken);

    /// <summary>The instance's status, or null when there is none.</summary>
    Task<WorkflowStatus?> StatusAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>The instance's history, oldest first (what it did, never personal data).</summary>
    Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Instances matching <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<WorkflowStatus>> QueryAsync(InstanceQuery query, CancellationToken cancellationToken);

    /// <summary>Stops an instance with a reason; false when there is none.</summary>
    Task<bool> TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken);

    /// <summary>Deletes everything of an instance; false when there is none.</summary>
    Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Pauses an instance: its timers and events wait until it is resumed; false when there is none.</summary>
    Task<bool> SuspendAsync(string instanceId, string reason, CancellationToken cancellationToken);

    /// <summary>Lets a suspended instance go on; false when there is none.</summary>
    Task<bool> ResumeAsync(string instanceId, string reason, CancellationToken cancellationToken);
}
