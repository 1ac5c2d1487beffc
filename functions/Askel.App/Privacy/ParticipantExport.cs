using System.Text.Json.Nodes;
using Askel.App.Audit;
using Askel.App.Forms;
using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.Runtime.Client;
using Askel.Runtime.Engine;

namespace Askel.App.Privacy;

/// <summary>
/// Everything Askel keeps about one participant (GDPR art. 15 and 20), as the export file holds it and the readable
/// page shows it: one section per place it is kept (docs/PRIVACY.md lists them). Tokens and keys that would open the
/// participant's forms are left out; message texts are never kept, so none are here.
/// </summary>
public sealed record ParticipantExport(
    DateTimeOffset ExportedAt,
    string ExportedBy,
    ExportedParticipant Participant,
    IReadOnlyList<ExportedContact> ContactIndex,
    IReadOnlyList<FormResponse> Forms,
    IReadOnlyList<ExportedDraft> Drafts,
    IReadOnlyList<CoachingSession> Sessions,
    IReadOnlyList<ExportedLink> Links,
    IReadOnlyList<LoggedMessage> Messages,
    IReadOnlyList<ContactAttempt> ContactAttempts,
    IReadOnlyList<Consent> Consents,
    IReadOnlyList<Plan> Plans,
    IReadOnlyList<Cooperation.Participation> Cooperation,
    IReadOnlyList<OpenTask> Tasks,
    IReadOnlyList<AuditRecord> Audit,
    ExportedSummary Summary,
    ExportedWorkflow? Workflow)
{
    /// <summary>Corrections of the details with their old and new values, in an admin's export only; else null.</summary>
    public IReadOnlyList<Rectification>? Corrections { get; init; }
}

/// <summary>The participant's row: details, contacts and their states, status snapshots, task outcomes, ESF+ facts.</summary>
public sealed record ExportedParticipant(
    string ProjectId, string ParticipantId, string FirstName, string LastName, string Language, string? Email, string? Phone,
    string? EmailState, DateTimeOffset? EmailStateAt, string? EmailStateSource, string? SmsState, DateTimeOffset? SmsStateAt, string? SmsStateSource,
    string Intake, string EnrolledBy, DateTimeOffset EnrolledAt, string? Coordinator, DateTimeOffset? LastContactAt, DateTimeOffset? LeftAt, bool AdviceOnly,
    DateTimeOffset? EntryReceivedAt, DateTimeOffset? ExitReceivedAt, DateTimeOffset? SixMonthReceivedAt,
    string? StatusAtEntry, string? StatusAtExit, string? StatusAtSixMonths, JsonObject TaskOutcomes, JsonObject Reported, DateTimeOffset? ErasedAt)
{
    /// <summary>The export of a stored row.</summary>
    public static ExportedParticipant Of(Participant p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.ProjectId, p.Id, p.FirstName, p.LastName, p.Language, p.Email, p.Phone,
            p.EmailState, p.EmailStateAt, p.EmailStateSource, p.SmsState, p.SmsStateAt, p.SmsStateSource,
            p.Intake, p.EnrolledBy, p.EnrolledAt, p.Coordinator, p.LastContactAt, p.LeftAt, p.AdviceOnly, p.EntryReceivedAt, p.ExitReceivedAt, p.SixMonthReceivedAt,
            p.StatusAtEntry, p.StatusAtExit, p.StatusAtSixMonths, Json(p.TaskOutcomes), Json(p.Reported), p.ErasedAt);
    }

    private static JsonObject Json(string text) => JsonNode.Parse(text) as JsonObject ?? [];
}

/// <summary>An address in the contacts index, which finds the participant from an email address or number (opt-outs, replies).</summary>
public sealed record ExportedContact(string Channel, string Address);

/// <summary>A form the participant has begun and not sent: the answers as typed.</summary>
public sealed record ExportedDraft(string Form, DateTimeOffset? StartedAt, DateTimeOffset? UpdatedAt, JsonObject Answers);

/// <summary>A form link made for the participant: what it opens and until when (the token itself is left out).</summary>
public sealed record ExportedLink(string Target, DateTimeOffset? CreatedAt, DateTimeOffset? ExpiresAt, bool Current);

/// <summary>What the monthly summary keeps of the participant: forms it counts as owed, and which facts it has counted.</summary>
public sealed record ExportedSummary(IReadOnlyList<ExportedOwedForm> OwedForms, IReadOnlyList<string> CountedFacts);

/// <summary>A form the summary counts as owed by the participant, and when it falls due.</summary>
public sealed record ExportedOwedForm(string Form, DateTimeOffset? DueAt);

/// <summary>The participant's workflow: where it is, its history, and events told to it and not yet applied.</summary>
public sealed record ExportedWorkflow(WorkflowStatus Status, IReadOnlyList<HistoryEntry> History, IReadOnlyList<ExportedSignal> PendingEvents);

/// <summary>An event told to the workflow that it has not applied yet.</summary>
public sealed record ExportedSignal(string Name, DateTimeOffset? At);
