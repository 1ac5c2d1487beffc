using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.App.Summaries.Rendering;

namespace Askel.App.Tests.Summaries;

/// <summary>
/// The plan debt: plans open and overdue at each month's end per coordinator, from every version saved and every leaving,
/// against figures counted by hand; the same whatever order the events are applied in (live, or a rebuild).
/// </summary>
public sealed class PlanSummaryTests
{
    private static readonly Project Project = new("p", "Polku", "participant", new DateOnly(2027, 12, 31), null, ["anna@kunta.fi", "ben@kunta.fi"], []);

    // Five participants' plans, September to November 2026 (saved at noon UTC, well inside their Helsinki days):
    //   p1 anna: made 09-10 (review 10-31), reviewed late 11-05 (review 2027-01-15)
    //   p2 anna: made 10-01 (review 11-20), never reviewed
    //   p3 ben:  made 11-02 (review 2027-02-01)
    //   p4 ben:  made 09-15 (review 11-10); left 11-25, which closes it
    //   p5 ben:  made 08-20 (review 09-30), reviewed 10-10 under anna, to whom they were handed over (review 12-10)
    private static readonly Plan P1v1 = Version("p1", 1, "2026-09-10", "2026-10-31", "anna@kunta.fi");
    private static readonly Plan P1v2 = Version("p1", 2, "2026-11-05", "2027-01-15", "anna@kunta.fi");
    private static readonly Plan P2v1 = Version("p2", 1, "2026-10-01", "2026-11-20", "anna@kunta.fi");
    private static readonly Plan P3v1 = Version("p3", 1, "2026-11-02", "2027-02-01", "ben@kunta.fi");
    private static readonly Plan P4v1 = Version("p4", 1, "2026-09-15", "2026-11-10", "ben@kunta.fi");
    private static readonly Plan P5v1 = Version("p5", 1, "2026-08-20", "2026-09-30", "ben@kunta.fi");
    private static readonly Plan P5v2 = Version("p5", 2, "2026-10-10", "2026-12-10", "anna@kunta.fi");

    private static readonly Participant P4 = new()
    {
        PartitionKey = "p", RowKey = "p4", EnrolledBy = "ben@kunta.fi", EnrolledAt = At("2026-09-01"), LeftAt = At("2026-11-25"),
        PlanVersion = 1, PlanReviewAt = Plans.AtStartOf(P4v1.ReviewOn), PlanSavedAt = P4v1.SavedAt, PlanCoordinator = "ben@kunta.fi",
    };

    private static readonly SummaryEvent[] AsSaved =
    [
        SummaryEvents.Of(P5v1, null), SummaryEvents.Of(P1v1, null), SummaryEvents.Of(P4v1, null), SummaryEvents.Of(P2v1, null), SummaryEvents.Of(P5v2, P5v1),
        SummaryEvents.Of(P3v1, null), SummaryEvents.Of(P1v2, P1v1), SummaryEvents.Of(P4, SummaryFact.Left)!,
    ];

    [Fact]
    public void TheMonthsPlanDebt_PerCoordinator_IsWhatWasCountedByHand()
    {
        var fold = Fold(AsSaved);

        // November's end (12-01): open p1 p2 p5 (anna) and p3 (ben); p4 left. Overdue: p2 only, since 11-20: 11 days.
        Assert.Equal(
            [new PlanLine(null, 4, 1, 11, NewInMonth: 1, ReviewedInMonth: 1), new PlanLine("anna@kunta.fi", 3, 1, 11, 0, 1), new PlanLine("ben@kunta.fi", 1, 0, null, 1, 0)],
            Build(fold, "2026-11").Plans);

        // October's end (11-01): open p1 p2 p5 (anna, p5 reviewed under her) and p4 (ben). Overdue: p1, its review 10-31 a day passed.
        Assert.Equal(
            [new PlanLine(null, 4, 1, 1, 1, 1), new PlanLine("anna@kunta.fi", 3, 1, 1, 1, 1), new PlanLine("ben@kunta.fi", 1, 0, null, 0, 0)],
            Build(fold, "2026-10").Plans);

        // September's end (10-01): open p1 (anna), p4 and p5 (ben). Overdue: p5, its review 09-30.
        Assert.Equal(
            [new PlanLine(null, 3, 1, 1, 2, 0), new PlanLine("anna@kunta.fi", 1, 0, null, 1, 0), new PlanLine("ben@kunta.fi", 2, 1, 1, 1, 0)],
            Build(fold, "2026-09").Plans);
        Assert.Equal(0.75, Build(fold, "2026-11").Plans[0].Share);
    }

