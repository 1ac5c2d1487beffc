using Askel.Runtime.Calendar;

namespace Askel.Runtime.Definitions;

/// <summary>
/// A declared workflow, as loaded from <c>workflows/&lt;name&gt;.yaml</c> and validated. Immutable: an
/// instance pins the exact <see cref="Version"/> it started with and runs it to the end.
/// </summary>
/// <param name="Name">The workflow's name (<c>workflow:</c>), also its file name.</param>
/// <param name="Version">The content hash of the source text and of its forms' and messages' texts: editing any of them makes a new version.</param>
/// <param name="Title">A human title per language.</param>
/// <param name="Languages">The languages every form and message the workflow uses must exist in.</param>
/// <param name="Calendar">When messages may go out.</param>
/// <param name="Channels">Channel preference order; a message falls back along it.</param>
/// <param name="Start">The first step's id.</param>
/// <param name="Steps">Every step by id, in file order.</param>
/// <param name="Source">The YAML text it was loaded from, kept so a pinned version can be reloaded.</param>
public sealed record WorkflowDefinition(
    string Name,
    string Version,
    LocalizedText Title,
    IReadOnlyList<string> Languages,
    CalendarPolicy Calendar,
    IReadOnlyList<string> Channels,
    string Start,
    IReadOnlyDictionary<string, Step> Steps,
    string Source)
{
    private static readonly IReadOnlyDictionary<string, string> NoResources = new Dictionary<string, string>();

    /// <summary>
    /// The texts of the forms and message templates it uses, as they were when this version was made, by their path below
    /// the workflows folder (<see cref="FormKey"/>, <see cref="MessageKey"/>): pinned with the workflow, so an edited
    /// message reaches only instances started after the edit. Empty when loaded without them.
    /// </summary>
    public IReadOnlyDictionary<string, string> Resources { get; init; } = NoResources;

    /// <summary>The forms its <c>ask</c> steps ask for, each once, in file order.</summary>
    public IEnumerable<string> Forms => Files.Where(f => f.IsForm).Select(f => f.Name).Distinct(StringComparer.Ordinal);

    /// <summary>The message templates it sends, each once, in file order.</summary>
    public IEnumerable<string> Messages => Files.Where(f => !f.IsForm).Select(f => f.Name).Distinct(StringComparer.Ordinal);

    /// <summary>Every use of a form or message file by a step, in file order (a file used twice is listed twice).</summary>
    public IEnumerable<FileUse> Files => Steps.Values.SelectMany(step => step switch
    {
        AskStep ask => [new FileUse(step.Id, "ask", ask.Form, IsForm: true), new FileUse(step.Id, "message", ask.Message, IsForm: false)],
        ExternalStep external => [new FileUse(step.Id, "message", external.Message, IsForm: false)],
        SendStep send => [new FileUse(step.Id, "send", send.Message, IsForm: false)],
        WaitForEventStep { CheckIn: { } checkIn } => [new FileUse(step.Id, "checkIn.message", checkIn.Message, IsForm: false)],
        _ => Array.Empty<FileUse>(),
    });

    /// <summary>The key of form <paramref name="name"/> in <see cref="Resources"/>.</summary>
    public static string FormKey(string name) => $"forms/{name}.yaml";

    /// <summary>The key of message template <paramref name="name"/> in <see cref="Resources"/>.</summary>
    public static string MessageKey(string name) => $"messages/{name}.yaml";

    /// <summary>The step with this id (the definition is validated, so references resolve).</summary>
    public Step Step(string id) => Steps[id];

    /// <summary>The channel a message goes on: the preferred one when usable, else the first usable in <see cref="Channels"/>; null when none is.</summary>
    public string? ChannelFor(string? preferred, Func<string, bool> usable)
    {
        ArgumentNullException.ThrowIfNull(usable);
        return (preferred is null ? Channels : Channels.Prepend(preferred)).Distinct().FirstOrDefault(usable);
    }
}

/// <summary>A step's use of a form or message template file.</summary>
/// <param name="StepId">The step.</param>
/// <param name="Key">The step's key that names it (<c>ask</c>, <c>message</c>, <c>send</c>, <c>checkIn.message</c>).</param>
/// <param name="Name">The form's or template's name.</param>
/// <param name="IsForm">A form (<c>workflows/forms/</c>); else a message template (<c>workflows/messages/</c>).</param>
public sealed record FileUse(string StepId, string Key, string Name, bool IsForm);

/// <summary>Text in several languages, keyed by language code (fi, sv, en, uk, ru, ar, so, fa).</summary>
public sealed record LocalizedText(IReadOnlyDictionary<string, string> Texts)
{
    /// <summary>The text in <paramref name="language"/>, else Finnish, else English, else any.</summary>
    public string For(string language) =>
        Texts.TryGetValue(language, out var text) ? text
        : Texts.TryGetValue("fi", out text) ? text
        : Texts.TryGetValue("en", out text) ? text
        : Texts.Values.FirstOrDefault() ?? "";
}

