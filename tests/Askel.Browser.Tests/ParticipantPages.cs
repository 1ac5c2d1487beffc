using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Askel.Browser.Tests;

/// <summary>What the participant page tests share: pressing a form's buttons, the page frame checks, links in messages.</summary>
public static partial class ParticipantPages
{
    /// <summary>The participant page languages, in the order the language switch shows them.</summary>
    public static readonly IReadOnlyList<string> Languages = ["fi", "sv", "en", "uk", "ru", "ar", "so", "fa"];

    /// <summary>The largest page a phone on a slow connection should have to load.</summary>
    public const int MaxPageBytes = 50 * 1024;

    /// <summary>
    /// Clicks a submit button and waits until the page it leads to (after any 303) has loaded; returns that
    /// page's response, so a 422 (the page again, with what to fix) can be told from a move on.
    /// </summary>
    public static async Task<IResponse> PressAsync(IPage page, string selector = "button.primary")
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.EvaluateAsync("() => { window.__askelOld = true; }");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.Locator(selector).ClickAsync(),
            r => r.Request.IsNavigationRequest && r.Frame == page.MainFrame && r.Status is not (301 or 302 or 303 or 307 or 308));
        await page.WaitForFunctionAsync("() => window.__askelOld === undefined && document.readyState === 'complete'");
        return response;
    }

    /// <summary>Checks the frame every participant page must have: its language, its direction, and a small size.</summary>
    public static async Task AssertFrameAsync(IPage page, string language)
    {
        ArgumentNullException.ThrowIfNull(page);
        var html = page.Locator("html");
        Assert.Equal(language, await html.GetAttributeAsync("lang"));
        Assert.Equal(language is "ar" or "fa" ? "rtl" : "ltr", await html.GetAttributeAsync("dir"));
        var bytes = Encoding.UTF8.GetByteCount(await page.ContentAsync());
        Assert.True(bytes < MaxPageBytes, $"{page.Url} is {bytes} bytes of HTML; the limit is {MaxPageBytes}.");
        await AssertReflowsAsync(page, ReflowWidth);
    }

    /// <summary>WCAG 1.4.10 Reflow: the width participant pages must fit without sideways scrolling.</summary>
    public const int ReflowWidth = 320;

    /// <summary>
    /// At <paramref name="width"/> CSS px nothing scrolls sideways, whichever way the page is written (in a
    /// right-to-left page, content pushed off to the left scrolls too). The viewport is put back afterwards.
    /// </summary>
    public static async Task AssertReflowsAsync(IPage page, int width)
    {
        ArgumentNullException.ThrowIfNull(page);
        var (wide, high) = page.ViewportSize is { } size ? (size.Width, size.Height) : (ChromiumFixture.Viewport.Width, ChromiumFixture.Viewport.Height);
        await page.SetViewportSizeAsync(width, high);
        var sizes = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        await page.SetViewportSizeAsync(wide, high);
        Assert.True(sizes[0] <= sizes[1], $"{page.Url} is {sizes[0]} CSS px wide at a {width} px viewport ({sizes[1]} px to show it in): it scrolls sideways.");
    }

    /// <summary>The text of the page's first-level heading.</summary>
    public static async Task<string> HeadingAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return (await page.Locator("main h1").InnerTextAsync()).Trim();
    }

    /// <summary>The token of the first participant link in a message (<c>…/f/{token}</c>), or null.</summary>
    public static string? TokenIn(string text)
    {
        var match = LinkPattern().Match(text);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"https?://[^\s/]+/f/([A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])")]
    private static partial Regex LinkPattern();
}
