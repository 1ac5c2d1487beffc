using System.Text.Json.Nodes;
using Askel.Runtime.Engine;

namespace Askel.Runtime.Durable;

/// <summary>
/// The generic orchestrator's input: the instance's state at its last durable wait, and its recent history.
/// Each execution ends at the next wait with <c>ContinueAsNew</c>, so this record is all an execution needs
/// and an orchestration history never grows past one step.
/// </summary>
/// <param name="State">Where the instance is: step, timers, recorded data.</param>
/// <param name="History">The newest entries of what it did (at most <see cref="HistoryLimit"/>).</param>
/// <param name="Start">Set only on the first execution: the input the instance starts with.</param>
/// <param name="Applied">Ids of the signals the last execution applied: the next one removes them from the inbox.</param>
/// <param name="Unrecorded">Facts the last execution could not record: the next one records them first.</param>
public sealed record WorkflowRun(
    InstanceState State, IReadOnlyList<HistoryEntry> History, WorkflowStart? Start = null, IReadOnlyList<string>? Applied = null,
    IReadOnlyList<WorkflowFact>? Unrecorded = null)
{
    /// <summary>How many history entries an instance keeps.</summary>
    public const int HistoryLimit = 200;
}

/// <summary>How an instance begins: its input (no personal data) and when it was asked to start.</summary>
public sealed record WorkflowStart(JsonObject Input, DateTimeOffset At);

/// <summary>
/// An event on the wire to an orchestration: every event an instance can take arrives under one event name
/// (<see cref="WorkflowOrchestrator.SignalEvent"/>), since a step may await any of several.
/// </summary>
/// <param name="Name">The step function's name of the event (from <see cref="Client.WorkflowEvent.Name"/>).</param>
/// <param name="Payload">What it carries.</param>
/// <param name="Id">Its id: applied once.</param>
/// <param name="At">When it happened, by the sender's clock: the step function's "now" for it.</param>
public sealed record WorkflowSignal(string Name, JsonObject Payload, string Id, DateTimeOffset At);

/// <summary>
/// Why an instance waits, as its custom status: the step, what it awaits, the next timer, attempt n of m.
/// The coordinator's timeline and the instance API read it without loading the instance's history.
/// </summary>
/// <param name="Status">Waiting, or how it ended.</param>
/// <param name="Step">The current step.</param>
/// <param name="Awaiting">What it awaits, in the step function's name (<c>form:esf-exit</c>).</param>
/// <param name="NextTimer">The earliest pending timer.</param>
/// <param name="Attempt">Attempts sent in this step.</param>
/// <param name="Attempts">Attempts the step plans in all.</param>
public sealed record WaitingStatus(InstanceStatus Status, string? Step, string? Awaiting, DurableTimer? NextTimer, int Attempt, int Attempts);
