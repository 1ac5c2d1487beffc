using Askel.App.Cooperation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Askel.Browser.Tests;

/// <summary>
/// An employer registered and an event recorded and corrected on a 360 px phone in Chromium, in Swedish: the refusal
/// says what is wrong, the register lists what was saved, and axe finds nothing on any page on the way.
/// </summary>
public sealed class CooperationOnAPhoneTests(ChromiumFixture chromium, ITestOutputHelper output) : BrowserTest(chromium, output)
{
    [Fact]
    public async Task AnEmployerAndAnEvent_AreSavedAndCorrected_AndEveryPageOnTheWayPassesAxe()
    {
        await using var app = await AskelKestrelFactory.StartAsync(Output);
        await Context.SetExtraHTTPHeadersAsync([new("X-MS-CLIENT-PRINCIPAL", SummaryAccessibilityTests.Principal("coordinator@askel.local", "coordinator"))]);
        await Page.GotoAsync(app.Url("coordinator/projects/demo?lang=sv"));
        await Page.GetByRole(AriaRole.Link, new() { Name = "Arbetsgivare", Exact = true }).ClickAsync();
        await AssertFineAsync();

        // A mistyped business id and no kind of cooperation: both named, each linked to its field.
        await Page.GetByLabel("FO-nummer (t.ex. 0112038-9)").FillAsync("0112038-8");
        await Page.GetByLabel("Namn", new() { Exact = true }).FillAsync("Lahden Leipomo Oy");
        await Page.GetByLabel("Litet företag (10–49 anställda)").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        var refused = await Page.Locator("main").InnerTextAsync();
        Assert.Contains("kontrollsiffran stämmer inte", refused, StringComparison.Ordinal);
        Assert.Contains("Välj minst en typ av samarbete.", refused, StringComparison.Ordinal);
        await AssertFineAsync();

        await Page.GetByLabel("FO-nummer (t.ex. 0112038-9)").FillAsync("0112038-9");
        await Page.GetByLabel("Arbetsprövning eller praktik").CheckAsync();
        await Page.GetByLabel("Företagsbesök").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        Assert.Contains("Sparat: Lahden Leipomo Oy.", await Page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Arbetsprövning eller praktik, Företagsbesök", await Page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await AssertFineAsync();

        // An event, then its attendance corrected from the list.
        await Page.GotoAsync(app.Url("coordinator/projects/demo/events?lang=sv"));
        await Page.GetByLabel("Evenemangets namn").FillAsync("Rekryteringsdag");
        await Page.GetByLabel("Jobbmässa").CheckAsync();
        await Page.GetByLabel("Arrangör").FillAsync("Lahtis stad");
        await Page.GetByLabel("Deltagare", new() { Exact = true }).FillAsync("30");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        await AssertFineAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Redigera" }).ClickAsync();
        Assert.Contains("Redigera: Rekryteringsdag", await Page.Locator("h2#form").InnerTextAsync(), StringComparison.Ordinal);
        await Page.GetByLabel("Deltagare", new() { Exact = true }).FillAsync("45");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Spara" }).ClickAsync();
        Assert.Contains("Sparat: Rekryteringsdag.", await Page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await AssertFineAsync();

        var register = app.Services.GetRequiredService<CooperationRegister>();
        Assert.Equal(["placement", "visit"], Assert.Single(await register.EmployersAsync("demo", CancellationToken.None)).Cooperation);
        Assert.Equal((45, 2), Assert.Single(await register.EventsAsync("demo", CancellationToken.None)) is var saved ? (saved.Attendance, saved.Version) : default);
    }

    private async Task AssertFineAsync()
    {
        await Axe.AssertNoAxeViolationsAsync(Page);
        await ParticipantPages.AssertReflowsAsync(Page, 360);
    }
}
