using System.Text;
using System.Text.Json;
using Askel.App.Participants;
using Askel.App.Projects;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.Browser.Tests;

/// <summary>
/// The monthly summary page at 360×740 in Chromium: axe-core finds no WCAG 2.2 AA violation and nothing scrolls sideways in either language,
/// for a coordinator (the overdue list with names) and a manager, nor on the page for a month that cannot be shown.
/// </summary>
public sealed class SummaryAccessibilityTests(ChromiumFixture chromium, ITestOutputHelper output) : BrowserTest(chromium, output)
{
    // Coordinators use their phones too: their pages must fit 360 CSS px without sideways scrolling.
    private const int CoordinatorReflowWidth = 360;

    [Fact]
    public async Task SummaryPage_HasNoAxeViolations_ForCoordinatorAndManager_InFinnishAndEnglish()
    {
        await using var app = await AskelKestrelFactory.StartAsync(Output);
        var project = app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        await app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            project, new Enrolment("Aino", "Virtanen", "fi", null, "040 123 4567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        app.Time.Advance(TimeSpan.FromDays(15)); // the entry form is overdue: the list has a row

        foreach (var (user, roles) in new[] { ("coordinator@askel.local", "coordinator"), ("manager@askel.local", "manager") })
        {
            await Context.SetExtraHTTPHeadersAsync([new("X-MS-CLIENT-PRINCIPAL", Principal(user, roles))]);
            foreach (var language in new[] { "fi", "en" })
            {
                var response = await Page.GotoAsync(app.Url($"coordinator/projects/demo/summary?month=2026-11&lang={language}"));
                Assert.Equal(200, response!.Status);
                Assert.Equal(language, await Page.Locator("html").GetAttributeAsync("lang"));
                Assert.True(await Page.Locator("#table-overdue ~ .scroll tbody tr").CountAsync() == 1, $"{user}: one overdue row");
                await Axe.AssertNoAxeViolationsAsync(Page);
                await ParticipantPages.AssertReflowsAsync(Page, CoordinatorReflowWidth); // wide tables scroll in their own box, the page does not
            }
        }

        var bad = await Page.GotoAsync(app.Url("coordinator/projects/demo/summary?month=2026-13&lang=en"));
        Assert.Equal(400, bad!.Status);
        await Axe.AssertNoAxeViolationsAsync(Page);
        await ParticipantPages.AssertReflowsAsync(Page, CoordinatorReflowWidth);
    }

    internal static string Principal(string name, string role) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            auth_typ = "aad",
            claims = new[] { new { typ = "name", val = name }, new { typ = "roles", val = role } },
            name_typ = "name",
            role_typ = "roles",
        })));
}
