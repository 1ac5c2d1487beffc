using Askel.Runtime.Definitions;
using Azure;
using Azure.Data.Tables;

namespace Askel.App.Participants;

/// <summary>
/// A participant of a project: who they are to their coordinator, how to reach them, and their status
/// at entry, exit and six months (filled in from their forms, ready for reporting). Kept in the
/// participants table, partitioned by project, so a project's list is one partition.
/// </summary>
public sealed class Participant : ITableEntity
{
    /// <summary>The project's id.</summary>
    public string PartitionKey { get; set; } = "";

    /// <summary>The participant's id (random, lowercase).</summary>
    public string RowKey { get; set; } = "";

    /// <inheritdoc />
    public DateTimeOffset? Timestamp { get; set; }

    /// <inheritdoc />
    public ETag ETag { get; set; }

    /// <summary>The project's id.</summary>
    public string ProjectId => PartitionKey;

    /// <summary>The participant's id.</summary>
    public string Id => RowKey;

    /// <summary>The workflow instance that carries this participant: <c>{project}.{participant}</c>.</summary>
    public string InstanceId => InstanceIdOf(ProjectId, Id);

    /// <summary>Whether a message on <paramref name="channel"/> (<c>email</c> or <c>sms</c>) can reach them: an address, not bounced, failing or opted out.</summary>
    public bool Reaches(string channel) => channel switch
    {
        "email" => Email is not null && EmailState is null,
        "sms" => Phone is not null && SmsState is null,
        _ => false,
    };

    /// <summary>First name: the only personal detail a message may carry.</summary>
    public string FirstName { get; set; } = "";

    /// <summary>Last name, for the coordinator's list.</summary>
    public string LastName { get; set; } = "";

    /// <summary>The language the participant reads (fi, sv, en, uk, ru, ar, so, fa).</summary>
    public string Language { get; set; } = "fi";

    /// <summary>Email address, or null.</summary>
    public string? Email { get; set; }

    /// <summary>Mobile number in E.164, or null.</summary>
    public string? Phone { get; set; }

    /// <summary>The email channel's state when it is not usable: <c>opted-out</c> or <c>invalid</c>.</summary>
    public string? EmailState { get; set; }

    /// <summary>When the email channel's state was set.</summary>
    public DateTimeOffset? EmailStateAt { get; set; }

    /// <summary>What set it (e.g. <c>unsubscribe link</c>, <c>sendgrid bounce</c>).</summary>
    public string? EmailStateSource { get; set; }

    /// <summary>The SMS channel's state when it is not usable: <c>opted-out</c> or <c>invalid</c>.</summary>
    public string? SmsState { get; set; }

    /// <summary>When the SMS channel's state was set.</summary>
    public DateTimeOffset? SmsStateAt { get; set; }

    /// <summary>What set it (e.g. <c>sms STOP</c>, <c>twilio 21211</c>).</summary>
    public string? SmsStateSource { get; set; }

    /// <summary>How the intake link reaches them: <c>message</c> (sent at once) or <c>in-person</c> (a QR code in a meeting).</summary>
    public string Intake { get; set; } = "message";

    /// <summary>The coordinator who enrolled them (sign-in name).</summary>
    public string EnrolledBy { get; set; } = "";

    /// <summary>When they were enrolled.</summary>
    public DateTimeOffset EnrolledAt { get; set; }

    /// <summary>The coordinator responsible for them (sign-in name), once handed over; null: the one who enrolled them.</summary>
    public string? Coordinator { get; set; }

    /// <summary>The last contact a coordinator logged: a coaching session's day or a contact that reached them.</summary>
    public DateTimeOffset? LastContactAt { get; set; }

    /// <summary>When they left the project, once marked.</summary>
    public DateTimeOffset? LeftAt { get; set; }

    /// <summary>
    /// Only advised, not individually guided (a coordinator's choice until they leave, then fixed): the summary counts them
    /// apart in the work-or-education share, whose target applies to the individually guided.
    /// </summary>
    public bool AdviceOnly { get; set; }

    /// <summary>The version of their plan these plan fields are of (<see cref="Plans"/>), or null when they have no plan.</summary>
    public int? PlanVersion { get; set; }

    /// <summary>The day their plan is to be reviewed by (00:00 UTC), or null: the work queue shows it as it nears.</summary>
    public DateTimeOffset? PlanReviewAt { get; set; }

    /// <summary>When their plan was last saved.</summary>
    public DateTimeOffset? PlanSavedAt { get; set; }

    /// <summary>The coordinator their plan was last saved under: the summary's plan debt is counted per coordinator.</summary>
    public string? PlanCoordinator { get; set; }

    /// <summary>
    /// What the summary counts of their consents (<see cref="CountedConsent"/>, as JSON): each consent's scope and days, no
    /// more, so it stays when their identity is erased and a rebuild still counts them.
    /// </summary>
    public string CountedConsents { get; set; } = "[]";

    /// <summary>What the summary counts of their placements and named attendances (<see cref="CountedParticipation"/>, as JSON): kind and day only, kept as <see cref="CountedConsents"/> is.</summary>
    public string CountedParticipations { get; set; } = "[]";

    /// <summary>When the entry, exit and six-month forms were received.</summary>
    public DateTimeOffset? EntryReceivedAt { get; set; }

    /// <inheritdoc cref="EntryReceivedAt" />
    public DateTimeOffset? ExitReceivedAt { get; set; }

    /// <inheritdoc cref="EntryReceivedAt" />
    public DateTimeOffset? SixMonthReceivedAt { get; set; }

    /// <summary>Labour-market status at entry: unemployed, long-term-unemployed, inactive or employed.</summary>
    public string? StatusAtEntry { get; set; }

