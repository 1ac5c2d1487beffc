using System.Globalization;
using Askel.App.Guidance;
using Askel.App.Participants;
using Askel.App.Projects;

namespace Askel.App.Summaries;

/// <summary>
/// Builds a month's summary from the kept counts (one row per month), the forms still owed and the open tasks.
/// Pure: no storage and no clock, so the app, the email and the tests get the same figures.
/// </summary>
public static class SummaryCalculator
{
    /// <summary>How long a form may be missing before it counts as overdue: the ask steps' expiry.</summary>
    public static readonly IReadOnlyDictionary<string, TimeSpan> Grace = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        [SummaryEvents.EntryForm] = TimeSpan.FromDays(14),
        [SummaryEvents.ExitForm] = TimeSpan.FromDays(28),
        [SummaryEvents.SixMonthForm] = TimeSpan.FromDays(28),
    };

    /// <summary>The indicators reported, with their ESF+ codes (Reg. 2021/1057 Annex I), in report order.</summary>
    public static readonly IReadOnlyList<(string Code, string Indicator)> Indicators =
    [
        ("", "participants"),
        ("EECO01", "unemployed"),
        ("EECO02", "long-term-unemployed"),
        ("EECO03", "inactive"),
        ("EECO04", "employed"),
        ("", "under-18"),
        ("EECO05", "18-29"),
        ("EECO06", "55-plus"),
        ("EECO07", "isced-0-2"),
        ("EECO08", "isced-3-4"),
        ("EECO09", "isced-5-8"),
        ("EECO13", "third-country-national"),
        ("EECO14", "foreign-background"),
        ("EECO12", "disability"),
        ("EECO15", "minority"),
        ("EECO16", "homeless"),
    ];

    private static readonly string[] ExitStatuses = ["employed", "education", "job-searching", "no-change"];
    private static readonly string[] Statuses = ["unemployed", "inactive", "employed", "self-employed", "education"];

    /// <summary>The summary of <paramref name="month"/> (<c>yyyy-MM</c>) as of <paramref name="now"/>.</summary>
    public static MonthlySummary Build(
        Project project, string month, IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> months,
        IReadOnlyList<OutstandingForm> outstanding, IReadOnlyList<OpenTask> openTasks, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(months);
        ArgumentNullException.ThrowIfNull(outstanding);
        ArgumentNullException.ThrowIfNull(openTasks);
        var upTo = months.Where(m => string.CompareOrdinal(m.Key, month) <= 0).Select(m => m.Value).ToList();
        var thisMonth = months.GetValueOrDefault(month) ?? new Dictionary<string, long>();
        var sixMonthCohort = MonthOf(FirstDay(month).AddMonths(-6));
        var sixMonthCohorts = months.Where(m => string.CompareOrdinal(m.Key, sixMonthCohort) <= 0).Select(m => m.Value).ToList();
        int In(string key) => (int)thisMonth.GetValueOrDefault(key);
        int Sum(string key) => (int)upTo.Sum(m => m.GetValueOrDefault(key));
        int SixIn(string key) => (int)(months.GetValueOrDefault(sixMonthCohort)?.GetValueOrDefault(key) ?? 0);
        int SixSum(string key) => (int)sixMonthCohorts.Sum(m => m.GetValueOrDefault(key));

        var monthEnd = EndOf(month);
        var overdue = outstanding
            .Where(o => o.DueAt < monthEnd && o.DueAt + Grace.GetValueOrDefault(o.Form) < now)
            .Select(o => new OverdueForm(o.Form, o.ParticipantId, o.Coordinator, o.DueAt, (int)(now - o.DueAt - Grace.GetValueOrDefault(o.Form)).TotalDays))
            .OrderBy(o => o.DueAt)
            .ToList();
        int Overdue(string form) => overdue.Count(o => o.Form == form);

        var capture = new List<CaptureLine>
        {
            new(SummaryEvents.EntryForm, In(SummaryKeys.Starts), In(SummaryKeys.EntryReceived), Sum(SummaryKeys.Starts), Sum(SummaryKeys.EntryReceived),
                Overdue(SummaryEvents.EntryForm), Sum(SummaryKeys.Closed(SummaryEvents.EntryForm))),
            new(SummaryEvents.ExitForm, In(SummaryKeys.Exits), In(SummaryKeys.ExitReceived), Sum(SummaryKeys.Exits), Sum(SummaryKeys.ExitReceived),
                Overdue(SummaryEvents.ExitForm), Sum(SummaryKeys.Closed(SummaryEvents.ExitForm))),
            new(SummaryEvents.SixMonthForm, SixIn(SummaryKeys.Exits), SixIn(SummaryKeys.SixMonthReceived), SixSum(SummaryKeys.Exits), SixSum(SummaryKeys.SixMonthReceived),
                Overdue(SummaryEvents.SixMonthForm), SixSum(SummaryKeys.Closed(SummaryEvents.SixMonthForm))),
        };

        // "self-employed" is a part of "employed" (ESF+ counts employment including self-employment), listed under it.
        OutcomeLine Exit(string outcome, string key) => new(outcome, In(key), Sum(key));
        OutcomeLine SixMonth(string outcome, string key) => new(outcome, SixIn(key), SixSum(key));
        List<OutcomeLine> exitOutcomes =
        [
            Exit("employed", SummaryKeys.ExitOutcome("employed")),
            Exit("self-employed", SummaryKeys.ExitSelfEmployed),
            .. ExitStatuses.Skip(1).Select(s => Exit(s, SummaryKeys.ExitOutcome(s))),
            Exit("qualification", SummaryKeys.ExitQualification),
        ];
        List<OutcomeLine> sixMonthOutcomes =
        [
            SixMonth("employed", SummaryKeys.SixMonthOutcome("employed")),
            SixMonth("self-employed", SummaryKeys.SixMonthSelfEmployed),
            SixMonth("not-employed", SummaryKeys.SixMonthOutcome("not-employed")),
            SixMonth("improved", SummaryKeys.SixMonthImproved),
        ];

        var indicators = Indicators.Select(i => new IndicatorLine(
            i.Code, i.Indicator,
            Sum(SummaryKeys.Output(i.Indicator, "woman")), Sum(SummaryKeys.Output(i.Indicator, "man")),
            Sum(SummaryKeys.Output(i.Indicator, "non-binary")), Sum(SummaryKeys.Output(i.Indicator, "unknown")))).ToList();

        var coordinators = project.Coordinators
            .Concat(upTo.SelectMany(m => m.Keys).Where(k => k.StartsWith("starts/by/", StringComparison.Ordinal)).Select(k => k["starts/by/".Length..]))
            .Select(c => c.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(c => new CoordinatorLine(
                c,
                Sum(SummaryKeys.StartsBy(c)) - Sum(SummaryKeys.ExitsBy(c)) - Sum(SummaryKeys.NotStartedBy(c)),
                In(SummaryKeys.StartsBy(c)),
                In(SummaryKeys.ExitsBy(c)),
                openTasks.Count(t => string.Equals(t.Coordinator, c, StringComparison.OrdinalIgnoreCase)),
                overdue.Count(o => string.Equals(o.Coordinator, c, StringComparison.OrdinalIgnoreCase))))
            .ToList();

        var satisfaction = new SatisfactionLine(
            Average(In(SummaryKeys.SatisfactionSum), In(SummaryKeys.SatisfactionCount)), In(SummaryKeys.SatisfactionCount),
            Average(Sum(SummaryKeys.SatisfactionSum), Sum(SummaryKeys.SatisfactionCount)), Sum(SummaryKeys.SatisfactionCount));

        var exits = Sum(SummaryKeys.Exits);
        var toWorkOrEducation = Sum(SummaryKeys.ExitOutcome("employed")) + Sum(SummaryKeys.ExitOutcome("education"));
        var adviceOnlyExits = Sum(SummaryKeys.AdviceOnlyExits);
        var adviceOnlyToWorkOrEducation = Sum(SummaryKeys.AdviceOnlyExitOutcome("employed")) + Sum(SummaryKeys.AdviceOnlyExitOutcome("education"));
        List<WorkOrEducationLine> workOrEducationShare =
        [
            new("individual", exits - adviceOnlyExits, toWorkOrEducation - adviceOnlyToWorkOrEducation),
            new("advice-only", adviceOnlyExits, adviceOnlyToWorkOrEducation),
            new("all", exits, toWorkOrEducation),
        ];
        var targets = new List<TargetLine>();
        var goals = project.Targets;
        if (goals.Participants is { } participants)
        {
            targets.Add(new("participants", participants, Sum(SummaryKeys.Starts), IsShare: false));
        }

        if (goals.WorkOrEducationAtExit is { } workOrEducation)
        {
            // The promise is about those individually guided: advice-only clients are left out (International Rovaniemi).
            targets.Add(new("workOrEducationAtExit", workOrEducation, workOrEducationShare[0].Share ?? 0, IsShare: true));
        }

        if (goals.EmployedAtSixMonths is { } employed)
        {
            targets.Add(new("employedAtSixMonths", employed, Share(SixSum(SummaryKeys.SixMonthOutcome("employed")), SixSum(SummaryKeys.Exits)), IsShare: true));
        }

        if (goals.ExitFormsReceived is { } received)
        {
            targets.Add(new("exitFormsReceived", received, Share(Sum(SummaryKeys.ExitReceived), exits), IsShare: true));
        }

        var (employers, events) = CooperationLines(goals, thisMonth, upTo);
        targets.AddRange(employers.Concat(events).Where(l => l.Target is not null).Select(l => new TargetLine(
            l.Figure switch { "employers" => "employers", "attendance" => "eventAttendees", var size => "employersBySize-" + size["size/".Length..] },
            l.Target!.Value, l.Cumulative, IsShare: false)));

        var warnings = new List<string>();
        if (project.Managers.Count == 0 && project.ManagerGroup is null)
        {
            warnings.Add("no-managers");
        }

        return new MonthlySummary(
            project.Id, project.Name, month, now,
            new Flow(In(SummaryKeys.Starts), Sum(SummaryKeys.Starts)),
            new Flow(In(SummaryKeys.Exits), exits),
            capture, exitOutcomes, workOrEducationShare, sixMonthOutcomes,
            StatusChanges(thisMonth, upTo),
            indicators, targets, coordinators,
            [.. openTasks.GroupBy(t => t.Step).Select(g => new TaskLine(g.Key, g.First().Title("fi"), g.Count())).OrderByDescending(t => t.Count)],
            satisfaction,
            GuidanceLines(thisMonth, upTo),
            new SatisfactionLine(
                Average(In(SummaryKeys.GuidanceSatisfactionSum), In(SummaryKeys.GuidanceSatisfactionCount)), In(SummaryKeys.GuidanceSatisfactionCount),
                Average(Sum(SummaryKeys.GuidanceSatisfactionSum), Sum(SummaryKeys.GuidanceSatisfactionCount)), Sum(SummaryKeys.GuidanceSatisfactionCount)),
            employers,
            events,
            new SatisfactionLine(
                Average(In(SummaryKeys.EventFeedbackSum), In(SummaryKeys.EventFeedbackCount)), In(SummaryKeys.EventFeedbackCount),
                Average(Sum(SummaryKeys.EventFeedbackSum), Sum(SummaryKeys.EventFeedbackCount)), Sum(SummaryKeys.EventFeedbackCount)),
            PlanLines(month, thisMonth, upTo),
            [.. Participants.Consents.Scopes.Select(scope => new ConsentLine(
                scope, In(SummaryKeys.Consents("given", scope)), Sum(SummaryKeys.Consents("given", scope)),
                In(SummaryKeys.Consents("withdrawn", scope)), Sum(SummaryKeys.Consents("withdrawn", scope))))],
            Trend(months, month),
            overdue,
            warnings);
    }

    /// <summary>The month (<c>yyyy-MM</c>) before the one <paramref name="now"/> is in, in Europe/Helsinki.</summary>
    public static string PreviousMonth(DateTimeOffset now) => MonthOf(FirstDay(SummaryEvents.MonthOf(now)).AddMonths(-1));

    /// <summary>The moment <paramref name="month"/> (<c>yyyy-MM</c>) ends in Europe/Helsinki: the next month's first midnight.</summary>
    public static DateTimeOffset EndOf(string month) => StartOf(FirstDay(month).AddMonths(1));

    /// <summary>Whether <paramref name="month"/> is a real <c>yyyy-MM</c> month.</summary>
    public static bool IsMonth(string? month) =>
        month is { Length: 7 } && DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>The month after <paramref name="month"/>.</summary>
    public static string NextMonth(string month) => MonthOf(FirstDay(month).AddMonths(1));

    // Net change per status among the month's leavers with both forms: a job seeker counts as unemployed, "no change" moves no one.
    private static List<StatusChange> StatusChanges(IReadOnlyDictionary<string, long> thisMonth, IReadOnlyList<IReadOnlyDictionary<string, long>> upTo)
    {
        static Dictionary<string, int> Net(IEnumerable<KeyValuePair<string, long>> counts)
        {
            var net = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (key, value) in counts.Where(c => c.Key.StartsWith("transition/", StringComparison.Ordinal)))
            {
                var parts = key.Split('/');
                var from = parts[1] == "long-term-unemployed" ? "unemployed" : parts[1];
                var to = parts[2] switch { "job-searching" => "unemployed", "no-change" => from, var s => s };
                net[from] = net.GetValueOrDefault(from) - (int)value;
                net[to] = net.GetValueOrDefault(to) + (int)value;
            }

            return net;
        }

        var inMonth = Net(thisMonth);
        var cumulative = Net(upTo.SelectMany(m => m));
        return [.. Statuses.Select(s => new StatusChange(s, inMonth.GetValueOrDefault(s), cumulative.GetValueOrDefault(s)))];
    }

    // Every contact, then each trait's values in their list's order (languages as the participant languages, "unknown" last).
    private static List<GuidanceLine> GuidanceLines(IReadOnlyDictionary<string, long> thisMonth, List<IReadOnlyDictionary<string, long>> upTo)
    {
        GuidanceLine Line(string trait, string value, string key) =>
            new(trait, value, (int)thisMonth.GetValueOrDefault(key), (int)upTo.Sum(m => m.GetValueOrDefault(key)));

        (string Trait, IReadOnlyList<string> Values)[] traits =
        [
            ("channel", GuidanceContact.Channels),
            ("topic", GuidanceContact.Topics),
            ("language", GuidanceContact.Languages),
            ("age", [.. GuidanceContact.AgeGroups, "unknown"]),
            ("gender", [.. GuidanceContact.Genders, "unknown"]),
        ];
        var lines = new List<GuidanceLine> { Line("all", "contacts", SummaryKeys.GuidanceContacts) };
        foreach (var (trait, values) in traits)
        {
            lines.AddRange(values.Select(v => Line(trait, v, SummaryKeys.Guidance(trait, v))).Where(l => l.Cumulative > 0));
        }

        return lines;
    }

    // Every employer and each size and kind of cooperation; every event, each kind and the attendance. A value is shown
    // once it has been counted or has a target, so an empty register shows only its totals.
    private static (List<CooperationLine> Employers, List<CooperationLine> Events) CooperationLines(
        ProjectTargets goals, IReadOnlyDictionary<string, long> thisMonth, List<IReadOnlyDictionary<string, long>> upTo)
    {
        CooperationLine Line(string figure, string key, int? target) =>
            new(figure, (int)thisMonth.GetValueOrDefault(key), (int)upTo.Sum(m => m.GetValueOrDefault(key)), target);

        List<CooperationLine> employers =
        [
            Line("employers", SummaryKeys.Employers, goals.Employers),
            .. Cooperation.Employer.Sizes.Select(s => Line($"size/{s}", SummaryKeys.Employer("size", s), goals.EmployersBySize.TryGetValue(s, out var t) ? t : null)),
            .. Cooperation.Employer.CooperationTypes.Select(c => Line($"cooperation/{c}", SummaryKeys.Employer("cooperation", c), null)),
            Line("placements", SummaryKeys.Placements, null),
        ];
        List<CooperationLine> events =
        [
            Line("events", SummaryKeys.Events, null),
            .. Cooperation.CooperationEvent.Kinds.Select(k => Line($"kind/{k}", SummaryKeys.EventKind(k), null)),
            Line("attendance", SummaryKeys.EventAttendance, goals.EventAttendees),
            Line("named-attendees", SummaryKeys.NamedAttendees, null),
        ];
        static List<CooperationLine> Shown(List<CooperationLine> lines) => [lines[0], .. lines.Skip(1).Where(l => l.Cumulative != 0 || l.Target is not null || l.Figure == "attendance")];
        return (Shown(employers), Shown(events));
    }

    // The project's plans, then each coordinator's who has plans open or saved plans in the month. Overdue days are counted
    // to the month's end (the next month's first day): the overdue plans' count times that day, less their review days.
    private static List<PlanLine> PlanLines(string month, IReadOnlyDictionary<string, long> thisMonth, List<IReadOnlyDictionary<string, long>> upTo)
    {
        var end = DateOnly.FromDateTime(FirstDay(month).AddMonths(1)).DayNumber;
        PlanLine Line(string? coordinator)
        {
            long Sum(string figure) => upTo.Sum(m => m.GetValueOrDefault(SummaryKeys.Plans(figure, coordinator)));
            var overdue = Sum("overdue");
            return new(
                coordinator, (int)Sum("open"), (int)overdue, overdue == 0 ? null : (double)(overdue * end - Sum("overdue-days")) / overdue,
                (int)thisMonth.GetValueOrDefault(SummaryKeys.Plans("new", coordinator)), (int)thisMonth.GetValueOrDefault(SummaryKeys.Plans("reviewed", coordinator)));
        }

        var coordinators = upTo.SelectMany(m => m.Keys)
            .Where(k => k.StartsWith("plans/open/by/", StringComparison.Ordinal))
            .Select(k => k["plans/open/by/".Length..])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return [Line(null), .. coordinators.Select(Line).Where(l => l.Open != 0 || l.NewInMonth + l.ReviewedInMonth > 0)];
    }

    // The twelve months up to this one.
    private static List<TrendPoint> Trend(IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> months, string month)
    {
        var points = new List<TrendPoint>();
        for (var i = 11; i >= 0; i--)
        {
            var m = MonthOf(FirstDay(month).AddMonths(-i));
            var counts = months.GetValueOrDefault(m) ?? new Dictionary<string, long>();
            var exits = (int)counts.GetValueOrDefault(SummaryKeys.Exits);
            points.Add(new TrendPoint(
                m,
                (int)counts.GetValueOrDefault(SummaryKeys.Starts),
                exits,
                (int)(counts.GetValueOrDefault(SummaryKeys.ExitOutcome("employed")) + counts.GetValueOrDefault(SummaryKeys.ExitOutcome("education"))),
                exits == 0 ? null : (double)counts.GetValueOrDefault(SummaryKeys.ExitReceived) / exits));
        }

        return points;
    }

    private static double? Average(int sum, int count) => count == 0 ? null : (double)sum / count;

    private static double Share(int part, int whole) => whole == 0 ? 0 : (double)part / whole;

    private static readonly TimeZoneInfo Helsinki = Askel.Runtime.Calendar.CalendarPolicy.Default.TimeZone; // the runtime's zone: Europe/Helsinki

    // The moment a Helsinki day begins.
    private static DateTimeOffset StartOf(DateTime day) => new(day, Helsinki.GetUtcOffset(day));

    private static DateTime FirstDay(string month) => DateTime.ParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture);

    private static string MonthOf(DateTime day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
