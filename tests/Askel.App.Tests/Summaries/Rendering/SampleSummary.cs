using Askel.App.Summaries;

namespace Askel.App.Tests.Summaries.Rendering;

/// <summary>A realistic month of a project, built by hand: October 2026, 39 of 51 exit forms received.</summary>
internal static class SampleSummary
{
    /// <summary>Participant ids that only the overdue list holds: no file or email may show them.</summary>
    public static readonly string[] ParticipantIds = ["p-7f3a9c21e4", "p-0b12ee45d9"];

    public static MonthlySummary October2026() => new(
        ProjectId: "polku-tampere",
        ProjectName: "Polku työhön – Tampere",
        Month: "2026-10",
        GeneratedAt: new DateTimeOffset(2026, 11, 1, 4, 0, 0, TimeSpan.Zero),
        Starts: new Flow(7, 96),
        Exits: new Flow(5, 51),
        Capture:
        [
            new CaptureLine("entry", 7, 7, 96, 94, 0, 1),
            new CaptureLine("exit", 5, 4, 51, 39, 3, 6),
            new CaptureLine("six-month", 4, 2, 30, 18, 2, 4),
        ],
        ExitOutcomes:
        [
            new OutcomeLine("employed", 2, 18),
            new OutcomeLine("education", 1, 9),
            new OutcomeLine("job-searching", 1, 14),
            new OutcomeLine("no-change", 1, 10),
        ],
        WorkOrEducation:
        [
            new WorkOrEducationLine("individual", 140, 74),
            new WorkOrEducationLine("advice-only", 20, 4),
            new WorkOrEducationLine("all", 160, 78),
        ],
        SixMonthOutcomes:
        [
            new OutcomeLine("employed", 2, 14),
            new OutcomeLine("not-employed", 2, 16),
            new OutcomeLine("improved", 1, 9),
        ],
        StatusChanges:
        [
            new StatusChange("unemployed", -3, -22),
            new StatusChange("inactive", -1, -5),
            new StatusChange("employed", 2, 18),
            new StatusChange("education", 1, 9),
        ],
        Indicators:
        [
            new IndicatorLine("EECO01", "participants", 48, 44, 2, 2),
            new IndicatorLine("EECO02", "unemployed", 30, 31, 1, 0),
            new IndicatorLine("EECO03", "long-term-unemployed", 12, 15, 0, 0),
            new IndicatorLine("EECO07", "18-29", 20, 18, 1, 1),
        ],
        Targets:
        [
            new TargetLine("participants", 120, 96, IsShare: false),
            new TargetLine("workOrEducationAtExit", 0.5, 27.0 / 51, IsShare: true),
            new TargetLine("exitFormsReceived", 0.8, 39.0 / 51, IsShare: true),
        ],
        Coordinators:
        [
            new CoordinatorLine("maija.ohjaaja@tampere.fi", 24, 4, 3, 5, 2),
            new CoordinatorLine("ville.valmentaja@tampere.fi", 21, 3, 2, 3, 1),
        ],
        OpenTasks: [new TaskLine("call-after-exit", "Soita lähteneelle", 5), new TaskLine("confirm-external", "Vahvista TE-palvelujen lomake", 3)],
        Satisfaction: new SatisfactionLine(4.5, 4, 4.3, 37),
        Guidance:
        [
            new GuidanceLine("all", "contacts", 12, 140),
            new GuidanceLine("channel", "walk-in", 8, 90),
            new GuidanceLine("channel", "pop-up", 4, 50),
            new GuidanceLine("language", "uk", 5, 61),
            new GuidanceLine("gender", "unknown", 3, 20),
        ],
        GuidanceSatisfaction: new SatisfactionLine(4.2, 5, 4.4, 61),
        Employers:
        [
            new CooperationLine("employers", 2, 14, 20),
            new CooperationLine("size/micro", 1, 8, 10),
            new CooperationLine("cooperation/placement", 2, 11, null),
        ],
        Events:
        [
            new CooperationLine("events", 1, 6, null),
            new CooperationLine("kind/job-fair", 1, 2, null),
            new CooperationLine("attendance", 45, 353, 300),
        ],
        EventFeedback: new SatisfactionLine(4.6, 20, 4.5, 140),
        Plans:
        [
            new PlanLine(null, 45, 6, 12.5, 7, 9),
            new PlanLine("maija.ohjaaja@tampere.fi", 24, 2, 8, 4, 5),
            new PlanLine("ville.valmentaja@tampere.fi", 21, 4, 14.75, 3, 4),
        ],
        Consents:
        [
            new ConsentLine("project-data", 6, 90, 1, 4),
            new ConsentLine("share-te", 3, 41, 0, 2),
            new ConsentLine("share-kela", 1, 12, 0, 0),
            new ConsentLine("share-other", 0, 3, 0, 1),
        ],
        Trend:
        [
            new TrendPoint("2025-11", 9, 2, 1, 1.0),
            new TrendPoint("2025-12", 6, 3, 1, 2.0 / 3),
            new TrendPoint("2026-01", 11, 4, 2, 0.75),
            new TrendPoint("2026-02", 8, 5, 3, 0.8),
            new TrendPoint("2026-03", 7, 4, 2, 0.75),
            new TrendPoint("2026-04", 10, 6, 3, 5.0 / 6),
            new TrendPoint("2026-05", 6, 5, 3, 0.8),
            new TrendPoint("2026-06", 4, 7, 4, 5.0 / 7),
            new TrendPoint("2026-07", 3, 3, 1, 2.0 / 3),
            new TrendPoint("2026-08", 9, 4, 2, 0.75),
            new TrendPoint("2026-09", 8, 3, 2, 2.0 / 3),
            new TrendPoint("2026-10", 7, 5, 3, 0.8),
        ],
        Overdue:
        [
            new OverdueForm("exit", ParticipantIds[0], "maija.ohjaaja@tampere.fi", new DateTimeOffset(2026, 10, 2, 9, 0, 0, TimeSpan.Zero), 29),
            new OverdueForm("six-month", ParticipantIds[1], "ville.valmentaja@tampere.fi", new DateTimeOffset(2026, 10, 20, 9, 0, 0, TimeSpan.Zero), 11),
        ],
        Warnings: ["no-managers"]);

    /// <summary>The same month with hostile text where outsiders can put it: the project's and a coordinator's name and a task title.</summary>
    public static MonthlySummary Hostile(string projectName) => October2026() with
    {
        ProjectName = projectName,
        Coordinators =
        [
            new CoordinatorLine("=HYPERLINK(\"http://x\")", 24, 4, 3, 5, 2),
            new CoordinatorLine("<script>alert(1)</script>", 21, 3, 2, 3, 1),
        ],
        OpenTasks = [new TaskLine("x", "@SUM(1)\"><img src=x onerror=alert(2)>", 1)],
    };
}
