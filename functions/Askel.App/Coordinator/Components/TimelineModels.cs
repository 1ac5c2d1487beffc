using System.Text.Json.Nodes;
using Askel.App.Participants;

namespace Askel.App.Coordinator.Components;

/// <summary>A problem to show on the timeline next to the action that caused it, with the values typed.</summary>
/// <param name="Action">The action the problem is about, e.g. <c>attempt</c> or <c>task:call</c>.</param>
/// <param name="Field">The id of the field the problem is about.</param>
/// <param name="Text">What is wrong.</param>
/// <param name="Posted">The posted form, to show what was typed.</param>
public sealed record ActionError(string Action, string Field, string Text, IFormCollection Posted)
{
    /// <summary>A posted value.</summary>
    public string Value(string name) => Posted[name].ToString();
}

/// <summary>A term and its value in a description list.</summary>
/// <param name="Term">The term.</param>
/// <param name="Value">Its value, as text.</param>
public sealed record TermValue(string Term, string Value)
{
    /// <summary>An answer as text: a string as it is, anything else as JSON.</summary>
    public static TermValue Answer(string question, JsonNode? answer) =>
        new(question, answer is JsonValue v && v.TryGetValue<string>(out var s) ? s : answer?.ToJsonString() ?? "");
}

/// <summary>A text table: its label, column text keys and rows of cells.</summary>
/// <param name="Label">What the table holds.</param>
/// <param name="Headers">The columns' text keys.</param>
/// <param name="Rows">The cells.</param>
public sealed record TextTable(string Label, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>A channel marked invalid or opted out, which a coordinator can re-enable.</summary>
/// <param name="Channel"><c>sms</c> or <c>email</c>.</param>
/// <param name="Name">The channel's name in the page's language.</param>
/// <param name="OptedOut">Whether the participant opted out (lifting it needs a reason), else the channel does not work.</param>
public sealed record DisabledChannel(string Channel, string Name, bool OptedOut);

/// <summary>A form response on the timeline.</summary>
/// <param name="Form">The form's id.</param>
/// <param name="About">Its version, who filled it and when.</param>
/// <param name="Answers">Its answers.</param>
public sealed record TimelineResponse(string Form, IReadOnlyList<TermValue> About, IReadOnlyList<TermValue> Answers);

/// <summary>The details form: the stored details and earlier corrections.</summary>
/// <param name="FirstName">The stored first name.</param>
/// <param name="LastName">The stored last name.</param>
/// <param name="Email">The stored email address.</param>
/// <param name="Phone">The stored phone number.</param>
/// <param name="Language">The stored language.</param>
/// <param name="Corrections">Earlier corrections with their old and new values (for an admin), else null.</param>
public sealed record DetailsEdit(string FirstName, string LastName, string? Email, string? Phone, string Language, TextTable? Corrections)
{
    /// <summary>The languages the correction offers: the project's, and the one they have.</summary>
    public IReadOnlyList<string> Languages { get; init; } = Askel.Runtime.Definitions.WorkflowLoader.AllowedLanguages;
}

/// <summary>Who is responsible for the participant, and whom they can be handed over to.</summary>
/// <param name="Current">The assigned coordinator.</param>
/// <param name="CurrentIsCoordinator">Whether the assigned one is still one of the project's coordinators.</param>
/// <param name="Coordinators">The project's coordinators.</param>
public sealed record Reassignment(string Current, bool CurrentIsCoordinator, IReadOnlyList<string> Coordinators);

/// <summary>A participant's timeline.</summary>
/// <param name="Name">The participant's name, also the title.</param>
/// <param name="ProjectId">Their project.</param>
/// <param name="BasePath">The participant's address, which the forms post under.</param>
/// <param name="Language">The participant's language (forms filled together open in it).</param>
/// <param name="Note">What was just saved, or null.</param>
/// <param name="Error">The problem with the posted action, or null.</param>
/// <param name="Details">The participant's details.</param>
/// <param name="Instance">The workflow's status: a sentence, the engine's state and the outcome.</param>
/// <param name="Tasks">The open coordinator tasks.</param>
/// <param name="External">The external confirmation the workflow waits for, or null.</param>
/// <param name="AwaitingForm">Whether the workflow waits for a form (a link can be shown or sent).</param>
/// <param name="FillTogether">Forms a coordinator may fill with the participant that are not answered yet; null when the step has none.</param>
/// <param name="Disabled">Channels to re-enable.</param>
/// <param name="AttemptKinds">How a contact can be made.</param>
/// <param name="AttemptOutcomes">What can come of it.</param>
/// <param name="SessionKinds">The kinds of coaching session.</param>
/// <param name="DetailsEdit">The details to correct.</param>
/// <param name="Reassignment">The coordinator and whom to hand over to.</param>
/// <param name="LeftOn">The date to propose for leaving, or null when they have left.</param>
/// <param name="AdviceOnly">Whether they are only advised rather than individually guided (fixed once they have left).</param>
/// <param name="Consents">Their consents, and the day a new one or a withdrawal is dated by default.</param>
/// <param name="PlanStatus">Whether their plan is up to date, as a sentence.</param>
/// <param name="Cooperation">Their placements and events, and the register's employers and events to add.</param>
/// <param name="History">The workflow's history.</param>
/// <param name="Contacts">Messages and logged contacts, or null when there are none.</param>
/// <param name="Responses">The form responses.</param>
/// <param name="Sessions">The coaching sessions, or null when there are none.</param>
/// <param name="Audit">The audit trail.</param>
public sealed record Timeline(
    string Name, string ProjectId, string BasePath, string Language, string? Note, ActionError? Error,
    IReadOnlyList<TermValue> Details, IReadOnlyList<TermValue> Instance, IReadOnlyList<OpenTask> Tasks, string? External, bool AwaitingForm,
    IReadOnlyList<string>? FillTogether, IReadOnlyList<DisabledChannel> Disabled, IReadOnlyList<string> AttemptKinds, IReadOnlyList<string> AttemptOutcomes,
    IReadOnlyList<string> SessionKinds, DetailsEdit DetailsEdit, Reassignment Reassignment, string? LeftOn, bool AdviceOnly, ConsentList Consents, string PlanStatus, TimelineCooperation Cooperation,
    TextTable History, TextTable? Contacts, IReadOnlyList<TimelineResponse> Responses, TextTable? Sessions, TextTable Audit)
{
    /// <summary>When the project is closed, the sentence saying so (its casework forms are not shown); null while it is open.</summary>
    public string? Closed { get; init; }

    /// <summary>The error when it is about <paramref name="action"/>, else null.</summary>
    public ActionError? ErrorOf(string action) => Error?.Action == action ? Error : null;
}

/// <summary>A participant's consents on the timeline.</summary>
/// <param name="Items">The consents, the earliest given first.</param>
/// <param name="Today">Today (<c>yyyy-MM-dd</c>): the default day of a new consent or a withdrawal.</param>
/// <param name="Key">The record form's key (a repeated post records once).</param>
public sealed record ConsentList(IReadOnlyList<Participants.Consent> Items, string Today, string Key);

/// <summary>Terms and values under a heading.</summary>
/// <param name="Title">The heading.</param>
/// <param name="Items">The terms and values.</param>
public sealed record TitledTerms(string Title, IReadOnlyList<TermValue> Items);

/// <summary>The workflow on the export page.</summary>
/// <param name="Status">Its status, as the engine says it.</param>
/// <param name="History">Its history.</param>
/// <param name="PendingEvents">Events it has not handled yet.</param>
public sealed record ExportedWorkflowView(string Status, TextTable History, TextTable PendingEvents);

/// <summary>Everything kept about a participant, as a page.</summary>
/// <param name="Title">The page's title.</param>
/// <param name="BasePath">The participant's address.</param>
/// <param name="Erased">When the participant was erased (the page then links no timeline), else null.</param>
/// <param name="ExportedAt">When the export was read.</param>
/// <param name="Details">Their details.</param>
/// <param name="Reported">What was reported about them.</param>
/// <param name="TaskOutcomes">The outcomes of their tasks.</param>
/// <param name="ContactIndex">The contact index's rows.</param>
/// <param name="Forms">Their form responses.</param>
/// <param name="Drafts">Their unfinished forms.</param>
/// <param name="Tables">The tables after the forms: sessions, links, messages, contacts, tasks, summary.</param>
/// <param name="Workflow">The workflow, or null when there is none.</param>
/// <param name="Corrections">Corrections of their details (for an admin), else null.</param>
/// <param name="Audit">The audit trail.</param>
public sealed record ExportView(
    string Title, string BasePath, DateTimeOffset? Erased, DateTimeOffset ExportedAt, IReadOnlyList<TermValue> Details, TitledTerms Reported, TitledTerms TaskOutcomes,
    TextTable ContactIndex, IReadOnlyList<TitledTerms> Forms, IReadOnlyList<TitledTerms> Drafts, IReadOnlyList<TextTable> Tables,
    ExportedWorkflowView? Workflow, TextTable? Corrections, TextTable Audit);

/// <summary>The link to the form a participant is asked to fill, as a QR code to show them.</summary>
/// <param name="Title">The page's title.</param>
/// <param name="BasePath">The participant's address.</param>
/// <param name="Form">The awaited form.</param>
/// <param name="QrCode">The link as a QR code, a PNG image.</param>
/// <param name="Url">The link.</param>
/// <param name="ExpiresAt">When it stops working.</param>
public sealed record FormLinkView(string Title, string BasePath, string Form, IReadOnlyList<byte> QrCode, string Url, DateTimeOffset ExpiresAt);

/// <summary>A participant's plan page: the plan as it stands, the form to review it, and its versions.</summary>
/// <param name="Name">The participant's name.</param>
/// <param name="BasePath">The participant's address (the timeline); the plan is at <c>{BasePath}/plan</c>.</param>
/// <param name="Current">The plan's last version, or null before the first.</param>
/// <param name="History">Every version, the first first.</param>
/// <param name="Values">What the form holds: the plan as it stands with empty rows to add to, or what was posted.</param>
/// <param name="Problems">What is wrong with the posted form, by field.</param>
/// <param name="Closed">Whether they have left: the plan is closed and shown without the form.</param>
/// <param name="Saved">Whether a version was just saved.</param>
/// <param name="Today">Today in Helsinki.</param>
/// <param name="ReviewMonths">The project's review interval, in months.</param>
public sealed record PlanView(
    string Name, string BasePath, Participants.Plan? Current, IReadOnlyList<Participants.Plan> History, Participants.PlanEntry Values,
    IReadOnlyList<(string Field, string Problem)> Problems, bool Closed, bool Saved, DateOnly Today, int ReviewMonths);

/// <summary>A placement at an employer or an event attended, on the timeline.</summary>
/// <param name="Kind"><c>placement</c> or <c>attendance</c>.</param>
/// <param name="SubjectId">The employer's business id or the event's key.</param>
/// <param name="Name">The employer's or the event's name.</param>
/// <param name="Since">The day the placement began, or the event's day.</param>
public sealed record CooperationPart(string Kind, string SubjectId, string Name, DateOnly Since);

/// <summary>Where the participant was placed and which events they attended, and what the register offers to add.</summary>
/// <param name="Parts">Their placements and events, the earliest first.</param>
/// <param name="Employers">The project's employers (business id, name).</param>
/// <param name="Events">The project's events (key, name and day).</param>
/// <param name="Today">Today (<c>yyyy-MM-dd</c>): a placement's default day.</param>
public sealed record TimelineCooperation(IReadOnlyList<CooperationPart> Parts, IReadOnlyList<(string Id, string Name)> Employers, IReadOnlyList<(string Id, string Name)> Events, string Today);
