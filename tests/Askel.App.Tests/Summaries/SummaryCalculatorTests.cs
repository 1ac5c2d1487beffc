using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Summaries;

namespace Askel.App.Tests.Summaries;

/// <summary>A month's figures from kept counts: capture rates, cohorts, status changes, targets, overdue forms.</summary>
public sealed class SummaryCalculatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 5, 0, 0, TimeSpan.Zero);

    private static readonly Project Demo = new("demo", "Demo", "participant-lifecycle", new DateOnly(2027, 12, 31), null, ["a@x", "b@x"], ["m@x"])
    {
        Targets = new ProjectTargets(200, 0.5, 0.4, 0.9),
    };

    private static Dictionary<string, IReadOnlyDictionary<string, long>> Months(params (string Month, string Key, long Value)[] counts) =>
        counts.GroupBy(c => c.Month).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, long>)g.ToDictionary(c => c.Key, c => c.Value), StringComparer.Ordinal);

    [Fact]
    public void ExitCapture_IsReceivedOverDueUpToTheMonth_WithTheMonthsCohortApart()
    {
        var months = Months(
            ("2026-09", SummaryKeys.Exits, 20), ("2026-09", SummaryKeys.ExitReceived, 15),
            ("2026-10", SummaryKeys.Exits, 31), ("2026-10", SummaryKeys.ExitReceived, 24),
            ("2026-11", SummaryKeys.Exits, 5), ("2026-11", SummaryKeys.ExitReceived, 5));

        var summary = SummaryCalculator.Build(Demo, "2026-10", months, [], [], Now);

        var exit = Assert.Single(summary.Capture, c => c.Form == "exit");
        Assert.Equal((31, 24, 51, 39), (exit.DueInMonth, exit.ReceivedInMonth, exit.DueTotal, exit.ReceivedTotal));
        Assert.Equal(39.0 / 51, exit.Rate);
        Assert.Equal(new Flow(31, 51), summary.Exits);
        Assert.Contains(summary.Targets, t => t is { Target: "exitFormsReceived", Met: false } && Math.Abs(t.Actual - 39.0 / 51) < 1e-9);
    }

    [Fact]
    public void TheWorkOrEducationTarget_IsTheIndividuallyGuidedsShare_WithAdviceOnlyLeaversApart()
    {
        // Six leavers: four individually guided (three to work or education), two only advised (none to work or education).
        var fold = new SummaryFold();
        var enrolled = new DateTimeOffset(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);
        foreach (var (id, adviceOnly, status) in new[]
        {
            ("p1", false, "employed"), ("p2", false, "education"), ("p3", false, "employed"), ("p4", false, "job-searching"),
            ("p5", true, "job-searching"), ("p6", true, "no-change"),
        })
        {
            fold.Add(new Participant
            {
                PartitionKey = "demo", RowKey = id, EnrolledBy = "a@x", EnrolledAt = enrolled, AdviceOnly = adviceOnly,
                LeftAt = new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.Zero), ExitReceivedAt = new DateTimeOffset(2026, 10, 13, 9, 0, 0, TimeSpan.Zero), StatusAtExit = status,
            });
        }

        var summary = SummaryCalculator.Build(Demo, "2026-10", fold.Months, fold.Outstanding, [], Now);

        Assert.Equal(
            [new WorkOrEducationLine("individual", 4, 3), new WorkOrEducationLine("advice-only", 2, 0), new WorkOrEducationLine("all", 6, 3)],
            summary.WorkOrEducation);
        Assert.Equal(0.75, summary.WorkOrEducation[0].Share);
        Assert.Contains(summary.Targets, t => t is { Target: "workOrEducationAtExit", Met: true, Actual: 0.75 }); // all leavers together reach 50 %; the guided 75 %
        var table = Assert.Single(Askel.App.Summaries.Rendering.SummaryTables.Of(summary, "fi"), t => t.Id == "work-or-education");
        Assert.Equal(["Vain neuvotut", "2", "0", "0 %"], table.Rows[1].Select(c => c.Display("fi")));
    }

    [Fact]
    public void SixMonthResults_AreThoseWhoLeftSixMonthsBefore()
    {
        var months = Months(
            ("2026-04", SummaryKeys.Exits, 10), ("2026-04", SummaryKeys.SixMonthReceived, 7), ("2026-04", SummaryKeys.SixMonthOutcome("employed"), 5),
            ("2026-05", SummaryKeys.Exits, 8), ("2026-05", SummaryKeys.SixMonthReceived, 1));

        var summary = SummaryCalculator.Build(Demo, "2026-10", months, [], [], Now);

        var six = Assert.Single(summary.Capture, c => c.Form == "six-month");
        Assert.Equal((10, 7, 10, 7), (six.DueInMonth, six.ReceivedInMonth, six.DueTotal, six.ReceivedTotal));
        Assert.Equal(5, summary.SixMonthOutcomes.Single(o => o.Outcome == "employed").Cumulative);
        Assert.Contains(summary.Targets, t => t is { Target: "employedAtSixMonths", Met: true, Actual: 0.5 });
    }

    [Fact]
    public void StatusChanges_MoveLeaversFromTheirEntryStatus_AJobSeekerStaysUnemployed_EntrepreneursApart()
    {
        var months = Months(
            ("2026-10", SummaryKeys.Transition("unemployed", "employed"), 15),
            ("2026-10", SummaryKeys.Transition("long-term-unemployed", "employed"), 4),
            ("2026-10", SummaryKeys.Transition("long-term-unemployed", "self-employed"), 3),
            ("2026-10", SummaryKeys.Transition("unemployed", "job-searching"), 6),
            ("2026-10", SummaryKeys.Transition("inactive", "no-change"), 2),
            ("2026-09", SummaryKeys.Transition("inactive", "employed"), 1));

        var summary = SummaryCalculator.Build(Demo, "2026-10", months, [], [], Now);

        var changes = summary.StatusChanges.ToDictionary(s => s.Status);
        Assert.Equal(-22, changes["unemployed"].InMonth);
        Assert.Equal(19, changes["employed"].InMonth);
        Assert.Equal(3, changes["self-employed"].InMonth); // the "unemployed −22, employed +19, entrepreneurs +3"
        Assert.Equal(0, changes["education"].InMonth);
        Assert.Equal(0, changes["inactive"].InMonth);
        Assert.Equal(-1, changes["inactive"].Cumulative);
        Assert.Equal(20, changes["employed"].Cumulative);
    }

    [Fact]
    public void Overdue_IsAFormDueByTheMonthsEnd_WhoseGraceHasPassed()
    {
        OutstandingForm[] owed =
        [
            new("entry", "p1", "a@x", new DateTimeOffset(2026, 10, 10, 9, 0, 0, TimeSpan.Zero)), // 14 days passed
            new("entry", "p2", "a@x", new DateTimeOffset(2026, 10, 25, 9, 0, 0, TimeSpan.Zero)), // within 14 days of now
            new("exit", "p3", "b@x", new DateTimeOffset(2026, 9, 30, 9, 0, 0, TimeSpan.Zero)),   // 28 days passed
            new("six-month", "p4", "b@x", new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero)), // not due yet
        ];

        var summary = SummaryCalculator.Build(Demo, "2026-10", Months(), owed, [], Now);

        Assert.Equal(["p1", "p3"], summary.Overdue.Select(o => o.ParticipantId).Order());
        Assert.Equal(1, summary.Capture.Single(c => c.Form == "entry").Overdue);
        Assert.Equal([1, 1], summary.Coordinators.Select(c => c.OverdueForms));
    }

    [Fact]
    public void Caseload_IsStartsLessExitsUpToTheMonth_PerCoordinator_WithOpenTasks()
    {
        var months = Months(
            ("2026-09", SummaryKeys.StartsBy("a@x"), 5), ("2026-09", SummaryKeys.StartsBy("c@x"), 2),
            ("2026-10", SummaryKeys.StartsBy("a@x"), 3), ("2026-10", SummaryKeys.ExitsBy("a@x"), 2),
            ("2026-11", SummaryKeys.ExitsBy("a@x"), 4));
        OpenTask[] tasks = [new("demo.p1", "exit-task", "A@x", []), new("demo.p2", "exit-task", "c@x", [])];

        var summary = SummaryCalculator.Build(Demo, "2026-10", months, [], tasks, Now);

        Assert.Equal(
            ["a@x 6 3 2 1", "b@x 0 0 0 0", "c@x 2 0 0 1"],
            summary.Coordinators.Select(c => $"{c.Coordinator} {c.Caseload} {c.StartsInMonth} {c.ExitsInMonth} {c.OpenTasks}"));
        Assert.Equal(2, Assert.Single(summary.OpenTasks).Count);
    }

    [Fact]
    public void AProjectWithoutManagers_IsWarnedAbout()
    {
        var alone = Demo with { Managers = [] };

        Assert.Equal(["no-managers"], SummaryCalculator.Build(alone, "2026-10", Months(), [], [], Now).Warnings);
        Assert.Empty(SummaryCalculator.Build(Demo, "2026-10", Months(), [], [], Now).Warnings);
    }

    [Fact]
    public void Months_AreHelsinkiMonths()
    {
        Assert.Equal("2026-12", SummaryEvents.MonthOf(new DateTimeOffset(2026, 11, 30, 22, 30, 0, TimeSpan.Zero)));
        Assert.Equal("2026-11", SummaryEvents.MonthOf(new DateTimeOffset(2026, 11, 30, 21, 30, 0, TimeSpan.Zero)));
        Assert.Equal("2026-10", SummaryCalculator.PreviousMonth(new DateTimeOffset(2026, 10, 31, 22, 30, 0, TimeSpan.Zero)));
        Assert.Equal("2027-01", SummaryCalculator.NextMonth("2026-12"));
    }
}
