using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Askel.Browser.Tests;

/// <summary>
/// A participant's plan made on a 360 px phone in Chromium, in English, from the timeline: a goal typed as a formula is
/// refused with its reason, the plan is then saved, and axe finds nothing on any page on the way.
/// </summary>
public sealed class PlanOnAPhoneTests(ChromiumFixture chromium, ITestOutputHelper output) : BrowserTest(chromium, output)
{
    [Fact]
    public async Task APlan_IsRefusedThenSaved_FromTheTimeline_AndEveryPageOnTheWayPassesAxe()
    {
        await using var app = await AskelKestrelFactory.StartAsync(Output);
        var participant = await app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", null, IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await app.Services.SettleAsync();
        await Context.SetExtraHTTPHeadersAsync([new("X-MS-CLIENT-PRINCIPAL", SummaryAccessibilityTests.Principal("coordinator@askel.local", "coordinator"))]);
        await Page.GotoAsync(app.Url($"coordinator/projects/demo/participants/{participant.Id}?lang=en"));
        Assert.Contains("No plan has been made yet.", await Page.Locator("#plan").InnerTextAsync(), StringComparison.Ordinal);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Open the plan" }).ClickAsync();
        await AssertFineAsync();

        var goal = Page.GetByRole(AriaRole.Group, new() { Name = "Goal 1" });
        await goal.GetByLabel("Kind of goal").SelectOptionAsync("work");
        await goal.GetByLabel("Goal", new() { Exact = true }).FillAsync("=HYPERLINK(\"http://x\")");
        var step = Page.GetByRole(AriaRole.Group, new() { Name = "Step 1" });
        await step.GetByLabel("Step", new() { Exact = true }).FillAsync("Forklift licence");
        await step.GetByLabel("Who does it").SelectOptionAsync("participant");
        await step.GetByLabel("By when").FillAsync("2027-01-15");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save the plan" }).ClickAsync();
        Assert.Contains("not starting with = + - @", await Page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await AssertFineAsync();

        await goal.GetByLabel("Goal", new() { Exact = true }).FillAsync("A job in logistics");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save the plan" }).ClickAsync();
        var saved = await Page.Locator("main").InnerTextAsync();
        Assert.Contains("The plan is saved.", saved, StringComparison.Ordinal);
        Assert.Contains("Up to date: to be reviewed by 2027-02-23.", saved, StringComparison.Ordinal);
        Assert.Contains("Forklift licence", await Page.Locator("table").First.InnerTextAsync(), StringComparison.Ordinal);
        await AssertFineAsync();

        var plan = Assert.Single(await app.Services.GetRequiredService<Plans>().HistoryAsync("demo", participant.Id, CancellationToken.None));
        Assert.Equal([new PlanGoal("work", "A job in logistics")], plan.Goals);
    }

    private async Task AssertFineAsync()
    {
        await Axe.AssertNoAxeViolationsAsync(Page);
        await ParticipantPages.AssertReflowsAsync(Page, 360);
    }
}
