using System.Net;
using System.Text.RegularExpressions;
using Askel.App.Audit;
using Askel.App.Cooperation;
using Askel.App.Projects;
using Askel.App.Summaries;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Askel.App.Tests.Coordinator.CoordinatorBrowser;

namespace Askel.App.Tests.Cooperation;

/// <summary>
/// The employer register and the event log: saved once however often posted, edited in place with the summary's counts
/// moving with the edit (and equal to a rebuild), refused with the reason by field, and only in the coordinator's own projects.
/// </summary>
public sealed partial class CooperationPageTests(ITestOutputHelper output) : Coordinator.LocalSignInTest(output)
{
    private const string Employers = "/coordinator/projects/demo/employers", Events = "/coordinator/projects/demo/events";

    [Fact]
    public async Task AnEmployer_PostedTwice_IsRegisteredOnce_ThenAnEditMovesItsCounts_AsARebuildWouldCountThem()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var since = await DateAsync(client, Employers, "since");
        (string, string)[] employer =
        [
            ("editing", ""), ("businessId", "0112038-9"), ("name", "Lahden Leipomo Oy"), ("size", "small"), ("sector", "Bakery"), ("contactPerson", "Maija"),
            ("cooperation", "placement"), ("cooperation", "visit"), ("since", since),
        ];

        using var first = await PostAsync(client, Employers, Employers, employer);
        using var second = await PostAsync(client, Employers, Employers, employer);

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
        Assert.Contains("Tallennettu: Lahden Leipomo Oy.", await client.GetStringAsync(first.Headers.Location), StringComparison.Ordinal);
        var month = since[..7];
        Assert.Equal(
            new Dictionary<string, long> { [SummaryKeys.Employers] = 1, ["employers/size/small"] = 1, ["employers/cooperation/placement"] = 1, ["employers/cooperation/visit"] = 1 },
            await MonthAsync(month));

        var edit = await client.GetStringAsync(Employers + "?edit=0112038-9");
        Assert.Contains("Muokkaa: Lahden Leipomo Oy", edit, StringComparison.Ordinal);
        using var edited = await PostAsync(client, Employers, Employers, [.. employer.Where(f => f.Item1 is not ("editing" or "size" or "cooperation")), ("editing", "0112038-9"), ("size", "medium"), ("cooperation", "recruitment")]);

        Assert.Equal(HttpStatusCode.SeeOther, edited.StatusCode);
        var saved = Assert.Single(await Register.EmployersAsync("demo", CancellationToken.None));
        Assert.Equal(("medium", 2, "coordinator@askel.local"), (saved.Size, saved.Version, saved.RecordedBy));
        var counted = await MonthAsync(month);
        Assert.Equal(
            new Dictionary<string, long> { [SummaryKeys.Employers] = 1, ["employers/size/medium"] = 1, ["employers/cooperation/recruitment"] = 1 },
            counted);
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", null, 10, CancellationToken.None);
        Assert.Equal(["save-employer", "save-employer"], audit.Where(a => a.Action.StartsWith("save-", StringComparison.Ordinal)).Select(a => a.Action));

