using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.Browser.Tests;

/// <summary>
/// Every page of every participant form, in every language, at 360×740: axe-core finds no WCAG 2.2 AA
/// violation, the page says its language (and right-to-left for Arabic and Dari/Persian), and it is small.
/// Also the error state of each page, the thank-you page, the pages for links that no longer work, and
/// the accessibility and privacy statements. One app and one browser for the whole class.
/// </summary>
public sealed class FormAccessibilityTests : BrowserTest, IClassFixture<ParticipantPagesFixture>
{
    /// <summary>The forms under workflows/forms (<see cref="FormsFolder_HoldsExactlyTheFormsTested"/> keeps this list honest).</summary>
    public static readonly IReadOnlyList<string> Forms = ["esf-entry", "esf-exit", "esf-six-month", "example-feedback"];

    /// <summary>
    /// The languages whose error states axe checks too (left to right, right to left, and the default); every
    /// language's error state is still checked for its summary, language, direction and size. Axe is the slow part.
    /// </summary>
    private static readonly HashSet<string> ErrorStateAxeLanguages = new(StringComparer.Ordinal) { "fi", "en", "ar" };

    private readonly ParticipantPagesFixture _fixture;

    public FormAccessibilityTests(ChromiumFixture chromium, ParticipantPagesFixture fixture, ITestOutputHelper output)
        : base(chromium, output)
    {
        _fixture = fixture;
        _fixture.Output = output;
    }

    public static TheoryData<string, string> FormsAndLanguages()
    {
        var data = new TheoryData<string, string>();
        foreach (var form in Forms)
        {
            foreach (var language in ParticipantPages.Languages)
            {
                data.Add(form, language);
            }
        }

        return data;
    }

    public static TheoryData<string> Languages() => [.. ParticipantPages.Languages];

    private AskelKestrelFactory App => _fixture.App;

    private PageTexts Texts => App.Services.GetRequiredService<PageTexts>();

