using System.Net;
using Askel.App.Audit;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Askel.App.Tests.Coordinator.CoordinatorBrowser;

namespace Askel.App.Tests.Coordinator;

/// <summary>
/// Individually guided or only advised: set on the timeline and audited while the participant takes part, counted apart
/// when they leave, and fixed from then on so their exit and its outcome stay in one group.
/// </summary>
public sealed class ServiceTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    [Fact]
    public async Task AdviceOnly_IsSetOnTheTimeline_CountedApartAtLeaving_AndFixedAfterwards()
    {
        var participant = await App.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", null, IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await App.Services.SettleAsync();
        using var client = await SignInAsync("coordinator@askel.local");
        var path = $"/coordinator/projects/demo/participants/{participant.Id}";

        using var set = await PostAsync(client, path, path + "/service", ("service", "advice-only"));
        using var tampered = await PostAsync(client, path, path + "/service", ("service", "vip"));

        Assert.Equal(HttpStatusCode.SeeOther, set.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tampered.StatusCode);
        Assert.Contains("id=\"service-advice-only\" name=\"service\" value=\"advice-only\" checked", await client.GetStringAsync(path), StringComparison.Ordinal);
        Assert.True((await Find(participant.Id)).AdviceOnly);

        using var left = await PostAsync(client, path, path + "/left", ("leftOn", "2026-11-23"));
        Assert.Equal(HttpStatusCode.SeeOther, left.StatusCode);
        await App.Services.SettleAsync();
        using var afterLeaving = await PostAsync(client, path, path + "/service", ("service", "individual"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, afterLeaving.StatusCode);
        Assert.Contains("Lähteneen osallistujan asiakkuutta ei voi muuttaa.", WebUtility.HtmlDecode(await afterLeaving.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.True((await Find(participant.Id)).AdviceOnly);
        Assert.Contains("Vain neuvonta Osallistuja on lähtenyt, joten tätä ei voi enää muuttaa.", WebUtility.HtmlDecode(await client.GetStringAsync(path)), StringComparison.Ordinal);
        var month = (await App.Services.GetRequiredService<SummaryStore>().MonthsAsync("demo", CancellationToken.None))["2026-11"];
        Assert.Equal((1, 1), (month[SummaryKeys.Exits], month[SummaryKeys.AdviceOnlyExits]));
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", participant.Id, 100, CancellationToken.None);
        Assert.Single(audit, a => a.Action == "set-service" && a.Detail == "advice-only");
    }

    private async Task<Participant> Find(string id) =>
        (await App.Services.GetRequiredService<ParticipantService>().FindAsync("demo", id, CancellationToken.None))!;
}
