using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Askel.Browser.Tests;

/// <summary>
/// A manager reads the project's workflow in Chromium at 360 px, in English: from the monthly summary to the workflow's
/// page, whose diagram is an image named by the workflow with a box per step, none over another, and arrows between
/// them; the texts switch to Swedish; axe finds nothing and the page does not scroll sideways (the diagram does, in its box).
/// </summary>
public sealed class WorkflowPageInTheBrowserTests(ChromiumFixture chromium, ITestOutputHelper output) : BrowserTest(chromium, output)
{
    [Fact]
    public async Task AWorkflowsPage_ShowsItsDiagram()
    {
        await using var app = await AskelKestrelFactory.StartAsync(Output);
        await Context.SetExtraHTTPHeadersAsync([new("X-MS-CLIENT-PRINCIPAL", SummaryAccessibilityTests.Principal("manager@askel.local", "manager"))]);
        await Page.GotoAsync(app.Url("coordinator/projects/demo/summary?lang=en"));
        await Page.GetByRole(AriaRole.Link, new() { Name = "How the workflow runs" }).ClickAsync();

        var diagram = Page.GetByRole(AriaRole.Img, new() { Name = "Workflow: The participant's way through the project" });
        await Assertions.Expect(diagram).ToBeVisibleAsync();
        var boxes = await Page.Locator("svg.diagram g.step rect").AllAsync();
        Assert.Equal(13, boxes.Count);
        var areas = new List<LocatorBoundingBoxResult>();
        foreach (var box in boxes)
        {
            var area = await box.BoundingBoxAsync();
            Assert.True(area is { Width: > 40, Height: > 20 }, "every step's box is drawn");
            Assert.DoesNotContain(areas, other => Overlap(area!, other));
            areas.Add(area!);
        }

        Assert.Equal(17, await Page.Locator("svg.diagram path.way").CountAsync());
        Assert.Equal("Exit form", await Page.Locator("svg.diagram g[data-step='exit'] text.title").TextContentAsync());
        await AssertFineAsync();

        await Page.GetByRole(AriaRole.Link, new() { Name = "svenska (sv)" }).ClickAsync();
        Assert.Contains("Hej {{ firstName }}!", await Page.Locator("#message-exit-form-link + dl").InnerTextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(diagram).ToBeVisibleAsync();
        await AssertFineAsync();
    }

    private static bool Overlap(LocatorBoundingBoxResult a, LocatorBoundingBoxResult b) =>
        a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;

    private async Task AssertFineAsync()
    {
        await Axe.AssertNoAxeViolationsAsync(Page);
        await ParticipantPages.AssertReflowsAsync(Page, 360);
    }
}
