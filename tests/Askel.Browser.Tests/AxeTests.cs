using Xunit.Abstractions;
using Xunit.Sdk;

namespace Askel.Browser.Tests;

/// <summary>The accessibility helper itself: it must fail on a known violation, or it proves nothing.</summary>
public sealed class AxeTests(ChromiumFixture chromium, ITestOutputHelper output) : BrowserTest(chromium, output)
{
    // A 1×1 transparent GIF, so no image is fetched from anywhere.
    private const string Pixel = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

    [Fact]
    public async Task AssertNoAxeViolations_ImageWithoutAlt_FailsNamingRuleImpactAndElement()
    {
        await Page.SetContentAsync(Document($"<h1>Pictures</h1><img id=\"photo\" src=\"{Pixel}\" width=\"1\" height=\"1\">"));

        var failure = await Assert.ThrowsAsync<XunitException>(() => Axe.AssertNoAxeViolationsAsync(Page));

        Output.WriteLine(failure.Message);
        Assert.Contains("image-alt (critical)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Images must have alternative text", failure.Message, StringComparison.Ordinal);
        Assert.Contains("#photo", failure.Message, StringComparison.Ordinal);
        Assert.StartsWith("1 axe violation(s)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssertNoAxeViolations_ValidPage_Passes()
    {
        await Page.SetContentAsync(Document($"<h1>Pictures</h1><img src=\"{Pixel}\" width=\"1\" height=\"1\" alt=\"A blank square\"><p><a href=\"#top\">Back to the top</a></p>"));

        await Axe.AssertNoAxeViolationsAsync(Page);
    }

    private static string Document(string main) =>
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Axe check</title></head><body><main id=\"top\">{main}</main></body></html>";
}