/// <summary>Where in a file something was written (1-based), so an error can point at it.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>One send in a schedule: <c>P3D via email</c> — three days after the step began, by email.</summary>
/// <param name="After">Offset from the moment the step was entered.</param>
/// <param name="Via">Preferred channel; null means the workflow's first usable channel.</param>
public sealed record Attempt(IsoDuration After, string? Via);

/// <summary>A step of a workflow. Exactly one kind per step.</summary>
/// <param name="Id">The step's id (its key under <c>steps:</c>).</param>
/// <param name="Location">Where it is declared.</param>
public abstract record Step(string Id, SourceLocation Location)
{
    /// <summary>Every step id this step can lead to (for reachability checks).</summary>
    public abstract IEnumerable<string> Targets { get; }

    /// <summary>
    /// <c>reports: exit</c> on an external or task step: the ESF+ form it chases, as the monthly summary counts it.
    /// The step's id and the external form's name carry no meaning; an ask step's form says it by itself.
    /// </summary>
    public ReportedForm? Reports { get; init; }

    /// <summary><c>title:</c> what the step is, in words, per language (coordinators read it); null when the file gives none.</summary>
    public LocalizedText? Label { get; init; }
}

/// <summary>The ESF+ forms the monthly summary counts.</summary>
public enum ReportedForm
{
    /// <summary><c>entry</c>: the entry form.</summary>
    Entry,

    /// <summary><c>exit</c>: the exit form.</summary>
    Exit,

    /// <summary><c>six-month</c>: the six-month follow-up.</summary>
    SixMonth,
}

/// <summary>The names a workflow gives the <see cref="ReportedForm"/>s.</summary>
public static class ReportedForms
{
    private static readonly string[] AllNames = ["entry", "exit", "six-month"];

    /// <summary>Every name, in order.</summary>
    public static IReadOnlyList<string> Names => AllNames;

    /// <summary>The form's name in a workflow (and in the summary's counts).</summary>
    public static string Name(this ReportedForm form) => AllNames[(int)form];

    /// <summary>The form of a name, or null.</summary>
    public static ReportedForm? Parse(string? name) => Array.IndexOf(AllNames, name) is var i and >= 0 ? (ReportedForm)i : null;
}

/// <summary><c>send: &lt;message&gt;</c>: send a message once, then go on.</summary>
/// <param name="Message">The message template's name (<c>workflows/messages/&lt;name&gt;.yaml</c>).</param>
/// <param name="Via">Preferred channel, or null for the workflow's order.</param>
/// <param name="Optional">When no channel is usable: true records it as skipped, false as unreachable (visible to the coordinator); either way the workflow goes on.</param>
/// <param name="Next">The step after it.</param>
public sealed record SendStep(string Id, SourceLocation Location, string Message, string? Via, bool Optional, string Next) : Step(Id, Location)
{
    /// <inheritdoc />
    public override IEnumerable<string> Targets => [Next];
}

/// <summary><c>wait: P6M</c> or <c>until: &lt;expression&gt;</c>: a durable timer, then go on.</summary>
/// <param name="For">A duration from entering the step, or null.</param>
/// <param name="Until">An expression giving a time, or null.</param>
/// <param name="Next">The step after it.</param>
public sealed record WaitStep(string Id, SourceLocation Location, IsoDuration? For, string? Until, string Next) : Step(Id, Location)
{
    /// <inheritdoc />
    public override IEnumerable<string> Targets => [Next];
}

/// <summary>
/// <c>waitFor: &lt;event&gt;</c>: wait for a named external event (its payload is recorded under
/// <c>events.&lt;name&gt;</c>), optionally sending a message every <c>checkIn</c> meanwhile, and
/// optionally giving up after <c>timeout</c> or at <c>deadline</c> (an expression giving a time, e.g. a
/// project's end date), whichever comes first.
/// </summary>
public sealed record WaitForEventStep(
    string Id, SourceLocation Location, string Event, IsoDuration? Timeout, string? OnTimeout, CheckIn? CheckIn, string Next, string? Deadline = null) : Step(Id, Location)
{
    /// <inheritdoc />
    public override IEnumerable<string> Targets => OnTimeout is null ? [Next] : [Next, OnTimeout];
}

/// <summary>A repeating message while waiting: every <paramref name="Every"/>, <paramref name="Message"/>.</summary>
public sealed record CheckIn(IsoDuration Every, string Message);

/// <summary>
/// A step that sends a form's link and chases it: its message on each of <c>attempts</c> until the form comes in, and
/// when it has not come in by <c>expires</c>, on to <c>onExpired</c>.
/// </summary>
/// <param name="Message">The message template that carries the link.</param>
/// <param name="Attempts">When and how to send; the first is usually <c>P0D</c>.</param>
/// <param name="Expires">How long after entering the step the link stops working.</param>
/// <param name="OnExpired">Where to go when it expires unanswered.</param>
/// <param name="Next">Where to go once the form is in.</param>
public abstract record ChasedStep(
    string Id, SourceLocation Location, string Message, IReadOnlyList<Attempt> Attempts, IsoDuration Expires, string OnExpired, string Next) : Step(Id, Location)
{
    /// <inheritdoc />
    public override IEnumerable<string> Targets => [Next, OnExpired];

    /// <summary><c>countsContactAttempts: true</c>: a contact a coordinator logs (a call, a visit) counts as one of the attempts.</summary>
    public bool CountsContactAttempts { get; init; }
}

