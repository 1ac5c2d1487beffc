using System.Text.Json;
using System.Text.Json.Nodes;
using Askel.Runtime.Definitions;
using Askel.Runtime.Engine;

namespace Askel.Runtime.Durable;

/// <summary>
/// The generic orchestrator's input: the instance's state where its last execution continued as new, and its recent
/// history. Each execution ends with <c>ContinueAsNew</c> after a few steps, so this record is all an execution needs
/// and an orchestration history never grows past those steps.
/// </summary>
/// <param name="State">Where the instance is: step, timers, recorded data.</param>
/// <param name="History">The newest entries of what it did (at most <see cref="HistoryLimit"/>).</param>
/// <param name="Start">Set only on the first execution: the input the instance starts with.</param>
/// <param name="Applied">Ids of the signals the last execution applied: the next one removes them from the inbox.</param>
/// <param name="Unrecorded">Facts the last execution could not record: the next one records them with its first.</param>
/// <param name="Execution">How many times the instance has continued as new: tells a status read which execution's
/// <see cref="WorkflowProgress"/> belongs to this input.</param>
public sealed record WorkflowRun(
    InstanceState State, IReadOnlyList<HistoryEntry> History, WorkflowStart? Start = null, IReadOnlyList<string>? Applied = null,
    IReadOnlyList<WorkflowFact>? Unrecorded = null, int Execution = 0)
{
    /// <summary>How many history entries an instance keeps.</summary>
    public const int HistoryLimit = 200;

    /// <summary>
    /// This run moved on by what its execution has applied since (<paramref name="progress"/>), with the same pure step
    /// function the orchestrator ran: where the instance is now. Changes <see cref="State"/> in place, so call it on a
    /// run just read. A progress of another execution (one that ended as this input was written) is left out.
    /// </summary>
    public WorkflowRun Advanced(WorkflowProgress? progress, WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (progress?.Applied is not { Count: > 0 } applied || progress.Execution != Execution)
        {
            return this;
        }

        var history = new List<HistoryEntry>(History);
        foreach (var (trigger, at) in applied)
        {
            history.AddRange(Interpreter.Apply(State, definition, trigger, at).History);
        }

        return this with { History = history.Count > HistoryLimit ? history[^HistoryLimit..] : history };
    }
}

/// <summary>
/// The orchestration's custom status: why the instance waits, and what its running execution has applied since its
/// input, in order. The execution's input is where the instance was when the execution began; a status read moves it on
/// by these (<see cref="WorkflowRun.Advanced"/>), so it is current at every wait without replaying the orchestration.
/// </summary>
/// <param name="Waiting">Why it waits.</param>
/// <param name="Execution">The execution this is the progress of (<see cref="WorkflowRun.Execution"/> of its input).</param>
/// <param name="Applied">The triggers applied since the input, each with the step function's time for it.</param>
public sealed record WorkflowProgress(WaitingStatus Waiting, int Execution, IReadOnlyList<AppliedTrigger> Applied)
{
    // Durable limits a custom status to 16 KB of UTF-16 text (8,192 characters); the rest leaves room for Waiting.
    private const int AppliedLimit = 6_000;

    /// <summary>True when <paramref name="applied"/> is as much as a custom status can carry: the execution then continues as new.</summary>
    public static bool IsFull(IReadOnlyList<AppliedTrigger> applied) => JsonSerializer.Serialize(applied).Length > AppliedLimit;
}

/// <summary>A trigger the orchestrator applied, and the step function's time for it.</summary>
public sealed record AppliedTrigger(Trigger Trigger, DateTimeOffset At);

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
