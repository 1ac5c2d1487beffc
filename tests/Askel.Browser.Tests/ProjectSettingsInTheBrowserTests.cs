using Askel.App.Projects;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Askel.Browser.Tests;

/// <summary>
/// An admin adds a coordinator to a project in Chromium at 360 px, in English: from the landing page to the project's
/// settings, a target typed wrong is refused at its field, the save then takes effect, and the new coordinator signs in
/// at once and opens the project; axe finds nothing on any page on the way.
/// </summary>
public sealed class ProjectSettingsInTheBrowserTests(ChromiumFixture chromium, ITestOutputHelper output) : BrowserTest(chromium, output)
{
    [Fact]
    public async Task AnAdminAddsACoordinator_WhoSignsInAtOnce()
    {
        await using var app = await AskelKestrelFactory.StartAsync(Output);
        await Context.SetExtraHTTPHeadersAsync([new("X-MS-CLIENT-PRINCIPAL", SummaryAccessibilityTests.Principal("admin@askel.local", "admin"))]);
        await Page.GotoAsync(app.Url("coordinator?lang=en"));
        await Page.GetByRole(AriaRole.Link, new() { Name = "Projects' settings" }).ClickAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Askel demo project" }).ClickAsync();
        await AssertFineAsync();

        await Page.GetByLabel("Coordinators").FillAsync("coordinator@askel.local\nuusi@askel.local");
        await Page.GetByLabel("Participants", new() { Exact = true }).FillAsync("lots");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save the settings" }).ClickAsync();
        Assert.Contains("targets.participants 'lots' is not a positive whole number", await Page.Locator("#targets\\.participants-error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("coordinator@askel.local\nuusi@askel.local", await Page.GetByLabel("Coordinators").InputValueAsync()); // what was typed stays
        await AssertFineAsync();

        await Page.GetByLabel("Participants", new() { Exact = true }).FillAsync("250");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save the settings" }).ClickAsync();
        Assert.Contains("The settings were saved and are in effect.", await Page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await AssertFineAsync();
        Assert.Contains("uusi@askel.local", app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!.Coordinators);

        await Context.SetExtraHTTPHeadersAsync([new("X-MS-CLIENT-PRINCIPAL", SummaryAccessibilityTests.Principal("uusi@askel.local", "coordinator"))]);
        var project = await Page.GotoAsync(app.Url("coordinator/projects/demo?lang=en"));
        Assert.Equal(200, project!.Status);
        Assert.Contains("Askel demo project", await Page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        await AssertFineAsync();
    }

    private async Task AssertFineAsync()
    {
        await Axe.AssertNoAxeViolationsAsync(Page);
        await ParticipantPages.AssertReflowsAsync(Page, 360);
    }
}