    [Fact]
    public void FormsFolder_HoldsExactlyTheFormsTested()
    {
        var onDisk = Directory.GetFiles(Repository.Path("workflows", "forms"), "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.Equal(Forms.Order(StringComparer.Ordinal), onDisk);
        Assert.Equal(ParticipantPages.Languages.Order(StringComparer.Ordinal), PageTexts.Languages.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(FormsAndLanguages))]
    public async Task EveryPageAndItsErrorState_HasNoAxeViolations(string form, string language)
    {
        var definition = App.Services.GetRequiredService<FormCatalog>().Find(form);
        Assert.NotNull(definition);
        var token = await _fixture.OpenFormLinkAsync(form);
        var errorStates = 0;

        foreach (var formPage in definition.Pages)
        {
            var response = await Page.GotoAsync(App.Url($"f/{token}?page={Uri.EscapeDataString(formPage.Id)}&lang={language}"));

            Assert.Equal(200, response!.Status);
            Assert.Equal(definition.Title.For(language), await ParticipantPages.HeadingAsync(Page));
            Assert.Equal(formPage.Title.For(language), (await Page.Locator("form h2").InnerTextAsync()).Trim());
            await ParticipantPages.AssertFrameAsync(Page, language);
            await Axe.AssertNoAxeViolationsAsync(Page);

            // Nothing answered: a page with a required question comes back with its error summary.
            var pressed = await ParticipantPages.PressAsync(Page);
            if (pressed.Status == 422)
            {
                errorStates++;
                Assert.Equal(Texts.Get("errors-title", language), (await Page.Locator(".summary h2").InnerTextAsync()).Trim());
                Assert.True(await Page.Locator(".summary li a").CountAsync() > 0, "The error summary links to no field.");
                Assert.StartsWith(Texts.Get("errors-title", language), await Page.TitleAsync(), StringComparison.Ordinal);
                await ParticipantPages.AssertFrameAsync(Page, language);
                if (ErrorStateAxeLanguages.Contains(language))
                {
                    await Axe.AssertNoAxeViolationsAsync(Page);
                }
            }
            else
            {
                Assert.Equal(200, pressed.Status);
                Assert.DoesNotContain("/done", Page.Url, StringComparison.Ordinal);
            }
        }

        Assert.True(errorStates > 0, $"No page of {form} showed an error state when sent empty.");
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task ThankYouLinkAndStatementPages_HaveNoAxeViolations(string language)
    {
        var answered = await _fixture.AnsweredFeedbackLinkAsync(Page);
        var pages = new (string Path, int Status, string TitleKey)[]
        {
            ($"f/{answered}/done?lang={language}", 200, "thanks-title"),
            ($"f/{answered}?lang={language}", 200, "link-used-title"),
            ($"f/AAAAAAAAAAAAAAAAAAAAAA?lang={language}", 404, "link-invalid-title"),
            ($"f/{await _fixture.SupersededLinkAsync()}?lang={language}", 410, "link-superseded-title"),
            ($"f/{await _fixture.ExpiredLinkAsync()}?lang={language}", 410, "link-expired-title"),
            ($"f/accessibility?lang={language}", 200, "accessibility-title"),
            ($"f/privacy?lang={language}", 200, "privacy-title"),
        };

        foreach (var (path, status, titleKey) in pages)
        {
            var response = await Page.GotoAsync(App.Url(path));

            Assert.True(status == response!.Status, $"{path}: expected {status}, got {response.Status}.");
            Assert.Equal(Texts.Get(titleKey, language), await ParticipantPages.HeadingAsync(Page));
            await ParticipantPages.AssertFrameAsync(Page, language);
            await Axe.AssertNoAxeViolationsAsync(Page);
        }
    }
}

/// <summary>One app for a test class, with the participants and links its tests share.</summary>
public sealed class ParticipantPagesFixture : IAsyncLifetime
{
    private readonly ForwardingOutput _output = new();
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    /// <summary>The app.</summary>
    public AskelKestrelFactory App { get; private set; } = null!;

    /// <summary>Where the app's warnings and errors go: the running test's output.</summary>
    public ITestOutputHelper? Output
    {
        set => _output.Target = value;
    }

    /// <inheritdoc />
    public async Task InitializeAsync() => App = await AskelKestrelFactory.StartAsync(_output);

    /// <inheritdoc />
    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>A link that opens <paramref name="form"/> for a participant who has not answered it (one participant per form).</summary>
    public Task<string> OpenFormLinkAsync(string form) =>
        CachedAsync("open:" + form, async () =>
        {
            var participant = await EnrolAsync();
            return await Links.CurrentAsync(participant, "form:" + form, Now.AddDays(30), replace: false, CancellationToken.None);
        });

    /// <summary>A link to example-feedback that has been answered, through the browser, on <paramref name="page"/> the first time.</summary>
    public Task<string> AnsweredFeedbackLinkAsync(Microsoft.Playwright.IPage page) =>
        CachedAsync("answered", async () =>
        {
            var participant = await EnrolAsync();
            var token = await Links.CurrentAsync(participant, "form:example-feedback", Now.AddDays(30), replace: false, CancellationToken.None);
            await page.GotoAsync(App.Url($"f/{token}?lang=en"));
            await page.Locator("label[for='q-satisfaction-3']").ClickAsync();
            var done = await ParticipantPages.PressAsync(page);
            Assert.Equal(200, done.Status);
            Assert.EndsWith($"/f/{token}/done?lang=en", page.Url, StringComparison.Ordinal);
            return token;
        });

    /// <summary>A link replaced by a newer one.</summary>
    public Task<string> SupersededLinkAsync() =>
        CachedAsync("superseded", async () =>
        {
            var participant = await EnrolAsync();
            var old = await Links.CurrentAsync(participant, "form:example-feedback", Now.AddDays(30), replace: false, CancellationToken.None);
            await Links.CurrentAsync(participant, "form:example-feedback", Now.AddDays(30), replace: true, CancellationToken.None);
            return old;
        });

    /// <summary>A link whose answering time is over.</summary>
    public Task<string> ExpiredLinkAsync() =>
        CachedAsync("expired", async () =>
        {
            var participant = await EnrolAsync();
            return await Links.CurrentAsync(participant, "form:example-feedback", Now.AddMinutes(-1), replace: false, CancellationToken.None);
        });

    private FormLinks Links => App.Services.GetRequiredService<FormLinks>();

    private DateTimeOffset Now => App.Time.GetUtcNow();

    private async Task<Participant> EnrolAsync()
    {
        var project = App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        var participant = await App.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            project, new Enrolment("Aino", "Virtanen", "fi", null, "040 123 4567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);

        // The workflow asks for the entry form at once and makes its link: a test link made meanwhile could be replaced by it.
        await App.Services.SettleAsync();
        return participant;
    }

    private async Task<string> CachedAsync(string key, Func<Task<string>> make)
    {
        if (!_links.TryGetValue(key, out var token))
        {
            token = await make();
            _links[key] = token;
        }

        return token;
    }

    /// <summary>Passes the app's warnings and errors to whichever test runs now; the rest of its log is left out.</summary>
    private sealed class ForwardingOutput : ITestOutputHelper
    {
        public ITestOutputHelper? Target { get; set; }

        public void WriteLine(string message)
        {
            if (message.StartsWith("Trace ", StringComparison.Ordinal) || message.StartsWith("Debug ", StringComparison.Ordinal)
                || message.StartsWith("Information ", StringComparison.Ordinal))
            {
                return;
            }

            try
            {
                Target?.WriteLine(message);
            }
            catch (InvalidOperationException)
            {
                // That test has finished.
            }
        }

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }
}