        await App.Services.GetRequiredService<SummaryService>().RebuildAsync(App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!, CancellationToken.None);
        Assert.Equal(counted, await MonthAsync(month));
    }

    [Fact]
    public async Task ANewEmployerWithARegisteredBusinessId_IsRefused_AndProblemsAreShownInTheCoordinatorsLanguage()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var since = await DateAsync(client, Employers, "since");
        (string, string)[] employer = [("lang", "en"), ("businessId", "0112038-9"), ("name", "Bakery"), ("size", "micro"), ("cooperation", "training"), ("since", since)];
        using var _ = await PostAsync(client, Employers, Employers, employer);

        using var again = await PostAsync(client, Employers, Employers, [.. employer.Where(f => f.Item1 != "name"), ("name", "Another bakery")]);
        using var wrong = await PostAsync(client, Employers, Employers, ("lang", "en"), ("businessId", "0112038-8"), ("name", "=cmd()"), ("size", "micro"), ("since", since));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Contains("An employer with this business ID is already registered. Edit it from the list.", WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        var page = WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync());
        Assert.Contains("the check digit does not match", page, StringComparison.Ordinal);
        Assert.Contains("not beginning with = + - @", page, StringComparison.Ordinal);
        Assert.Contains("Choose at least one kind of cooperation.", page, StringComparison.Ordinal);
        Assert.Contains("href=\"#cooperation\"", page, StringComparison.Ordinal);
        Assert.Equal("Bakery", Assert.Single(await Register.EmployersAsync("demo", CancellationToken.None)).Name);
    }

    [Fact]
    public async Task AnEvent_IsRecorded_ThenItsAttendanceIsCorrected_AndTheSummaryCountsTheCorrection()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var page = await client.GetStringAsync(Events);
        var key = KeyField().Match(page).Groups[1].Value;
        var date = DateField().Match(page).Groups[1].Value;
        (string, string)[] recorded = [("key", key), ("date", date), ("kind", "job-fair"), ("title", "Rekrymessut"), ("organiser", "Lahden kaupunki"), ("attendance", "30")];

        using var first = await PostAsync(client, Events, Events, recorded);
        using var corrected = await PostAsync(client, Events, Events, [.. recorded.SkipLast(1), ("attendance", "45")]);
        using var refused = await PostAsync(client, Events, Events, [.. recorded.SkipLast(1), ("attendance", "lots")]);

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, corrected.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Anna osallistujamäärä kokonaislukuna 0–100 000.", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var saved = Assert.Single(await Register.EventsAsync("demo", CancellationToken.None));
        Assert.Equal((45, 2), (saved.Attendance, saved.Version));
        Assert.Equal(
            new Dictionary<string, long> { [SummaryKeys.Events] = 1, [SummaryKeys.EventKind("job-fair")] = 1, [SummaryKeys.EventAttendance] = 45 },
            await MonthAsync(date[..7]));
    }

    [Fact]
    public async Task AnEventsFeedbackLink_TakesSmileysWithoutSignIn_CountedAsEventFeedback_AndATamperedLinkIsNotFound()
    {
        var project = App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        var key = Guid.NewGuid().ToString("N");
        await Register.SaveAsync(project, new EventEntry(key, "2026-11-20", "info-session", "Työelämäinfo", "Askel", "18"), "coordinator@askel.local", CancellationToken.None);
        using var client = await SignInAsync("coordinator@askel.local");
        var link = FeedbackLink().Match(await client.GetStringAsync($"{Events}?edit={key}"));
        Assert.True(link.Success, "the event's form shows its feedback link");
        var path = "/s/" + link.Groups[1].Value;
        Assert.EndsWith("-" + key, path, StringComparison.Ordinal);

        using var anyone = App.CreateClient(new() { HandleCookies = true, AllowAutoRedirect = false });
        var page = WebUtility.HtmlDecode(await anyone.GetStringAsync(path + "?lang=fa"));
        Assert.Contains("<html lang=\"fa\" dir=\"rtl\">", page, StringComparison.Ordinal);
        Assert.Contains("رویداد چطور بود؟", page, StringComparison.Ordinal);
        Assert.Contains("Työelämäinfo", page, StringComparison.Ordinal);
        using var another = App.CreateClient(new() { HandleCookies = true, AllowAutoRedirect = false });
        foreach (var (device, score) in new[] { (anyone, "4"), (another, "2"), (anyone, "5") }) // the last repeats within ten minutes: counted once
        {
            using var tap = await device.PostAsync(path, new FormUrlEncodedContent([KeyValuePair.Create("score", score), KeyValuePair.Create("lang", "fi")]));
            Assert.Equal(HttpStatusCode.OK, tap.StatusCode);
        }

        using var tampered = await anyone.GetAsync(path[..^32] + Guid.NewGuid().ToString("N"));
        using var noEvent = await anyone.PostAsync(path[..^33] + "-x", new FormUrlEncodedContent([KeyValuePair.Create("score", "5")]));
        Assert.Equal(HttpStatusCode.NotFound, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noEvent.StatusCode);

        var november = await App.Services.GetRequiredService<SummaryService>().BuildAsync(project, "2026-11", CancellationToken.None);
        Assert.Equal(new SatisfactionLine(3.0, 2, 3.0, 2), november.EventFeedback);
        Assert.Equal(new SatisfactionLine(null, 0, null, 0), november.GuidanceSatisfaction);
    }

    [Fact]
    public async Task AProjectTheCoordinatorDoesNotCoordinate_IsNotFound_ForThePagesAndThePosts()
    {
        using var client = await SignInAsync("coach@askel.local"); // demo-eura only

        using var employers = await client.GetAsync(Employers);
        using var events = await client.GetAsync(Events);
        using var post = await PostAsync(client, "/coordinator/projects/demo-eura/employers", Employers, ("businessId", "0112038-9"), ("name", "X"), ("size", "micro"), ("cooperation", "visit"), ("since", "2026-12-01"));

        Assert.Equal(HttpStatusCode.NotFound, employers.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, events.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Empty(await Register.EmployersAsync("demo", CancellationToken.None));
    }

    [Fact]
    public async Task AParticipant_PlacedAtAnEmployerAndNamedAtAnEvent_IsShownCountedExportedAndErased()
    {
        var project = App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        await Register.SaveAsync(project, new EmployerEntry("", "0112038-9", "Lahden Leipomo Oy", "small", "", "", ["placement"], "2026-11-01"), "coordinator@askel.local", CancellationToken.None);
        var eventKey = Guid.NewGuid().ToString("N");
        await Register.SaveAsync(project, new EventEntry(eventKey, "2026-11-20", "job-fair", "Rekrymessut", "Lahti", "40"), "coordinator@askel.local", CancellationToken.None);
        var participant = await App.Services.GetRequiredService<Askel.App.Participants.ParticipantService>().EnrolAsync(
            project, new Askel.App.Participants.Enrolment("Aino", "Virtanen", "fi", "aino@example.org", null, IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        using var client = await SignInAsync("coordinator@askel.local");
        var path = $"/coordinator/projects/demo/participants/{participant.Id}";

        using var placed = await PostAsync(client, path, path + "/cooperation", ("kind", "placement"), ("subject", "0112038-9"), ("since", "2026-11-22"));
        using var again = await PostAsync(client, path, path + "/cooperation", ("kind", "placement"), ("subject", "0112038-9"), ("since", "2026-11-22"));
        using var attended = await PostAsync(client, path, path + "/cooperation", ("kind", "attendance"), ("subject", eventKey));
        using var unknown = await PostAsync(client, path, path + "/cooperation", ("lang", "en"), ("kind", "placement"), ("subject", "2345678-0"), ("since", "2026-11-22"));
        using var future = await PostAsync(client, path, path + "/cooperation", ("kind", "placement"), ("subject", "0112038-9"), ("since", "2026-11-24"));

        Assert.Equal([HttpStatusCode.SeeOther, HttpStatusCode.SeeOther, HttpStatusCode.SeeOther], new[] { placed.StatusCode, again.StatusCode, attended.StatusCode });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Contains("Choose an employer from the register", WebUtility.HtmlDecode(await unknown.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, future.StatusCode);
        var timeline = WebUtility.HtmlDecode(await client.GetStringAsync(path));
        Assert.Contains("Sijoitettu: Lahden Leipomo Oy alkaen 2026-11-22", timeline, StringComparison.Ordinal);
        Assert.Contains("Osallistui: Rekrymessut", timeline, StringComparison.Ordinal);
        Assert.Contains("<td></td><td>1</td>", await client.GetStringAsync(Employers), StringComparison.Ordinal); // no contact person; one placed
        Assert.Contains("<td>40</td><td>1</td>", await client.GetStringAsync(Events), StringComparison.Ordinal);
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", participant.Id, 100, CancellationToken.None);
        Assert.Equal(["record-attendance", "record-placement"], audit.Where(a => a.Action.StartsWith("record-", StringComparison.Ordinal)).Select(a => a.Action).Order());
        using var export = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(path + "/export.json"));
        Assert.Equal(2, export.RootElement.GetProperty("cooperation").GetArrayLength());

        Assert.Equal((1L, 1L), ((await MonthAsync("2026-11"))[SummaryKeys.Placements], (await MonthAsync("2026-11"))[SummaryKeys.NamedAttendees]));

        using var removed = await PostAsync(client, path, path + "/cooperation/remove", ("kind", "attendance"), ("subject", eventKey));
        using var removedAgain = await PostAsync(client, path, path + "/cooperation/remove", ("kind", "attendance"), ("subject", eventKey));
        Assert.Equal(HttpStatusCode.SeeOther, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, removedAgain.StatusCode);
        Assert.Contains("<td>40</td><td>0</td>", await client.GetStringAsync(Events), StringComparison.Ordinal);
        var counted = await MonthAsync("2026-11");
        Assert.False(counted.ContainsKey(SummaryKeys.NamedAttendees)); // taken back
        await App.Services.GetRequiredService<SummaryService>().RebuildAsync(project, CancellationToken.None);
        Assert.Equal(counted, await MonthAsync("2026-11"));

        await App.Services.GetRequiredService<Askel.App.Privacy.ParticipantRecords>().EraseAsync("demo", participant.Id, "admin@askel.local", "asked", CancellationToken.None);
        Assert.Empty(await App.Services.GetRequiredService<Participations>().OfParticipantAsync("demo", participant.Id, CancellationToken.None));
        await App.Services.GetRequiredService<SummaryService>().RebuildAsync(project, CancellationToken.None);
        Assert.Equal(counted, await MonthAsync("2026-11")); // the erased row still counts the placement
    }

    private CooperationRegister Register => App.Services.GetRequiredService<CooperationRegister>();

    private async Task<Dictionary<string, long>> MonthAsync(string month) =>
        (await App.Services.GetRequiredService<SummaryStore>().MonthsAsync("demo", CancellationToken.None))[month].ToDictionary(c => c.Key, c => c.Value);

    private static async Task<string> DateAsync(HttpClient client, string path, string field) =>
        Regex.Match(await client.GetStringAsync(path), $"name=\"{field}\" value=\"([0-9-]{{10}})\"").Groups[1].Value;

    [GeneratedRegex("href=\"https?://[^/\"]+/s/([0-9a-f]{12}-[0-9a-f]{32})\"")]
    private static partial Regex FeedbackLink();

    [GeneratedRegex("name=\"key\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex KeyField();

    [GeneratedRegex("name=\"date\" value=\"([0-9-]{10})\"")]
    private static partial Regex DateField();
}
