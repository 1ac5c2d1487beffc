using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Askel.Runtime.Engine;

/// <summary>What moves an instance: the reason for one transition. Serialised with its kind, so a list of them can travel.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "trigger")]
[JsonDerivedType(typeof(StartTrigger), "start")]
[JsonDerivedType(typeof(EventTrigger), "event")]
[JsonDerivedType(typeof(TimerTrigger), "timer")]
[JsonDerivedType(typeof(TerminateTrigger), "terminate")]
public abstract record Trigger;

/// <summary>The instance begins with this input (its initial data).</summary>
public sealed record StartTrigger(JsonObject Input) : Trigger;

/// <summary>A named external event with an optional payload; <paramref name="EventId"/> makes redelivery harmless.</summary>
public sealed record EventTrigger(string Name, JsonNode? Payload, string EventId) : Trigger;

/// <summary>A durable timer came due.</summary>
public sealed record TimerTrigger(string TimerId) : Trigger;

/// <summary>A person stops the instance.</summary>
public sealed record TerminateTrigger(string Reason) : Trigger;

/// <summary>One line of an instance's history: what happened, when, in which step. Never personal data.</summary>
public sealed record HistoryEntry(long Sequence, DateTimeOffset At, string Kind, string? Step, string Detail);

/// <summary>
/// A side effect to carry out after the transition commits: a message to send or a task to open.
/// Its <see cref="Id"/> is deterministic, so a retried dispatch is recognisable.
/// </summary>
/// <param name="Id">Unique and deterministic: instance, step entry and purpose.</param>
/// <param name="InstanceId">The instance it belongs to.</param>
/// <param name="Kind"><c>message</c>, <c>task</c> or <c>escalation</c> (an overdue task's reminder to staff).</param>
/// <param name="Payload">What the handler needs: template, channel, language, form, …</param>
public sealed record Effect(string Id, string InstanceId, string Kind, JsonObject Payload);

/// <summary>What one transition produced, besides the changed state.</summary>
/// <param name="History">What to record in the instance's history.</param>
/// <param name="Effects">What to carry out: messages and tasks.</param>
/// <param name="Facts">What to record about the participant once the transition has committed.</param>
/// <param name="Changed">Whether the state changed.</param>
/// <param name="Rejection">Why the trigger was refused, or null.</param>
public sealed record TransitionResult(IReadOnlyList<HistoryEntry> History, IReadOnlyList<Effect> Effects, IReadOnlyList<WorkflowFact> Facts, bool Changed, string? Rejection)
{
    /// <summary>Nothing happened (a stale timer, a duplicate event).</summary>
    public static TransitionResult Nothing { get; } = new([], [], [], false, null);

    /// <summary>The trigger was refused (e.g. an unknown task outcome); nothing changed.</summary>
    public static TransitionResult Rejected(string reason) => new([], [], [], false, reason);
}
