using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.Browser.Tests;

/// <summary>
/// The coordinator's other pages at 360×740 in Chromium, signed in as an admin (who sees every link): axe-core finds no
/// WCAG 2.2 AA violation and nothing scrolls sideways, in Finnish, Swedish and English. The landing page's work queue has an item.
/// </summary>
public sealed class CoordinatorAccessibilityTests(ChromiumFixture chromium, ITestOutputHelper output) : BrowserTest(chromium, output)
{
    private const int CoordinatorReflowWidth = 360;

    [Fact]
    public async Task EveryCoordinatorPage_HasNoAxeViolations_AndFits360CssPixels()
    {
        await using var app = await AskelKestrelFactory.StartAsync(Output);
        var participant = await app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen-Korhonen", "fi", "aino.virtanen-korhonen@example.org", "040 123 4567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        // A consent on the timeline, listed with its withdrawal form.
        await app.Services.GetRequiredService<Consents>().RecordAsync(
            participant, new ConsentEntry(Guid.NewGuid().ToString("N"), "share-other", "Lahden seurakunta", "consent", participant.JoinedOn().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "paper", "Suostumus v2"),
            "coordinator@askel.local", CancellationToken.None);
        // A plan, reviewed once: the plan page lists its goals, steps and versions.
        var plans = app.Services.GetRequiredService<Plans>();
        var project = app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        var plan = new PlanEntry("", [new PlanGoalEntry("work", "Työpaikka logistiikasta")], [new PlanStepEntry("Trukkikortti", "participant", "2027-01-15", true)], "2027-01-31");
        await plans.SaveAsync(project, participant, plan with { Key = "first" }, "coordinator@askel.local", CancellationToken.None);
        await plans.SaveAsync(project, participant, plan with { Key = "second", ReviewOn = "2027-02-20" }, "coordinator@askel.local", CancellationToken.None);
        // An employer they were placed at and an event: the timeline lists both and offers the register's.
        var register = app.Services.GetRequiredService<Askel.App.Cooperation.CooperationRegister>();
        await register.SaveAsync(project, new Askel.App.Cooperation.EmployerEntry("", "0112038-9", "Lahden Leipomo Oy", "small", "", "", ["placement"], "2026-11-01"), "coordinator@askel.local", CancellationToken.None);
        await register.SaveAsync(project, new Askel.App.Cooperation.EventEntry(Guid.NewGuid().ToString("N"), "2026-11-20", "job-fair", "Rekrymessut", "Lahti", "40"), "coordinator@askel.local", CancellationToken.None);
        await app.Services.GetRequiredService<Askel.App.Cooperation.Participations>().RecordAsync(
            participant, Askel.App.Cooperation.Participations.Placement, "0112038-9", new DateOnly(2026, 11, 22), "coordinator@askel.local", CancellationToken.None);
        // Enrolled by someone no longer coordinating the project, with a bounced number: in the admin's work queue.
        var orphan = await app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Bo", "Lind", "sv", null, "040 765 4321", IntakeInPerson: false), "former@askel.local", CancellationToken.None);
        await app.Services.GetRequiredService<ContactChannels>().MarkAsync(orphan, "sms", ContactChannels.Invalid, "test: wrong number", CancellationToken.None);
        await app.Services.SettleAsync(); // the workflow awaits the entry form: the timeline offers its link
        await Context.SetExtraHTTPHeadersAsync([new("X-MS-CLIENT-PRINCIPAL", SummaryAccessibilityTests.Principal("admin@askel.local", "admin"))]);
        var timeline = $"coordinator/projects/demo/participants/{participant.Id}";

        foreach (var language in new[] { "fi", "sv", "en" })
        {
            foreach (var (path, status) in new[]
            {
                ("coordinator", 200), ("coordinator/projects/demo", 200), ("coordinator/projects/demo/participants/new", 200), ("coordinator/projects/demo/import", 200),
                ("coordinator/projects/demo/guidance", 200), ("coordinator/projects/demo/employers", 200), ("coordinator/projects/demo/events", 200),
                (timeline, 200), (timeline + "/plan", 200), (timeline + "/export", 200), (timeline + "/link", 200),
                ("coordinator/admin/projects", 200), ("coordinator/admin/projects/demo", 200), ("coordinator/admin/new-project", 200),
                ("coordinator/workflows/participant-lifecycle", 200), ("coordinator/workflows/participant-lifecycle-eura?in=ar", 200),
                ("coordinator/audit?project=demo", 200), ("coordinator/audit?from=23.11.2026", 400), ("coordinator/projects/nowhere", 404),
            })
            {
                var response = await Page.GotoAsync(app.Url($"{path}{(path.Contains('?', StringComparison.Ordinal) ? "&" : "?")}lang={language}"));
                Assert.True(response!.Status == status, $"{path} ({language}): {response.Status}");
                if (path == "coordinator")
                {
                    Assert.Contains("Bo Lind", await Page.ContentAsync(), StringComparison.Ordinal);
                }

                await Axe.AssertNoAxeViolationsAsync(Page);
                await ParticipantPages.AssertReflowsAsync(Page, CoordinatorReflowWidth);
            }
        }
    }
}
