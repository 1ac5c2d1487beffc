using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Askel.App.Audit;
using Askel.App.Coordinator;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Askel.App.Tests.Coordinator.CoordinatorBrowser;

namespace Askel.App.Tests.Coordinator;

/// <summary>
/// A participant's plan: saved once however often posted, reviewed as a new version, up to date until its review day and
/// then in the work queue and overdue, counted in the summary as a rebuild counts it, refused with the reasons, closed once
/// they have left, and only in the coordinator's own projects. Session notes beside it: on the timeline and in the export,
/// checked, and erased with the participant.
/// </summary>
public sealed partial class PlanTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    [Fact]
    public void EveryPlanRule_NamesItsField()
    {
        var good = new PlanEntry(
            "k", [new PlanGoalEntry("work", "Työpaikka logistiikasta"), new PlanGoalEntry("", "")], [new PlanStepEntry("Trukkikortti", "participant", "2027-01-15", false)], "2027-02-23");

        Assert.Empty(good.Check(Today, 3));
        Assert.Equal([("goal-text-0", "plan-goal-missing")], (good with { Goals = [new PlanGoalEntry("", " ")] }).Check(Today, 3));
        Assert.Equal([("goal-text-1", "plan-goal-invalid")], (good with { Goals = [good.Goals[0], new PlanGoalEntry("health", "=HYPERLINK(\"x\")")] }).Check(Today, 3));
        Assert.Equal([("goal-text-0", "plan-goal-invalid")], (good with { Goals = [new PlanGoalEntry("", "No kind")] }).Check(Today, 3));
        Assert.Equal([("step-text-0", "plan-step-invalid")], (good with { Steps = [new PlanStepEntry("Trukkikortti", "someone", "2027-01-15", false)] }).Check(Today, 3));
        Assert.Equal([("step-text-0", "plan-step-invalid")], (good with { Steps = [new PlanStepEntry("Trukkikortti", "participant", "2029-01-15", false)] }).Check(Today, 3));
        Assert.Equal([("reviewOn", "plan-review-invalid")], (good with { ReviewOn = "2027-02-24" }).Check(Today, 3)); // beyond three months
        Assert.Equal([("reviewOn", "plan-review-invalid")], (good with { ReviewOn = "2026-11-23" }).Check(Today, 3)); // not after today
        Assert.Empty((good with { ReviewOn = "2027-05-23" }).Check(Today, 6));
        Assert.Equal([("goal-text-0", "plan-too-many")], (good with { Goals = [.. Enumerable.Repeat(good.Goals[0], Plans.MaxGoals + 1)] }).Check(Today, 3));
    }

    [Fact]
    public void TheWorkQueue_ShowsAPlanTwoWeeksBeforeItsReviewDay_AndNoneOnceTheyHaveLeft()
    {
        var project = new Project("demo", "Demo", "participant-lifecycle", new DateOnly(2027, 12, 31), null, ["coordinator@askel.local"], []);
        var now = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        var participant = new Participant
        {
            PartitionKey = "demo", RowKey = "p1", EnrolledBy = "coordinator@askel.local", EnrolledAt = now.AddDays(-20), LastContactAt = now, PlanReviewAt = Plans.AtStartOf(new DateOnly(2026, 12, 7)),
        };

        Assert.IsType<PlanReviewDue>(Assert.Single(WorkQueue.ItemsOf(project, participant, null, now)));
        participant.PlanReviewAt = Plans.AtStartOf(new DateOnly(2026, 12, 8));
        Assert.Empty(WorkQueue.ItemsOf(project, participant, null, now));
        participant.PlanReviewAt = Plans.AtStartOf(new DateOnly(2026, 11, 1)); // overdue
        Assert.IsType<PlanReviewDue>(Assert.Single(WorkQueue.ItemsOf(project, participant, null, now)));
        participant.LeftAt = now;
        Assert.Empty(WorkQueue.ItemsOf(project, participant, null, now));
    }

    [Fact]
    public async Task APlan_PostedTwice_IsSavedOnce_ThenReviewed_FallsDue_AndIsCountedAsARebuildCountsIt()
    {
        var participant = await EnrolAsync();
        using var client = await SignInAsync("coordinator@askel.local");
        var page = $"/coordinator/projects/demo/participants/{participant.Id}/plan";
        var form = await client.GetStringAsync(page);
        Assert.Contains("Suunnitelmaa ei ole vielä tehty.", form, StringComparison.Ordinal);
        Assert.Equal("2027-02-23", ReviewField().Match(form).Groups[1].Value); // today and the demo project's three months
        (string, string)[] plan =
        [
            ("key", KeyField().Match(form).Groups[1].Value), ("goal-type-0", "work"), ("goal-text-0", "Työpaikka logistiikasta"), ("goal-type-1", "language"), ("goal-text-1", "Suomen kieli B1"),
            ("goal-type-2", ""), ("goal-text-2", ""), ("step-text-0", "Trukkikortti"), ("step-owner-0", "participant"), ("step-due-0", "2027-01-15"),
            ("step-text-1", "Yhteys TE-palveluihin"), ("step-owner-1", "coordinator"), ("step-due-1", "2026-12-01"), ("step-done-1", "yes"), ("reviewOn", "2026-12-20"),
        ];

        using var first = await PostAsync(client, page, page, plan);
        using var again = await PostAsync(client, page, page, plan);

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        var saved = Assert.Single(await Plans.HistoryAsync("demo", participant.Id, CancellationToken.None));
        Assert.Equal([new PlanGoal("work", "Työpaikka logistiikasta"), new PlanGoal("language", "Suomen kieli B1")], saved.Goals);
        Assert.Equal([new PlanStep("Trukkikortti", "participant", new DateOnly(2027, 1, 15), false), new PlanStep("Yhteys TE-palveluihin", "coordinator", new DateOnly(2026, 12, 1), true)], saved.Steps);
        Assert.Equal((new DateOnly(2026, 12, 20), "coordinator@askel.local"), (saved.ReviewOn, saved.Coordinator));
        var shown = WebUtility.HtmlDecode(await client.GetStringAsync(first.Headers.Location));
        Assert.Contains("Suunnitelma tallennettu.", shown, StringComparison.Ordinal);
        Assert.Contains("Ajan tasalla: tarkistetaan viimeistään 2026-12-20.", shown, StringComparison.Ordinal);
        Assert.Contains("Ajan tasalla: tarkistetaan viimeistään 2026-12-20.", WebUtility.HtmlDecode(await client.GetStringAsync($"/coordinator/projects/demo/participants/{participant.Id}")), StringComparison.Ordinal);
        Assert.Equal((1L, 1L, 1L), (await CountAsync("2026-11", SummaryKeys.Plans("new")), await CountAsync("2026-11", SummaryKeys.Plans("open")), await CountAsync("2026-12", SummaryKeys.Plans("overdue"))));

        // Two weeks before the review day it is in the coordinator's work queue; after it, overdue (a sign-in lasts eight hours).
        var landing = WebUtility.HtmlDecode(await client.GetStringAsync("/coordinator"));
        Assert.DoesNotContain("Suunnitelman tarkistus (1)", landing, StringComparison.Ordinal);
        Assert.Contains("Askel demo project: 1/1 suunnitelmaa ajan tasalla (100 %), 0 asiakkaalla ei suunnitelmaa.", landing, StringComparison.Ordinal);
        Factory.Time.Advance(TimeSpan.FromDays(14));
        using var later = await SignInAsync("coordinator@askel.local");
        Assert.Contains("Suunnitelman tarkistus (1)", WebUtility.HtmlDecode(await later.GetStringAsync("/coordinator")), StringComparison.Ordinal);
        Factory.Time.Advance(TimeSpan.FromDays(14)); // to 2026-12-21 08:00 UTC
        using var overdue = await SignInAsync("coordinator@askel.local");
        Assert.Contains("Askel demo project: 0/1 suunnitelmaa ajan tasalla (0 %)", WebUtility.HtmlDecode(await overdue.GetStringAsync("/coordinator")), StringComparison.Ordinal);
        Assert.Contains("Tarkistus myöhässä: piti tarkistaa 2026-12-20 mennessä. Myöhässä päiviä: 1.", WebUtility.HtmlDecode(await overdue.GetStringAsync(page)), StringComparison.Ordinal);

        // Reviewed: a second version, the first one's counts moved to its end.
        var review = await overdue.GetStringAsync(page);
        Assert.Contains("value=\"Trukkikortti\"", review, StringComparison.Ordinal); // the form holds the plan as it stands
        using var reviewed = await PostAsync(overdue, page, page, [.. plan.Where(f => f.Item1 is not ("key" or "reviewOn")), ("key", KeyField().Match(review).Groups[1].Value), ("reviewOn", "2027-03-01")]);
        Assert.Equal(HttpStatusCode.SeeOther, reviewed.StatusCode);
        Assert.Equal([1, 2], (await Plans.HistoryAsync("demo", participant.Id, CancellationToken.None)).Select(p => p.Version));
        Assert.Equal(Plans.AtStartOf(new DateOnly(2027, 3, 1)), (await Service.FindAsync("demo", participant.Id, CancellationToken.None))!.PlanReviewAt);
        var december = await App.Services.GetRequiredService<SummaryService>().BuildAsync(Demo, "2026-12", CancellationToken.None);
        Assert.Equal(new PlanLine(null, 1, 0, null, 0, 1), december.Plans[0]);
        Assert.Equal(2, (await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", participant.Id, 100, CancellationToken.None)).Count(a => a.Action == "save-plan"));

        var kept = await MonthsAsync();
        await App.Services.GetRequiredService<SummaryService>().RebuildAsync(Demo, CancellationToken.None);
        Assert.Equal(kept, await MonthsAsync());
    }

    [Fact]
    public async Task AFaultyPlan_IsRefusedWithTheReasonsInTheCoordinatorsLanguage_AndNothingIsSaved()
    {
        var participant = await EnrolAsync();
        using var client = await SignInAsync("coordinator@askel.local");
        var page = $"/coordinator/projects/demo/participants/{participant.Id}/plan";

        using var refused = await PostAsync(client, page, page,
            ("lang", "en"), ("goal-type-0", "work"), ("goal-text-0", "=cmd|' /C calc'!A0"), ("step-text-0", "Step"), ("step-owner-0", "participant"), ("step-due-0", "soon"), ("reviewOn", "2027-06-01"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var body = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("not starting with = + - @", body, StringComparison.Ordinal);
        Assert.Contains("Give the step a text", body, StringComparison.Ordinal);
        Assert.Contains("no further away than the project's review interval", body, StringComparison.Ordinal);
        Assert.Contains("href=\"#goal-text-0\"", body, StringComparison.Ordinal);
        Assert.Contains("value=\"Step\"", body, StringComparison.Ordinal); // what was typed stays
        Assert.Empty(await Plans.HistoryAsync("demo", participant.Id, CancellationToken.None));
    }

    [Fact]
    public async Task OnceTheyHaveLeft_ThePlanIsClosed_AndAnotherProjectsCoordinatorFindsNoPlan()
    {
        var participant = await EnrolAsync();
        await Service.MarkLeftAsync(participant, Today, "coordinator@askel.local", CancellationToken.None);
        await App.Services.SettleAsync();
        using var client = await SignInAsync("coordinator@askel.local");
        var page = $"/coordinator/projects/demo/participants/{participant.Id}/plan";

        using var closed = await PostAsync(client, page, page, ("goal-type-0", "work"), ("goal-text-0", "Työ"), ("reviewOn", "2027-01-10"));
        using var other = await SignInAsync("coach@askel.local"); // demo-eura only
        using var read = await other.GetAsync(page);
        using var post = await PostAsync(other, "/coordinator", page, ("goal-type-0", "work"), ("goal-text-0", "Työ"), ("reviewOn", "2027-01-10"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, closed.StatusCode);
        Assert.Contains("Hän on lähtenyt projektista: suunnitelma on suljettu.", WebUtility.HtmlDecode(await closed.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Empty(await Plans.HistoryAsync("demo", participant.Id, CancellationToken.None));
    }

    [Fact]
    public async Task ASessionNote_IsOnTheTimelineAndInTheExport_IsChecked_AndIsErasedWithTheParticipant()
    {
        var participant = await EnrolAsync();
        using var client = await SignInAsync("coordinator@askel.local");
        var path = $"/coordinator/projects/demo/participants/{participant.Id}";

        using var refused = await PostAsync(client, path, path + "/sessions", ("lang", "en"), ("date", "2026-11-20"), ("minutes", "45"), ("kind", "individual"), ("note", "@SUM(1+1)"));
        using var logged = await PostAsync(client, path, path + "/sessions", ("date", "2026-11-20"), ("minutes", "45"), ("kind", "individual"), ("note", "Harjoiteltiin työhaastattelua.\r\nSeuraavaksi CV."));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("A note can hold at most 2,000 characters", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, logged.StatusCode);
        Assert.Contains("Harjoiteltiin työhaastattelua.", WebUtility.HtmlDecode(await client.GetStringAsync(path)), StringComparison.Ordinal);
        using var export = JsonDocument.Parse(await client.GetStringAsync(path + "/export.json"));
        Assert.Equal("Harjoiteltiin työhaastattelua.\r\nSeuraavaksi CV.", Assert.Single(export.RootElement.GetProperty("sessions").EnumerateArray()).GetProperty("note").GetString());

        await App.Services.GetRequiredService<Askel.App.Privacy.ParticipantRecords>().EraseAsync("demo", participant.Id, "admin@askel.local", "the participant asked", CancellationToken.None);
        var session = Assert.Single(await Service.SessionsAsync(participant, CancellationToken.None));
        Assert.Equal((45, ""), (session.Minutes, session.Note)); // the session is counted still; its note is gone
    }

    private Plans Plans => App.Services.GetRequiredService<Plans>();

    private ParticipantService Service => App.Services.GetRequiredService<ParticipantService>();

    private Project Demo => App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;

    private async Task<Participant> EnrolAsync()
    {
        var participant = await Service.EnrolAsync(Demo, new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", "040 123 4567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await App.Services.SettleAsync();
        return participant;
    }

    private async Task<long> CountAsync(string month, string key) =>
        (await App.Services.GetRequiredService<SummaryStore>().MonthsAsync("demo", CancellationToken.None)).GetValueOrDefault(month)?.GetValueOrDefault(key) ?? 0;

    private async Task<string> MonthsAsync() =>
        string.Join("\n", (await App.Services.GetRequiredService<SummaryStore>().MonthsAsync("demo", CancellationToken.None))
            .Select(m => m.Key + ": " + string.Join(", ", m.Value.Where(c => c.Key.StartsWith("plans/", StringComparison.Ordinal)).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"))));

    [GeneratedRegex("name=\"key\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex KeyField();

    [GeneratedRegex("name=\"reviewOn\" value=\"([0-9-]{10})\"")]
    private static partial Regex ReviewField();
}