    [Fact]
    public void ARebuild_AppliesTheSameEventsInAnotherOrder_AndKeepsTheSameCounts()
    {
        // A rebuild folds the participants' rows first (p4's leaving), then every plan version participant by participant.
        SummaryEvent[] rebuild =
        [
            AsSaved[^1], SummaryEvents.Of(P1v1, null), SummaryEvents.Of(P1v2, P1v1), SummaryEvents.Of(P2v1, null), SummaryEvents.Of(P3v1, null),
            SummaryEvents.Of(P4v1, null), SummaryEvents.Of(P5v1, null), SummaryEvents.Of(P5v2, P5v1),
        ];

        Assert.Equal(Canonical(Fold(AsSaved)), Canonical(Fold(rebuild)));
    }

    [Fact]
    public void ALeavingDatedBeforeThePlansLastSave_NeverCountsItBelowZero()
    {
        // Made in October, but the leaving was recorded afterwards with a September date.
        var plan = Version("p6", 1, "2026-10-05", "2026-11-05", "anna@kunta.fi");
        var left = new Participant
        {
            PartitionKey = "p", RowKey = "p6", EnrolledBy = "anna@kunta.fi", EnrolledAt = At("2026-08-01"), LeftAt = At("2026-09-20"),
            PlanVersion = 1, PlanReviewAt = Plans.AtStartOf(plan.ReviewOn), PlanSavedAt = plan.SavedAt, PlanCoordinator = "anna@kunta.fi",
        };

        var fold = Fold([SummaryEvents.Of(plan, null), SummaryEvents.Of(left, SummaryFact.Left)!]);

        foreach (var month in new[] { "2026-09", "2026-10", "2026-11", "2026-12" })
        {
            var total = Build(fold, month).Plans[0];
            Assert.Equal((0, 0), (total.Open, total.Overdue));
        }
    }

    [Fact]
    public void ThePlansTable_IsInTheSummaryTables_InEachLanguage()
    {
        var summary = Build(Fold(AsSaved), "2026-11");

        var table = Assert.Single(SummaryTables.Of(summary, "en"), t => t.Id == "plans");
        Assert.Equal("Plans at the month's end (plan debt)", table.Title);
        Assert.Equal(["Whole project", "4", "3", "75%", "1", "11.0", "1", "1"], table.Rows[0].Select(c => c.Display("en")));
        Assert.Equal("Suunnitelmat kuukauden lopussa (suunnitelmavelka)", Assert.Single(SummaryTables.Of(summary, "fi"), t => t.Id == "plans").Title);
        Assert.Equal("Hela projektet", Assert.Single(SummaryTables.Of(summary, "sv"), t => t.Id == "plans").Rows[0][0].Display("sv"));
    }

    private static MonthlySummary Build(SummaryFold fold, string month) =>
        SummaryCalculator.Build(Project, month, fold.Months, [], [], At("2026-12-02"));

    private static SummaryFold Fold(IEnumerable<SummaryEvent> events)
    {
        var fold = new SummaryFold();
        foreach (var summaryEvent in events)
        {
            fold.Add(summaryEvent);
        }

        return fold;
    }

    private static string Canonical(SummaryFold fold) =>
        string.Join("\n", fold.Months.OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => m.Key + ": " + string.Join(", ", m.Value.Where(c => c.Key.StartsWith("plans/", StringComparison.Ordinal)).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"))));

    private static Plan Version(string participant, int version, string saved, string review, string coordinator) =>
        new(participant, version, [new PlanGoal("work", "Työ")], [], DateOnly.Parse(review, System.Globalization.CultureInfo.InvariantCulture), coordinator, coordinator, At(saved), $"k-{participant}-{version}");

    private static DateTimeOffset At(string day) => new(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
}