/// <summary>
/// <c>ask: &lt;form&gt;</c>: send the form's link (by default with the message <c>&lt;form&gt;-link</c>) and chase it.
/// Submission is the event <c>form:&lt;form&gt;</c>.
/// </summary>
/// <param name="Form">The form's name (<c>workflows/forms/&lt;name&gt;.yaml</c>).</param>
public sealed record AskStep(
    string Id, SourceLocation Location, string Form, string Message, IReadOnlyList<Attempt> Attempts, IsoDuration Expires, string OnExpired, string Next)
    : ChasedStep(Id, Location, Message, Attempts, Expires, OnExpired, Next);

/// <summary>
/// <c>external: &lt;name&gt;</c>: a form kept in another system (e.g. EURA 2021). The participant gets
/// a message with its <c>url</c>; a person confirms completion with the event <c>confirm:&lt;name&gt;</c>.
/// Chased like an <see cref="AskStep"/>.
/// </summary>
/// <param name="Name">The form's name in the workflow.</param>
/// <param name="Url">Where the participant fills it in.</param>
public sealed record ExternalStep(
    string Id, SourceLocation Location, string Name, Uri Url, string Message, IReadOnlyList<Attempt> Attempts, IsoDuration Expires, string OnExpired, string Next)
    : ChasedStep(Id, Location, Message, Attempts, Expires, OnExpired, Next);

/// <summary>
/// <c>task: &lt;title&gt;</c>: ask a coordinator to do something and record one of the named
/// <c>outcomes</c>; each outcome leads to a step. Completion is the event <c>task:&lt;step id&gt;</c>
/// with payload <c>{"outcome": "...", "reason": "..."}</c>.
/// </summary>
public sealed record TaskStep(string Id, SourceLocation Location, LocalizedText Title, IReadOnlyDictionary<string, string> Outcomes) : Step(Id, Location)
{
    /// <summary>The outcomes' words for the coordinator (<c>title:</c> of an outcome); an outcome without one shows its name.</summary>
    public IReadOnlyDictionary<string, LocalizedText> OutcomeTitles { get; init; } = new Dictionary<string, LocalizedText>();

    /// <summary>
    /// <c>received:</c> the outcomes that mean the form the task reports (<see cref="Step.Reports"/>) was entered
    /// elsewhere (EURA 2021), so the summary counts it received; any other outcome closes it. The names carry no meaning.
    /// </summary>
    public IReadOnlySet<string> Received { get; init; } = new HashSet<string>();

    /// <summary><c>due:</c> how long after opening the task falls due; null: it has no due date.</summary>
    public IsoDuration? Due { get; init; }

    /// <summary><c>escalate:</c> who is reminded of the overdue task, and when (counted from its due time), in order.</summary>
    public IReadOnlyList<Escalation> Escalations { get; init; } = [];

    /// <inheritdoc />
    public override IEnumerable<string> Targets => Outcomes.Values;
}

/// <summary>One reminder of an overdue task: <c>P3D to managers</c> — three days after it fell due, to the project's managers.</summary>
/// <param name="After">Offset from the task's due time.</param>
/// <param name="To">Who is reminded.</param>
public sealed record Escalation(IsoDuration After, EscalationTarget To);

/// <summary>Who an overdue task's reminder goes to.</summary>
public enum EscalationTarget
{
    /// <summary>The participant's coordinator.</summary>
    Coordinator,

    /// <summary>The project's managers.</summary>
    Managers,
}

/// <summary><c>choose:</c> the first branch whose <c>when</c> expression is true, else <c>otherwise</c>.</summary>
public sealed record ChooseStep(string Id, SourceLocation Location, IReadOnlyList<Branch> Branches, string Otherwise) : Step(Id, Location)
{
    /// <inheritdoc />
    public override IEnumerable<string> Targets => Branches.Select(b => b.Next).Append(Otherwise);
}

/// <summary>One branch of a <see cref="ChooseStep"/>.</summary>
/// <param name="When">The condition, in Askel's expression language.</param>
/// <param name="Next">Where to go when it holds.</param>
/// <param name="Location">Where the condition is written.</param>
public sealed record Branch(string When, string Next, SourceLocation Location);

/// <summary><c>end: &lt;outcome&gt;</c>: the instance completes with that outcome.</summary>
public sealed record EndStep(string Id, SourceLocation Location, string Outcome) : Step(Id, Location)
{
    /// <inheritdoc />
    public override IEnumerable<string> Targets => [];
}
