using Askel.App.Commands;
using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.Browser.Tests;

/// <summary>
/// An XLSForm in Finnish, Swedish and English, as KoboToolbox or ODK would have it (groups, selects, a number, a date,
/// relevant and required), is imported with <c>askel form import</c> into a copy of the workflows folder; the app started
/// on that folder opens it for a participant in each of the three languages in Chromium at 360 px: the titles are the
/// workbook's, axe finds nothing (nor in the error state), and the page reflows.
/// </summary>
public sealed class XlsFormInTheBrowserTests(ChromiumFixture chromium, ITestOutputHelper output) : BrowserTest(chromium, output)
{
    [Fact]
    public async Task AnXlsFormInThreeLanguages_ImportsAndRenders_WithoutAxeViolations()
    {
        var workflows = CopyOfTheWorkflows();
        var workbook = Path.Combine(workflows, "..", "job-survey.xlsx");
        await File.WriteAllBytesAsync(workbook, JobSurvey());
        var (said, problems) = (new StringWriter(), new StringWriter());
        Assert.True(FormCommand.Run(["import", workbook, "--out", Path.Combine(workflows, "forms")], said, problems) == 0, problems.ToString());

        await using var app = await AskelKestrelFactory.StartAsync(Output, new Dictionary<string, string> { ["Askel:WorkflowsPath"] = workflows });
        var form = app.Services.GetRequiredService<FormCatalog>().Find("job-survey");
        Assert.NotNull(form);
        var token = await LinkAsync(app);

        foreach (var (language, title, firstPage) in new[] { ("fi", "Työkysely", "Nyt"), ("sv", "Arbetsenkät", "Nu"), ("en", "Job survey", "Now") })
        {
            var response = await Page.GotoAsync(app.Url($"f/{token}?lang={language}"));

            Assert.Equal(200, response!.Status);
            Assert.Equal(title, await ParticipantPages.HeadingAsync(Page));
            Assert.Equal(firstPage, (await Page.Locator("form h2").InnerTextAsync()).Trim());
            await ParticipantPages.AssertFrameAsync(Page, language);
            await Axe.AssertNoAxeViolationsAsync(Page);
            await ParticipantPages.AssertReflowsAsync(Page, 360);
        }

        // Sent empty, the required question is named in the error summary, in English.
        var refused = await ParticipantPages.PressAsync(Page);
        Assert.Equal(422, refused.Status);
        Assert.Contains("Are you working now?", await Page.Locator(".summary").InnerTextAsync(), StringComparison.Ordinal);
        await Axe.AssertNoAxeViolationsAsync(Page);
    }

    private static string CopyOfTheWorkflows()
    {
        var target = Path.Combine(Directory.CreateTempSubdirectory("askel-xlsform-").FullName, "workflows");
        foreach (var file in Directory.GetFiles(Repository.Path("workflows"), "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(Repository.Path("workflows"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        return target;
    }

    private static byte[] JobSurvey() => XlsFormWorkbook.Build(
        ("survey",
        [
            ["type", "name", "label::Finnish (fi)", "label::Swedish (sv)", "label::English (en)", "hint::Finnish (fi)", "hint::Swedish (sv)", "hint::English (en)", "required", "relevant", "constraint"],
            ["begin_group", "now", "Nyt", "Nu", "Now"],
            ["select_one work", "working", "Oletko nyt töissä?", "Arbetar du nu?", "Are you working now?", "", "", "", "yes"],
            ["integer", "hours", "Montako tuntia viikossa?", "Hur många timmar i veckan?", "How many hours a week?", "", "", "", "", "${working} = 'yes'", ". >= 1 and . <= 80"],
            ["date", "since", "Mistä alkaen?", "Sedan när?", "Since when?", "Päivämäärä", "Datum", "Date", "", "${working} = 'yes'", ". <= today()"],
            ["end_group"],
            ["begin_group", "wishes", "Toiveet", "Önskemål", "Wishes"],
            ["select_multiple fields", "fields", "Mikä ala kiinnostaa?", "Vilken bransch intresserar dig?", "Which fields interest you?"],
            ["text", "otherField", "Mikä muu ala?", "Vilken annan bransch?", "Which other field?", "", "", "", "", "selected(${fields}, 'other')"],
            ["end_group"],
        ]),
        ("choices",
        [
            ["list_name", "name", "label::Finnish (fi)", "label::Swedish (sv)", "label::English (en)"],
            ["work", "yes", "Kyllä", "Ja", "Yes"],
            ["work", "no", "En", "Nej", "No"],
            ["fields", "care", "Hoiva", "Vård", "Care"],
            ["fields", "building", "Rakentaminen", "Byggande", "Building"],
            ["fields", "other", "Jokin muu", "Något annat", "Something else"],
        ]),
        ("settings", [["form_id", "form_title", "default_language", "askel_title::Finnish (fi)", "askel_title::Swedish (sv)", "askel_title::English (en)"], ["job-survey", "Job survey", "English (en)", "Työkysely", "Arbetsenkät", "Job survey"]]));

    // A participant of the demo project, and a link to the imported form for them.
    private static async Task<string> LinkAsync(AskelKestrelFactory app)
    {
        var project = app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        var participant = await app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            project, new Enrolment("Aino", "Virtanen", "fi", null, "040 123 4567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await app.Services.SettleAsync();
        return await app.Services.GetRequiredService<FormLinks>().CurrentAsync(participant, "form:job-survey", app.Time.GetUtcNow().AddDays(30), replace: false, CancellationToken.None);
    }
}
