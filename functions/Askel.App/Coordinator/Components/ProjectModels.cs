using Askel.App.Participants;
using Askel.App.Projects;

namespace Askel.App.Coordinator.Components;

/// <summary>A project's page: what was just done, the participant list as searched, the handover and the open tasks.</summary>
/// <param name="Project">The project.</param>
/// <param name="Notes">What was just done (erased, sessions logged, handed over, imported), each a sentence.</param>
/// <param name="List">The participant list with its search form.</param>
/// <param name="Holders">Everyone the list names as a coordinator (those gone from the project too), for the handover; empty hides it.</param>
/// <param name="Tasks">The project's open tasks.</param>
public sealed record ProjectView(
    Project Project, IReadOnlyList<string> Notes, ParticipantListView List, IReadOnlyList<CoordinatorHolder> Holders, IReadOnlyList<OpenTaskRow> Tasks);

/// <summary>One page of the participant list and the search that found it.</summary>
/// <param name="Query">The search, filters and order, with the page shown.</param>
/// <param name="Found">How many participants the search found.</param>
/// <param name="Total">How many the project has.</param>
/// <param name="Pages">How many pages the found participants fill.</param>
/// <param name="Rows">The shown page's participants.</param>
/// <param name="Coordinators">The coordinators the coordinator filter offers (the project's, and those the list names who still coordinate it).</param>
/// <param name="Languages">The languages the language filter offers.</param>
/// <param name="Today">Today in Helsinki, the group session's default date.</param>
public sealed record ParticipantListView(
    ParticipantListQuery Query, int Found, int Total, int Pages, IReadOnlyList<ParticipantRow> Rows,
    IReadOnlyList<string> Coordinators, IReadOnlyList<string> Languages, DateOnly Today);

/// <summary>A participant's row in the list, in words.</summary>
/// <param name="Id">The participant's id.</param>
/// <param name="Name">Their first and last name.</param>
/// <param name="Coordinator">Their coordinator, or that they have none.</param>
/// <param name="Language">Their language's code.</param>
/// <param name="State">Where their workflow is.</param>
/// <param name="Entry">Whether and when the entry form came.</param>
/// <param name="Exit">Whether and when the exit form came.</param>
/// <param name="SixMonth">Whether and when the six-month form came.</param>
public sealed record ParticipantRow(string Id, string Name, string Coordinator, string Language, string State, string Entry, string Exit, string SixMonth);

/// <summary>Someone the list names as a coordinator, and how many participants they have.</summary>
/// <param name="Name">Their user name.</param>
/// <param name="Count">How many participants they have.</param>
/// <param name="Coordinates">Whether they still coordinate the project.</param>
public sealed record CoordinatorHolder(string Name, int Count, bool Coordinates);

/// <summary>An open task and whose it is.</summary>
/// <param name="Title">The task, in the page's language.</param>
/// <param name="ParticipantId">The participant's id, or null when they are gone.</param>
/// <param name="ParticipantName">Their name, or null.</param>
public sealed record OpenTaskRow(string Title, string? ParticipantId, string? ParticipantName);

/// <summary>The enrolment form, empty or as posted with its problems.</summary>
/// <param name="Project">The project to enrol into.</param>
/// <param name="Values">What the form holds.</param>
/// <param name="Problems">The problems' text keys.</param>
/// <param name="Errors">The problems for the summary: each field's id and the problem in words.</param>
/// <param name="Same">Who in the project already has the email address or number.</param>
public sealed record EnrolView(Project Project, Enrolment Values, IReadOnlyList<string> Problems, IReadOnlyList<FormError> Errors, IReadOnlyList<SameContact> Same);

/// <summary>The import's upload form.</summary>
/// <param name="Project">The project to import into.</param>
/// <param name="Error">What was wrong with the last upload, or null.</param>
public sealed record ImportUpload(Project Project, string? Error);

