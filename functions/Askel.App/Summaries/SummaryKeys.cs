namespace Askel.App.Summaries;

/// <summary>The names of the counts kept per project and month (the month of the start, or of leaving for results).</summary>
public static class SummaryKeys
{
    /// <summary>Participants enrolled in the month.</summary>
    public const string Starts = "starts";

    /// <summary>Entry forms received from the month's starts.</summary>
    public const string EntryReceived = "entry/received";

    /// <summary>Participants who left in the month.</summary>
    public const string Exits = "exits";

    /// <summary>Leavers who were only advised, not individually guided (<see cref="Participants.Participant.AdviceOnly"/>).</summary>
    public const string AdviceOnlyExits = "exits/advice-only";

    /// <summary>Leavers only advised with an exit status (<c>employed</c>, <c>education</c>, …).</summary>
    public static string AdviceOnlyExitOutcome(string status) => $"exit-advice-only/{status}";

    /// <summary>Exit forms received from the month's leavers.</summary>
    public const string ExitReceived = "exit/received";

    /// <summary>Leavers employed at exit who are self-employed (entrepreneurs), a part of <c>exit/employed</c>.</summary>
    public const string ExitSelfEmployed = "exit/self-employed";

    /// <summary>Leavers self-employed six months after leaving, a part of <c>six-month/employed</c>.</summary>
    public const string SixMonthSelfEmployed = "six-month/self-employed";

    /// <summary>Leavers who gained a qualification (EECR03).</summary>
    public const string ExitQualification = "exit/qualification";

    /// <summary>Six-month forms received from the month's leavers.</summary>
    public const string SixMonthReceived = "six-month/received";

    /// <summary>Leavers employed at entry whose situation improved by six months (EECR06).</summary>
    public const string SixMonthImproved = "six-month/improved";

    /// <summary>Sum and number of satisfaction answers (1–5) at exit.</summary>
    public const string SatisfactionSum = "satisfaction/sum", SatisfactionCount = "satisfaction/count";

    /// <summary>Forms (<c>entry</c>, <c>exit</c>, <c>six-month</c>) a coordinator closed without them (moved away, unreachable, not starting).</summary>
    public static string Closed(string form) => $"{form}/closed";

    /// <summary>Starts by the enrolling coordinator.</summary>
    public static string StartsBy(string coordinator) => $"starts/by/{coordinator.ToLowerInvariant()}";

    /// <summary>Participants whose entry form's task was closed without it (they did not start), by the enrolling coordinator.</summary>
    public static string NotStartedBy(string coordinator) => $"not-started/by/{coordinator.ToLowerInvariant()}";

    /// <summary>Exits by the enrolling coordinator.</summary>
    public static string ExitsBy(string coordinator) => $"exits/by/{coordinator.ToLowerInvariant()}";

    /// <summary>Situation at exit: employed, education, job-searching or no-change.</summary>
    public static string ExitOutcome(string status) => $"exit/{status}";

    /// <summary>Situation six months after leaving: employed or not-employed.</summary>
    public static string SixMonthOutcome(string status) => $"six-month/{status}";

    /// <summary>Status at entry → situation at exit.</summary>
    public static string Transition(string from, string to) => $"transition/{from}/{to}";

    /// <summary>An ESF+ common output indicator (participants, unemployed, isced-0-2, …) for one gender.</summary>
    public static string Output(string indicator, string gender) => $"output/{indicator}/{gender}";

    /// <summary>Anonymous one-off guidance contacts given in the month.</summary>
    public const string GuidanceContacts = "guidance/contacts";

    /// <summary>Sum and number of the one-tap satisfaction votes (1–5) at the service point.</summary>
    public const string GuidanceSatisfactionSum = "guidance/satisfaction/sum", GuidanceSatisfactionCount = "guidance/satisfaction/count";

    /// <summary>Guidance contacts with one trait (<c>channel</c>, <c>topic</c>, <c>language</c>, <c>age</c>, <c>gender</c>); <c>unknown</c> when not asked.</summary>
    public static string Guidance(string trait, string value) => $"guidance/{trait}/{value}";

    /// <summary>Employers whose cooperation began in the month.</summary>
    public const string Employers = "employers/all";

    /// <summary>Employers with one trait (<c>size</c> or <c>cooperation</c>) whose cooperation began in the month.</summary>
    public static string Employer(string trait, string value) => $"employers/{trait}/{value}";

    /// <summary>Events of the month, and how many attended them.</summary>
    public const string Events = "events/all", EventAttendance = "events/attendance";

    /// <summary>Sum and number of the one-tap feedback votes (1–5) on the project's events.</summary>
    public const string EventFeedbackSum = "events/feedback/sum", EventFeedbackCount = "events/feedback/count";

    /// <summary>Participants placed at the register's employers (in the month the placement began) and named as attendees of its events (in the event's month).</summary>
    public const string Placements = "employers/placements", NamedAttendees = "events/named-attendees";

    /// <summary>Events of one kind in the month.</summary>
    public static string EventKind(string kind) => $"events/kind/{kind}";

    /// <summary>
    /// A plan figure of the project, or of one coordinator's plans: <c>open</c> (plans of participants who have not left),
    /// <c>overdue</c> (their review day passed by the month's end), <c>overdue-days</c> (the overdue plans' review days
    /// summed as day numbers, which gives how long they are overdue), <c>new</c> (first plans made) and <c>reviewed</c>
    /// (plans saved again). The first three are counted as changes, so a month's figure is the sum up to it.
    /// </summary>
    public static string Plans(string figure, string? coordinator = null) =>
        coordinator is null ? $"plans/{figure}" : $"plans/{figure}/by/{coordinator.ToLowerInvariant()}";

    /// <summary>Consents of one scope given (<c>given</c>, in the month of their day) or withdrawn (<c>withdrawn</c>, in the month of the withdrawal).</summary>
    public static string Consents(string what, string scope) => $"consents/{what}/{scope}";
}
