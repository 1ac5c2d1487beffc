using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Askel.Browser.Tests;

/// <summary>
/// A manager runs a simulation in Chromium at 360 px, in English: from the workflow's page to the simulation form, fills
/// it in, runs it, and sees the messages per week per channel and the coordinator tasks per week as charts named as
/// images, with bars drawn; then asks for too many participants and is told so at the field. axe finds nothing, and the
/// page does not scroll sideways.
/// </summary>
public sealed class SimulationInTheBrowserTests(ChromiumFixture chromium, ITestOutputHelper output) : BrowserTest(chromium, output)
{
    [Fact]
    public async Task ASimulationRunFromThePage_ShowsItsChart()
    {
        await using var app = await AskelKestrelFactory.StartAsync(Output);
        await Context.SetExtraHTTPHeadersAsync([new("X-MS-CLIENT-PRINCIPAL", SummaryAccessibilityTests.Principal("manager@askel.local", "manager"))]);
        await Page.GotoAsync(app.Url("coordinator/workflows/participant-lifecycle?lang=en"));
        await Page.GetByRole(AriaRole.Link, new() { Name = "Simulate the workflow" }).ClickAsync();
        await AssertFineAsync();

        await Page.GetByLabel("Participants").FillAsync("300");
        await Page.GetByLabel("Enrolments spread over weeks").FillAsync("12");
        await Page.GetByLabel("SMS answered (%)").FillAsync("40");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Simulate" }).ClickAsync();

        var sends = Page.GetByRole(AriaRole.Img, new() { Name = "Messages per week per channel" });
        await Assertions.Expect(sends).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Img, new() { Name = "Coordinator tasks per week" })).ToBeVisibleAsync();
        Assert.True(await Page.Locator("svg.weekly").First.Locator("rect").CountAsync() > 40, "a bar for most weeks");
        var chart = await sends.BoundingBoxAsync();
        Assert.True(chart is { Width: > 300, Height: > 100 }, "the chart fills the phone's width");
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("300 participants: ");
        await Assertions.Expect(Page.GetByLabel("Participants")).ToHaveValueAsync("300");
        await AssertFineAsync();

        await Page.GetByLabel("Participants").FillAsync("50000");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Simulate" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#participants-error")).ToHaveTextAsync("Give a whole number from 1 to 5000.");
        await Assertions.Expect(Page.GetByLabel("Participants")).ToHaveAttributeAsync("aria-invalid", "true");
        await AssertFineAsync();
    }

    private async Task AssertFineAsync()
    {
        await Axe.AssertNoAxeViolationsAsync(Page);
        await ParticipantPages.AssertReflowsAsync(Page, 360);
    }
}
