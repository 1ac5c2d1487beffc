using Askel.App.Guidance;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.Browser.Tests;

/// <summary>
/// An anonymous guidance contact logged on a 360 px phone in Chromium — a few taps, a refusal that says what is missing,
/// the saved note — and a smiley tapped on the service point's page in Arabic; no axe violation on any page.
/// </summary>
public sealed class GuidanceOnAPhoneTests(ChromiumFixture chromium, ITestOutputHelper output) : BrowserTest(chromium, output)
{
    [Fact]
    public async Task AContactTakesAFewTaps_AndEveryPageOnTheWayPassesAxe()
    {
        await using var app = await AskelKestrelFactory.StartAsync(Output);
        await Context.SetExtraHTTPHeadersAsync([new("X-MS-CLIENT-PRINCIPAL", SummaryAccessibilityTests.Principal("coordinator@askel.local", "coordinator"))]);
        await Page.GotoAsync(app.Url("coordinator/projects/demo?lang=en"));
        await Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Log a guidance contact" }).ClickAsync();
        await Axe.AssertNoAxeViolationsAsync(Page);
        await ParticipantPages.AssertReflowsAsync(Page, 360);

        // Saved with nothing chosen: what is missing, each linked to its question.
        await Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var refused = await Page.Locator("main").InnerTextAsync();
        Assert.Contains("Choose how the person came.", refused, StringComparison.Ordinal);
        Assert.Contains("Choose the language of the guidance.", refused, StringComparison.Ordinal);
        await Axe.AssertNoAxeViolationsAsync(Page);

        await Page.GetByLabel("Walk-in").CheckAsync();
        await Page.GetByLabel("Residence permit").CheckAsync();
        await Page.GetByLabel("українська (uk)").CheckAsync();
        await Page.GetByLabel("Woman").CheckAsync();
        await Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        Assert.Contains("Saved: Walk-in · Residence permit. You can log the next one.", await Page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.False(await Page.GetByLabel("Walk-in").IsCheckedAsync()); // ready for the next one
        await Axe.AssertNoAxeViolationsAsync(Page);
        await ParticipantPages.AssertReflowsAsync(Page, 360);

        var contacts = new List<GuidanceContact>();
        await foreach (var contact in app.Services.GetRequiredService<GuidanceTally>().OfProjectAsync("demo", CancellationToken.None))
        {
            contacts.Add(contact);
        }

        var saved = Assert.Single(contacts);
        Assert.Equal(("walk-in", "residence", "uk", null, "woman"), (saved.Channel, saved.Topic, saved.Language, saved.AgeGroup, saved.Gender));

        // The person guided scans the service point's code: no sign-in, their language, right to left in Arabic.
        var smileyPage = await Page.Locator("p.url a").GetAttributeAsync("href");
        await Context.SetExtraHTTPHeadersAsync([]);
        await Page.GotoAsync(app.Url(new Uri(smileyPage!).PathAndQuery.TrimStart('/') + "?lang=ar"));
        Assert.Equal("rtl", await Page.Locator("html").GetAttributeAsync("dir"));
        await Axe.AssertNoAxeViolationsAsync(Page);
        await ParticipantPages.AssertReflowsAsync(Page, 360);
        await Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "راضٍ جداً" }).ClickAsync();
        Assert.Contains("تم احتساب إجابتك.", await Page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await Axe.AssertNoAxeViolationsAsync(Page);
    }
}
