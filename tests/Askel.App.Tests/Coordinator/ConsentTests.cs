using System.Net;
using Askel.App.Audit;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Client;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Askel.App.Tests.Coordinator.CoordinatorBrowser;

namespace Askel.App.Tests.Coordinator;

/// <summary>
/// A participant's consents on the timeline: recorded once however often posted, with what they cover, their basis, day
/// and form; refused with the reason in the coordinator's language; told to the workflow; withdrawn on a day, which
/// stops what they cover; every step audited.
/// </summary>
public sealed class ConsentTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    [Fact]
    public void EveryConsentRule_NamesItsField()
    {
        var good = new ConsentEntry("k", "share-other", "Lahden seurakunta", "consent", "2026-11-20", "paper", "Suostumus v2");

        Assert.Empty(good.Check(new DateOnly(2026, 11, 1), Today));
        Assert.Equal([("consent-partner", "consent-partner-invalid")], (good with { Partner = "" }).Check(new DateOnly(2026, 11, 1), Today));
        Assert.Equal([("consent-partner", "consent-partner-invalid")], (good with { Scope = "share-kela" }).Check(new DateOnly(2026, 11, 1), Today)); // a partner only for share-other
        Assert.Equal(
            [("consent-scope", "consent-scope-invalid"), ("consent-basis", "consent-basis-invalid"), ("consent-given", "consent-given-invalid"), ("consent-medium", "consent-medium-invalid"), ("consent-form", "consent-form-invalid")],
            new ConsentEntry("k", "everything", "", "because", "2026-11-24", "fax", "=HYPERLINK(1)").Check(new DateOnly(2026, 11, 1), Today));
        Assert.Equal([("consent-given", "consent-given-invalid")], (good with { GivenOn = "2026-09-30" }).Check(new DateOnly(2026, 11, 1), Today)); // over 30 days before joining
    }

    [Fact]
    public async Task AConsent_IsRecordedOnce_ToldToTheWorkflow_ThenWithdrawnOnADay_WhichStopsTheChase()
    {
        var participant = await App.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", "040 123 4567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await App.Services.SettleAsync();
        using var client = await SignInAsync("coordinator@askel.local");
        var path = $"/coordinator/projects/demo/participants/{participant.Id}";
        var key = Guid.NewGuid().ToString("N"); // the form's key, as the timeline gives it
        (string, string)[] consent = [("key", key), ("consent-scope", "project-data"), ("consent-basis", "consent"), ("givenOn", "2026-11-23"), ("consent-medium", "paper"), ("formVersion", "Suostumuslomake v2")];

        using var refused = await PostAsync(client, path, path + "/consents", [.. consent.Where(f => f.Item1 != "consent-basis"), ("lang", "en")]);
        using var first = await PostAsync(client, path, path + "/consents", consent);
        using var again = await PostAsync(client, path, path + "/consents", consent);
        await App.Services.SettleAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Choose the legal basis.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        var recorded = Assert.Single(await Consents.OfAsync(participant.Id, CancellationToken.None));
        Assert.Equal(("project-data", "consent", new DateOnly(2026, 11, 23), "paper", "Suostumuslomake v2", "coordinator@askel.local"),
            (recorded.Scope, recorded.Basis, recorded.GivenOn, recorded.Medium, recorded.FormVersion, recorded.RecordedBy));
        var history = await App.Services.GetRequiredService<IWorkflowClient>().HistoryAsync(participant.InstanceId, CancellationToken.None);
        Assert.Contains(history, h => h.Detail.Contains("consent received and kept", StringComparison.Ordinal));
        var timeline = WebUtility.HtmlDecode(await client.GetStringAsync(path));
        Assert.Contains("Projektin tietojen käsittely", timeline, StringComparison.Ordinal);

        using var early = await PostAsync(client, path, $"{path}/consents/{recorded.Id}/withdraw", ("withdrawnOn", "2026-11-22"));
        using var withdrawn = await PostAsync(client, path, $"{path}/consents/{recorded.Id}/withdraw", ("withdrawnOn", "2026-11-23"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode); // before it was given
        Assert.Equal(HttpStatusCode.SeeOther, withdrawn.StatusCode);
        var after = Assert.Single(await Consents.OfAsync(participant.Id, CancellationToken.None));
        Assert.Equal((new DateOnly(2026, 11, 23), "coordinator@askel.local"), (after.WithdrawnOn, after.WithdrawnBy));
        Assert.False(after.HoldsOn(new DateOnly(2026, 11, 23)));
        var row = await App.Services.GetRequiredService<ParticipantService>().FindAsync("demo", participant.Id, CancellationToken.None);
        Assert.Equal((ContactChannels.OptedOut, ContactChannels.OptedOut), (row!.EmailState, row.SmsState)); // no more chasing
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", participant.Id, 100, CancellationToken.None);
        Assert.Single(audit, a => a.Action == "record-consent");
        Assert.Single(audit, a => a.Action == "withdraw-consent" && a.Detail == "project-data on 2026-11-23");

        // Counted in November, given and withdrawn, as a rebuild counts them.
        var store = App.Services.GetRequiredService<Askel.App.Summaries.SummaryStore>();
        var counted = (await store.MonthsAsync("demo", CancellationToken.None))["2026-11"].Where(c => c.Key.StartsWith("consents/", StringComparison.Ordinal)).ToDictionary();
        Assert.Equal(new Dictionary<string, long> { ["consents/given/project-data"] = 1, ["consents/withdrawn/project-data"] = 1 }, counted);
        await App.Services.GetRequiredService<Askel.App.Summaries.SummaryService>().RebuildAsync(App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!, CancellationToken.None);
        Assert.Equal(counted, (await store.MonthsAsync("demo", CancellationToken.None))["2026-11"].Where(c => c.Key.StartsWith("consents/", StringComparison.Ordinal)).ToDictionary());
    }

    private Consents Consents => App.Services.GetRequiredService<Consents>();
}
