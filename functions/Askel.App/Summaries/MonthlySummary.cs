namespace Askel.App.Summaries;

/// <summary>
/// A project's summary for one month, as the manager reads it: in the email, the app, the XLSX and the CSV files.
/// Results are counted by the month participants left (their cohort), so a form that arrives late still lands
/// in its month; "cumulative" is every month up to and including this one.
/// </summary>
public sealed record MonthlySummary(
    string ProjectId,
    string ProjectName,
    string Month,
    DateTimeOffset GeneratedAt,
    Flow Starts,
    Flow Exits,
    IReadOnlyList<CaptureLine> Capture,
    IReadOnlyList<OutcomeLine> ExitOutcomes,
    IReadOnlyList<WorkOrEducationLine> WorkOrEducation,
    IReadOnlyList<OutcomeLine> SixMonthOutcomes,
    IReadOnlyList<StatusChange> StatusChanges,
    IReadOnlyList<IndicatorLine> Indicators,
    IReadOnlyList<TargetLine> Targets,
    IReadOnlyList<CoordinatorLine> Coordinators,
    IReadOnlyList<TaskLine> OpenTasks,
    SatisfactionLine Satisfaction,
    IReadOnlyList<GuidanceLine> Guidance,
    SatisfactionLine GuidanceSatisfaction,
    IReadOnlyList<CooperationLine> Employers,
    IReadOnlyList<CooperationLine> Events,
    SatisfactionLine EventFeedback,
    IReadOnlyList<PlanLine> Plans,
    IReadOnlyList<ConsentLine> Consents,
    IReadOnlyList<TrendPoint> Trend,
    IReadOnlyList<OverdueForm> Overdue,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The early warning as the summary is made, when the project's end is near (only in the latest month's summary).</summary>
    public Forecasts.ExitWarning? ExitForecast { get; init; }
}

/// <summary>A count in the month and up to the month's end.</summary>
public readonly record struct Flow(int InMonth, int Cumulative);

/// <summary>
/// Forms received against forms due (the capture rate): <c>entry</c> (due at enrolment), <c>exit</c> (due on
/// leaving) or <c>six-month</c> (due six months after leaving). In-month figures are the month's cohort;
/// overdue are those still missing after their grace period; closed are those a coordinator settled without
/// the form (moved away, unreachable, not starting).
/// </summary>
public sealed record CaptureLine(string Form, int DueInMonth, int ReceivedInMonth, int DueTotal, int ReceivedTotal, int Overdue, int ClosedTotal)
{
    /// <summary>Received ÷ due up to the month's end, or null when nothing was due.</summary>
    public double? Rate => DueTotal == 0 ? null : (double)ReceivedTotal / DueTotal;
}

/// <summary>
/// Leavers so far and those of them in work or education at exit, by group: <c>individual</c> (individually guided),
/// <c>advice-only</c> (only advised) and <c>all</c>. The work-or-education target is the individual group's share.
/// </summary>
public sealed record WorkOrEducationLine(string Group, int Leavers, int ToWorkOrEducation)
{
    /// <summary>The share in work or education, or null with no leavers.</summary>
    public double? Share => Leavers == 0 ? null : (double)ToWorkOrEducation / Leavers;
}

/// <summary>An outcome (<c>employed</c>, <c>education</c>, <c>job-searching</c>, <c>no-change</c>; at six months <c>employed</c>, <c>not-employed</c>, <c>improved</c>) among the month's leavers and all leavers so far.</summary>
public sealed record OutcomeLine(string Outcome, int InMonth, int Cumulative);

/// <summary>The net change in a labour-market status (<c>unemployed</c>, <c>inactive</c>, <c>employed</c>, <c>education</c>) from entry to exit.</summary>
public sealed record StatusChange(string Status, int InMonth, int Cumulative);

/// <summary>An ESF+ common output indicator up to the month's end, by gender.</summary>
public sealed record IndicatorLine(string Code, string Indicator, int Women, int Men, int NonBinary, int Unknown)
{
    /// <summary>Everyone counted.</summary>
    public int Total => Women + Men + NonBinary + Unknown;
}

/// <summary>
/// A target from the project file against the actual figure up to the month's end: <c>participants</c> (a count),
/// <c>workOrEducationAtExit</c>, <c>employedAtSixMonths</c> and <c>exitFormsReceived</c> (shares 0–1).
/// </summary>
public sealed record TargetLine(string Target, double Goal, double Actual, bool IsShare)
{
    /// <summary>Whether the actual figure reaches the goal.</summary>
    public bool Met => Actual >= Goal;
}

/// <summary>A coordinator's caseload (enrolled and not left) at the month's end, the month's flow, and what waits for them now.</summary>
public sealed record CoordinatorLine(string Coordinator, int Caseload, int StartsInMonth, int ExitsInMonth, int OpenTasks, int OverdueForms);

/// <summary>Open coordinator tasks of one kind (the workflow step), now.</summary>
public sealed record TaskLine(string Step, string Title, int Count);

/// <summary>Average satisfaction (1–5) at exit among the month's leavers and all leavers so far; for guidance, of the month's and all one-tap votes.</summary>
public sealed record SatisfactionLine(double? AverageInMonth, int AnswersInMonth, double? AverageCumulative, int AnswersCumulative);

/// <summary>
/// Anonymous one-off guidance contacts in the month and up to the month's end: all of them (trait <c>all</c>), then by
/// <c>channel</c>, <c>topic</c>, <c>language</c>, <c>age</c> and <c>gender</c> (<c>unknown</c>: not asked), each value given so far.
/// </summary>
public sealed record GuidanceLine(string Trait, string Value, int InMonth, int Cumulative);

/// <summary>
/// A figure of the employer register or the event log in the month and up to the month's end, with the project's target
/// for it where it has one: <c>employers</c>, <c>size/{size}</c>, <c>cooperation/{type}</c>; <c>events</c>,
/// <c>kind/{kind}</c>, <c>attendance</c>.
/// </summary>
public sealed record CooperationLine(string Figure, int InMonth, int Cumulative, int? Target);

/// <summary>
/// Participants' plans at the month's end, of the project (<paramref name="Coordinator"/> null) or of one coordinator
/// (those saved under them): plans open (the participant has not left), overdue (the review day passed by the month's
/// end) and how long on average, with the first plans made and the reviews done in the month. The plan debt is the
/// overdue ones.
/// </summary>
public sealed record PlanLine(string? Coordinator, int Open, int Overdue, double? AverageDaysOverdue, int NewInMonth, int ReviewedInMonth)
{
    /// <summary>Plans whose review day has not passed.</summary>
    public int UpToDate => Open - Overdue;

    /// <summary>The share of open plans that are up to date, or null with no plans.</summary>
    public double? Share => Open == 0 ? null : (double)UpToDate / Open;
}

/// <summary>Consents of one scope (<see cref="Participants.Consents.Scopes"/>) given and withdrawn in the month and up to its end.</summary>
public sealed record ConsentLine(string Scope, int GivenInMonth, int Given, int WithdrawnInMonth, int Withdrawn)
{
    /// <summary>Consents in force at the month's end: given and not withdrawn.</summary>
    public int InForce => Given - Withdrawn;
}

/// <summary>One month of the trend chart.</summary>
public sealed record TrendPoint(string Month, int Starts, int Exits, int ToWorkOrEducation, double? ExitCaptureRate);

/// <summary>A form still missing after its grace period (the app lists them; the email only counts them).</summary>
public sealed record OverdueForm(string Form, string ParticipantId, string Coordinator, DateTimeOffset DueAt, int DaysOverdue);
