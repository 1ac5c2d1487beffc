using System.Text.Json.Nodes;

namespace Askel.Runtime.Client;

/// <summary>
/// Something that happened to an instance, told by the app. Each kind is a record; the wire name and
/// payload the step function reads (<see cref="Name"/>, <see cref="Payload"/>) exist only at the edge.
/// </summary>
/// <param name="Id">Makes redelivery harmless: an instance applies an event id once.</param>
public abstract record WorkflowEvent(string Id)
{
    /// <summary>The event's name as the definition's steps await it.</summary>
    public abstract string Name { get; }

    /// <summary>What the instance records of it (never personal data).</summary>
    public abstract JsonObject Payload();

    /// <summary>
    /// Reads an event told by name, as the instance API takes it: <c>form:x</c>, <c>confirm:x</c>,
    /// <c>task:x</c>, <c>channel:x</c>, <c>contact-attempt</c> and <c>language</c> become their records, any other name a <see cref="NamedEvent"/>.
    /// </summary>
    public static WorkflowEvent FromWire(string name, JsonNode? payload, string id)
    {
        ArgumentNullException.ThrowIfNull(name);
        var data = payload as JsonObject ?? [];
        string? Text(string key) => data[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var (kind, subject) = name.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? (name[..colon], name[(colon + 1)..]) : (name, "");
        return kind switch
        {
            "form" => new FormSubmitted(subject, Text("filledBy") ?? "participant", Text("formVersion") ?? "", id),
            "confirm" => new ExternalConfirmed(subject, Text("by") ?? "coordinator", id),
            "task" => new TaskCompleted(subject, Text("outcome") ?? "", Text("by") ?? "coordinator", id),
            "channel" => new ChannelChanged(subject, Text("state") ?? "ok", Text("source") ?? "", id),
            ContactAttempted.EventName => new ContactAttempted(Text("kind") ?? "", Text("outcome") ?? "", id),
            LanguageChanged.EventName => new LanguageChanged(Text("language") ?? "", id),
            _ => new NamedEvent(name, data, id),
        };
    }
}

/// <summary>A form was submitted (by the participant, or filled in together with a coordinator).</summary>
public sealed record FormSubmitted(string Form, string FilledBy, string FormVersion, string Id) : WorkflowEvent(Id)
{
    /// <summary>The id that makes a repeated submission of the same form count once.</summary>
    public static string IdFor(string form) => "form:" + form;

    /// <inheritdoc/>
    public override string Name => "form:" + Form;

    /// <inheritdoc/>
    public override JsonObject Payload() => new() { ["filledBy"] = FilledBy, ["formVersion"] = FormVersion };
}

/// <summary>A person confirmed that a form kept in another system (EURA 2021) was filled in.</summary>
public sealed record ExternalConfirmed(string External, string By, string Id) : WorkflowEvent(Id)
{
    /// <inheritdoc/>
    public override string Name => "confirm:" + External;

    /// <inheritdoc/>
    public override JsonObject Payload() => new() { ["by"] = By };
}

/// <summary>A coordinator completed a task with one of its outcomes.</summary>
public sealed record TaskCompleted(string Step, string Outcome, string By, string Id) : WorkflowEvent(Id)
{
    /// <inheritdoc/>
    public override string Name => "task:" + Step;

    /// <inheritdoc/>
    public override JsonObject Payload() => new() { ["outcome"] = Outcome, ["by"] = By };
}

/// <summary>
/// A channel's state changed: <c>invalid</c> (bounced, a wrong number), <c>opted-out</c>, <c>missing</c> (no address),
/// or <c>ok</c> again (re-enabled, or a new address).
/// </summary>
public sealed record ChannelChanged(string Channel, string State, string Source, string Id) : WorkflowEvent(Id)
{
    /// <summary>
    /// One event per change: the channel, its new state and when it changed (a channel re-enabled and then invalid
    /// again is a new change; a report of a state the channel already has is not told at all).
    /// </summary>
    public static string IdFor(string channel, string state, DateTimeOffset at) => $"channel:{channel}:{state}:{at.UtcTicks}";

    /// <inheritdoc/>
    public override string Name => "channel:" + Channel;

    /// <inheritdoc/>
    public override JsonObject Payload() => new() { ["state"] = State, ["source"] = Source };
}

/// <summary>
/// A coordinator reached for the participant outside Askel (a phone call, WhatsApp, a visit, a letter) and recorded
/// it. An <c>ask</c> or <c>external</c> step with <c>countsContactAttempts: true</c> counts it as one of its attempts,
/// so the next reminder it would have sent is skipped.
/// </summary>
/// <param name="Kind">How: <c>phone</c>, <c>whatsapp</c>, <c>visit</c> or <c>letter</c>.</param>
/// <param name="Outcome">What came of it: <c>reached</c>, <c>no-answer</c> or <c>wrong-number</c>.</param>
/// <param name="Id">One per attempt.</param>
public sealed record ContactAttempted(string Kind, string Outcome, string Id) : WorkflowEvent(Id)
{
    /// <summary>The event's name.</summary>
    public const string EventName = "contact-attempt";

    /// <inheritdoc/>
    public override string Name => EventName;

    /// <inheritdoc/>
    public override JsonObject Payload() => new() { ["kind"] = Kind, ["outcome"] = Outcome };
}

/// <summary>The participant's language changed (a correction): messages from now on are in it.</summary>
public sealed record LanguageChanged(string Language, string Id) : WorkflowEvent(Id)
{
    /// <summary>The event's name.</summary>
    public const string EventName = "language";

    /// <inheritdoc/>
    public override string Name => EventName;

    /// <inheritdoc/>
    public override JsonObject Payload() => new() { ["language"] = Language };
}

/// <summary>A message the workflow sent did not arrive; the workflow sends it again through the next channel.</summary>
/// <param name="MessageId">The message's (the effect's) id.</param>
/// <param name="Channel">The channel it failed on.</param>
/// <param name="Reason">Why, without personal data.</param>
/// <param name="Permanent">True when the channel does not work for this participant (marked invalid), false when it failed for a while (failing).</param>
/// <param name="Message">The message as the workflow asked for it (template, channel, form, …), so the step can send it again.</param>
public sealed record DeliveryFailed(string MessageId, string Channel, string Reason, bool Permanent, JsonObject? Message) : WorkflowEvent(IdFor(MessageId))
{
    /// <summary>The event's name.</summary>
    public const string EventName = "delivery-failed";

    /// <summary>One failure per message.</summary>
    public static string IdFor(string messageId) => "delivery-failed:" + messageId;

    /// <inheritdoc/>
    public override string Name => EventName;

    /// <inheritdoc/>
    public override JsonObject Payload()
    {
        var payload = new JsonObject { ["effectId"] = MessageId, ["channel"] = Channel, ["reason"] = Reason, ["permanent"] = Permanent };
        if (Message is not null)
        {
            payload["message"] = Message.DeepClone();
        }

        return payload;
    }
}

/// <summary>An event a <c>waitFor</c> step awaits by name (e.g. <c>left</c>), with what it carries.</summary>
public sealed record NamedEvent(string EventName, JsonObject Data, string Id) : WorkflowEvent(Id)
{
    /// <summary>The participant left the project on <paramref name="leftOn"/>: coaching ends and the exit form follows.</summary>
    public static NamedEvent Left(DateOnly leftOn) =>
        new(Engine.WorkflowFact.LeftEvent, Engine.WorkflowFact.LeftPayload(leftOn), "left");

    /// <inheritdoc/>
    public override string Name => EventName;

    /// <inheritdoc/>
    public override JsonObject Payload() => (JsonObject)Data.DeepClone();
}
