using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Askel.Browser.Tests;

/// <summary>
/// A browser test: the collection's Chromium, and per test a new context at 360×740 with one page.
/// The page's console errors and uncaught exceptions go to the test output; a page that breaks its own
/// Content-Security-Policy (an inline style or script it does not allow) fails the test.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(ChromiumFixture chromium, ITestOutputHelper output) : IAsyncLifetime
{
    private IBrowserContext? _context;
    private IPage? _page;
    private readonly List<string> _policyViolations = [];

    /// <summary>The test's output.</summary>
    protected ITestOutputHelper Output { get; } = output;

    /// <summary>This test's browser context.</summary>
    protected IBrowserContext Context => _context ?? throw new InvalidOperationException("The test has not started.");

    /// <summary>This test's page.</summary>
    protected IPage Page => _page ?? throw new InvalidOperationException("The test has not started.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _context = await chromium.NewContextAsync();
        _page = await _context.NewPageAsync();
        _page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Output.WriteLine($"browser {message.Type}: {message.Text}");
            }

            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                _policyViolations.Add($"{message.Location}: {message.Text}");
            }
        };
        _page.PageError += (_, error) => Output.WriteLine($"browser page error: {error}");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        Assert.True(_policyViolations.Count == 0, "The page broke its Content-Security-Policy:" + Environment.NewLine + string.Join(Environment.NewLine, _policyViolations));
    }
}
