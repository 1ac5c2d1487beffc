using System.Net;
using Askel.App.Audit;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Askel.App.Tests.Coordinator.CoordinatorBrowser;

namespace Askel.App.Tests.Coordinator;

/// <summary>
/// Handover: a coordinator who left the project leaves their caseload "without a coordinator" until it is handed over;
/// one participant or a whole caseload goes to another coordinator of the project, and the audit log keeps who did it.
/// </summary>
public sealed class HandoverTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    [Fact]
    public async Task ACaseloadOfACoordinatorWhoLeft_IsWithoutACoordinator_UntilHandedOver()
    {
        var service = App.Services.GetRequiredService<ParticipantService>();
        var demo = App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        foreach (var (first, phone) in new[] { ("Aino", "040 111 1111"), ("Bo", "040 222 2222") })
        {
            await service.EnrolAsync(demo, new Enrolment(first, "Lind", "fi", null, phone, IntakeInPerson: false), "former@askel.local", CancellationToken.None);
        }

        await App.Services.SettleAsync();
        using var client = await SignInAsync("coordinator@askel.local");
        var before = WebUtility.HtmlDecode(await client.GetStringAsync("/coordinator/projects/demo"));
        Assert.Contains("ilman koordinaattoria (oli former@askel.local)", before, StringComparison.Ordinal);
        Assert.Contains("Ilman koordinaattoria (2)", WebUtility.HtmlDecode(await client.GetStringAsync("/coordinator")), StringComparison.Ordinal);

        using var refused = await PostAsync(client, "/coordinator/projects/demo", "/coordinator/projects/demo/handover", ("from", "former@askel.local"), ("to", "former@askel.local"));
        using var handover = await PostAsync(client, "/coordinator/projects/demo", "/coordinator/projects/demo/handover", ("from", "former@askel.local"), ("to", "coordinator@askel.local"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, handover.StatusCode);
        var after = WebUtility.HtmlDecode(await client.GetStringAsync(handover.Headers.Location!.ToString()));
        Assert.Contains("2 osallistujaa siirretty.", after, StringComparison.Ordinal);
        Assert.DoesNotContain("ilman koordinaattoria", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Ilman koordinaattoria", WebUtility.HtmlDecode(await client.GetStringAsync("/coordinator")), StringComparison.Ordinal);
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", null, 100, CancellationToken.None);
        Assert.Equal(2, audit.Count(a => a.Action == "reassign" && a.Actor == "coordinator@askel.local" && a.Detail == "former@askel.local → coordinator@askel.local"));
    }

    [Fact]
    public async Task OneParticipant_GoesToAnotherCoordinatorOfTheProject_WithTheirOpenTask_AndNoOneElse()
    {
        var eura = App.Services.GetRequiredService<ProjectCatalog>().Find("demo-eura")!;
        var participant = await App.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            eura, new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", null, IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        Factory.Time.Advance(TimeSpan.FromDays(15)); // the EURA entry was never confirmed: its task opens, the coordinator's
        await App.Services.SettleAsync();
        using var client = await SignInAsync("coordinator@askel.local");
        var path = $"/coordinator/projects/demo-eura/participants/{participant.Id}";

        using var stranger = await PostAsync(client, path, path + "/coordinator", ("coordinator", "someone@elsewhere.fi"));
        using var handedOver = await PostAsync(client, path, path + "/coordinator", ("coordinator", "coach@askel.local"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, stranger.StatusCode);
        Assert.Contains("aria-describedby=\"reassign-to-error\"", await stranger.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, handedOver.StatusCode);
        Assert.Equal("coach@askel.local", (await App.Services.GetRequiredService<ParticipantService>().FindAsync("demo-eura", participant.Id, CancellationToken.None))!.Coordinator);
        var task = Assert.Single(await App.Services.GetRequiredService<OpenTasks>().OfInstanceAsync(participant.InstanceId, CancellationToken.None));
        Assert.Equal("coach@askel.local", task.Coordinator);
        Assert.Contains("Vastuussa: coach@askel.local.", WebUtility.HtmlDecode(await client.GetStringAsync(path)), StringComparison.Ordinal);
    }
}
