using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Askel.Runtime.Engine;

/// <summary>Where an instance is in its life.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InstanceStatus>))]
public enum InstanceStatus
{
    /// <summary>Between steps; only seen inside a transition.</summary>
    Running,

    /// <summary>Waiting for a timer, an event, a form or a coordinator.</summary>
    Waiting,

    /// <summary>Reached an end step.</summary>
    Completed,

    /// <summary>Stopped on an error it cannot get past alone (the reason is in <see cref="InstanceState.Error"/>).</summary>
    Failed,

    /// <summary>Stopped by a person, with a reason.</summary>
    Terminated,
}

/// <summary>A durable timer an instance is waiting on.</summary>
/// <param name="Id">Unique within the instance; a fired or cancelled id never acts again.</param>
/// <param name="Due">When it fires (never earlier).</param>
/// <param name="Kind">What it does: attempt, expire, wait, timeout, check-in, escalate.</param>
public sealed record DurableTimer(string Id, DateTimeOffset Due, string Kind);

/// <summary>
/// Everything an instance is, persisted as one row: the interpreter reads and changes it, the store
/// commits it together with its new history, timers and effects in one transaction.
/// </summary>
public sealed class InstanceState
{
    /// <summary>The instance id (also what events and timers address).</summary>
    public required string Id { get; init; }

    /// <summary>The workflow's name.</summary>
    public required string Workflow { get; init; }

    /// <summary>The pinned definition version: the instance runs this one to its end.</summary>
    public required string Version { get; init; }

    /// <summary>Its status.</summary>
    public InstanceStatus Status { get; set; } = InstanceStatus.Running;

    /// <summary>The current step, or null before the first and after the end.</summary>
    public string? Step { get; set; }

    /// <summary>How many steps have been entered; part of every effect id, so re-entering a step sends anew.</summary>
    public int StepEntry { get; set; }

    /// <summary>When the current step was entered; attempt offsets count from here.</summary>
    public DateTimeOffset StepEnteredAt { get; set; }

    /// <summary>How many of the current step's attempts (or check-ins) have been made.</summary>
    public int Attempt { get; set; }

    /// <summary>The event the current step waits for (e.g. <c>form:exit-form</c>), for "why is it waiting".</summary>
    public string? Awaiting { get; set; }

    /// <summary>The instance's recorded data: its input, forms, tasks, events and channel states.</summary>
    public JsonObject Data { get; set; } = [];

    /// <summary>Active timers.</summary>
    public List<DurableTimer> Timers { get; set; } = [];

    /// <summary>Events received while nothing waited for them, oldest first; a later waitFor consumes them.</summary>
    public List<string> Inbox { get; set; } = [];

    /// <summary>Ids of the most recent events applied, so a redelivered event is applied once.</summary>
    public List<string> RecentEventIds { get; set; } = [];

    /// <summary>The next history sequence number.</summary>
    public long HistoryNext { get; set; }

    /// <summary>The end outcome, once completed.</summary>
    public string? Outcome { get; set; }

    /// <summary>Why it failed or was terminated.</summary>
    public string? Error { get; set; }

    /// <summary>When it started.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>True once nothing more can happen to it.</summary>
    [JsonIgnore]
    public bool IsFinished => Status is InstanceStatus.Completed or InstanceStatus.Failed or InstanceStatus.Terminated;

    /// <summary>The earliest timer, if any.</summary>
    [JsonIgnore]
    public DurableTimer? NextTimer => Timers.Count == 0 ? null : Timers.MinBy(t => t.Due);
}