/// <summary>An import's preview: the rows with problems, the first valid rows, and the confirmation.</summary>
/// <param name="Project">The project to import into.</param>
/// <param name="ImportId">The previewed import's id.</param>
/// <param name="RowCount">How many rows the file has.</param>
/// <param name="ValidCount">How many of them would be imported.</param>
/// <param name="Problems">The rows that would not.</param>
/// <param name="Valid">The first valid rows.</param>
public sealed record ImportPreviewView(Project Project, string ImportId, int RowCount, int ValidCount, IReadOnlyList<ImportProblemRow> Problems, IReadOnlyList<ImportValidRow> Valid);

/// <summary>A row that would not be imported.</summary>
/// <param name="Line">Its line in the file.</param>
/// <param name="Name">The name on it.</param>
/// <param name="Problems">What is wrong, in words.</param>
public sealed record ImportProblemRow(int Line, string Name, string Problems);

/// <summary>A row that would be imported.</summary>
/// <param name="Line">Its line in the file.</param>
/// <param name="Name">The name on it.</param>
/// <param name="Language">The language's name.</param>
/// <param name="Email">The email address, or empty.</param>
/// <param name="Phone">The number, or empty.</param>
public sealed record ImportValidRow(int Line, string Name, string Language, string Email, string Phone);

/// <summary>The one-screen form for an anonymous guidance contact.</summary>
/// <param name="Project">The project it is counted in.</param>
/// <param name="Values">What the form shows: a fresh entry (today, a new key) or the one posted with problems.</param>
/// <param name="Problems">The problems' text keys, by field.</param>
/// <param name="Saved">What was just recorded ("Walk-in · Work"), or null.</param>
/// <param name="SatisfactionUrl">The project's one-tap satisfaction page, for the service point.</param>
/// <param name="SatisfactionQr">That page's address as a QR code, a PNG image.</param>
public sealed record GuidanceView(
    Project Project, Guidance.GuidanceEntry Values, IReadOnlyList<(string Field, string Problem)> Problems, string? Saved, string SatisfactionUrl, IReadOnlyList<byte> SatisfactionQr);

/// <summary>The project's employer register: the employers, and the form to register one or edit one.</summary>
/// <param name="Project">The project.</param>
/// <param name="Employers">Its employers, by name.</param>
/// <param name="Values">What the form shows: empty, the employer being edited, or what was posted with problems.</param>
/// <param name="Problems">The problems' text keys, by field.</param>
/// <param name="Saved">The name of the employer just saved, or null.</param>
/// <param name="Placed">How many participants were placed at each employer, by business id.</param>
public sealed record EmployersView(
    Project Project, IReadOnlyList<Cooperation.Employer> Employers, Cooperation.EmployerEntry Values, IReadOnlyList<(string Field, string Problem)> Problems, string? Saved,
    IReadOnlyDictionary<string, int> Placed);

/// <summary>The project's event log: the events, and the form to record one or edit one.</summary>
/// <param name="Project">The project.</param>
/// <param name="Events">Its events, latest first.</param>
/// <param name="Values">What the form shows: a new event (today, a new key), the event being edited, or what was posted with problems.</param>
/// <param name="Editing">Whether the form edits a recorded event.</param>
/// <param name="Problems">The problems' text keys, by field.</param>
/// <param name="Saved">The title of the event just saved, or null.</param>
/// <param name="Feedback">The feedback page of the event being edited, to print or show at the event; null for a new one.</param>
public sealed record EventsView(
    Project Project, IReadOnlyList<Cooperation.CooperationEvent> Events, Cooperation.EventEntry Values, bool Editing, IReadOnlyList<(string Field, string Problem)> Problems, string? Saved,
    PrintedLink? Feedback, IReadOnlyDictionary<string, int> Named);

/// <summary>A public link to print: its address and a QR code of it (a PNG image).</summary>
public sealed record PrintedLink(string Url, IReadOnlyList<byte> Qr);