    /// <summary>Situation at exit: employed, education, job-searching or no-change.</summary>
    public string? StatusAtExit { get; set; }

    /// <summary>Situation six months after leaving: employed or not-employed.</summary>
    public string? StatusAtSixMonths { get; set; }

    /// <summary>How the coordinator completed each task, with their reason, as JSON (<c>{"exit-task":{"outcome":"moved-away","reason":"…"}}</c>).</summary>
    public string TaskOutcomes { get; set; } = "{}";

    /// <summary>Reported ESF+ fields from the forms, as JSON (<c>{"gender":"woman",…}</c>).</summary>
    public string Reported { get; set; } = "{}";

    /// <summary>
    /// When the participant's identity was erased (GDPR art. 17): the row keeps only the ESF+ facts the funder
    /// requires, and no part of Askel shows, messages or restarts them any more.
    /// </summary>
    public DateTimeOffset? ErasedAt { get; set; }

    /// <summary>When the entry, exit or six-month form was received, or null.</summary>
    public DateTimeOffset? ReceivedAt(ReportedForm form) => form switch
    {
        ReportedForm.Entry => EntryReceivedAt,
        ReportedForm.Exit => ExitReceivedAt,
        _ => SixMonthReceivedAt,
    };

    /// <summary>Records the entry, exit or six-month form as received at <paramref name="at"/>, unless it was already.</summary>
    public void MarkReceived(ReportedForm form, DateTimeOffset at)
    {
        switch (form)
        {
            case ReportedForm.Entry:
                EntryReceivedAt ??= at;
                break;
            case ReportedForm.Exit:
                ExitReceivedAt ??= at;
                break;
            default:
                SixMonthReceivedAt ??= at;
                break;
        }
    }

    /// <summary>A copy of the row, to change without changing this one.</summary>
    public Participant Copy() => (Participant)MemberwiseClone();

    /// <summary>The coordinator responsible for them: <see cref="Coordinator"/>, else the one who enrolled them.</summary>
    /// <remarks>Methods, not properties: the table client would store a property.</remarks>
    public string AssignedCoordinator() => Coordinator ?? EnrolledBy;

    /// <summary>When someone last heard from them: a logged contact, a form they sent, or their enrolment.</summary>
    public DateTimeOffset LastContact() =>
        new[] { LastContactAt, EntryReceivedAt, ExitReceivedAt, SixMonthReceivedAt }.Aggregate(EnrolledAt, (last, at) => at > last ? at.Value : last);

    /// <summary>The day their plan is to be reviewed by, or null without a plan.</summary>
    /// <remarks>A method, not a property: the table client would store a property (and cannot store a DateOnly).</remarks>
    public DateOnly? PlanReviewDay() => PlanReviewAt is { } at ? ReviewDayOf(at) : null;

    /// <summary>The review day a stored <see cref="PlanReviewAt"/> (00:00 UTC of the day) stands for.</summary>
    public static DateOnly ReviewDayOf(DateTimeOffset reviewAt) => DateOnly.FromDateTime(reviewAt.UtcDateTime);

    /// <summary>The day they joined the project (enrolled), in Finnish time: the day ESF+ ages are counted on.</summary>
    /// <remarks>A method, not a property: the table client would store a property (and cannot store a DateOnly).</remarks>
    public DateOnly JoinedOn() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(EnrolledAt, Askel.Runtime.Calendar.CalendarPolicy.Default.TimeZone).Date);

    /// <summary>Whole years from <paramref name="born"/> to <paramref name="day"/>.</summary>
    public static int AgeOn(DateOnly born, DateOnly day) => day.Year - born.Year - (day < born.AddYears(day.Year - born.Year) ? 1 : 0);

    /// <summary>The workflow instance id of a participant.</summary>
    public static string InstanceIdOf(string projectId, string participantId) => $"{projectId}.{participantId}";

    /// <summary>Splits an instance id back into project and participant, or null when it is not a participant's.</summary>
    public static (string ProjectId, string ParticipantId)? ParseInstanceId(string instanceId)
    {
        var dot = instanceId.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && dot < instanceId.Length - 1 ? (instanceId[..dot], instanceId[(dot + 1)..]) : null;
    }
}

/// <summary>A consent as the summary counts it: its id, what it covers, and the days it was given and withdrawn.</summary>
public sealed record CountedConsent(string Id, string Scope, DateOnly GivenOn, DateOnly? WithdrawnOn);

/// <summary>A placement or named attendance as the summary counts it: its kind, its day, and when it was recorded (its identity).</summary>
public sealed record CountedParticipation(string Kind, DateOnly Since, long RecordedTicks);

/// <summary>The counted facts a participant's row keeps as JSON, read and written.</summary>
public static class CountedFacts
{
    /// <summary>The row's counted consents.</summary>
    public static IReadOnlyList<CountedConsent> Consents(Participant participant) =>
        System.Text.Json.JsonSerializer.Deserialize<List<CountedConsent>>(participant?.CountedConsents ?? "[]") ?? [];

    /// <summary>The row's counted placements and attendances.</summary>
    public static IReadOnlyList<CountedParticipation> Participations(Participant participant) =>
        System.Text.Json.JsonSerializer.Deserialize<List<CountedParticipation>>(participant?.CountedParticipations ?? "[]") ?? [];

    /// <summary>Writes <paramref name="consents"/> to the row.</summary>
    public static void Set(Participant participant, IEnumerable<CountedConsent> consents) =>
        participant.CountedConsents = System.Text.Json.JsonSerializer.Serialize(consents.ToList());

    /// <summary>Writes <paramref name="participations"/> to the row.</summary>
    public static void Set(Participant participant, IEnumerable<CountedParticipation> participations) =>
        participant.CountedParticipations = System.Text.Json.JsonSerializer.Serialize(participations.ToList());
}
