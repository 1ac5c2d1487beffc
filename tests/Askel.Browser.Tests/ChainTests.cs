using Xunit.Abstractions;

namespace Askel.Browser.Tests;

/// <summary>The whole chain: the app on Kestrel, reached by Chromium over loopback.</summary>
public sealed class ChainTests(ChromiumFixture chromium, ITestOutputHelper output) : BrowserTest(chromium, output)
{
    [Fact]
    public async Task Health_OpenedInChromium_ShowsStatus()
    {
        await using var app = await AskelKestrelFactory.StartAsync(Output);

        var response = await Page.GotoAsync(app.Url("api/health"));

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.Contains("\"status\"", await Page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
    }
}
