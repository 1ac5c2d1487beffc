using System.Net;
using System.Text.RegularExpressions;
using Askel.Runtime.Definitions;
using Askel.Testing;
using Xunit.Abstractions;

namespace Askel.App.Tests.Coordinator;

/// <summary>
/// A workflow's page: a server-drawn SVG diagram with a box per step and its arrows, the steps in words (sends, waits and
/// conditions), the forms and messages in the language asked for, and the SMS parts of every text in every language.
/// </summary>
public sealed partial class WorkflowPageTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    private const string Page = "/coordinator/workflows/participant-lifecycle";

    [Fact]
    public async Task TheWorkflowsPage_DrawsEveryStep_AndSaysEachInWords()
    {
        var workflow = WorkflowCatalog.Load(Repository.Path("workflows")).Get("participant-lifecycle");
        using var coordinator = await SignInAsync("coordinator@askel.local");

        var html = await coordinator.GetStringAsync(Page + "?lang=en");

        var svg = Svg().Match(html);
        Assert.True(svg.Success, "the page has a diagram");
        Assert.Equal(workflow.Steps.Keys.Order(StringComparer.Ordinal), StepBox().Matches(svg.Value).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal));
        // One arrow per pair of steps a step leads to (a task's four outcomes to one step are one arrow).
        Assert.Equal(workflow.Steps.Values.Sum(s => s.Targets.Distinct().Count()), Arrow().Matches(svg.Value).Count);
        Assert.Contains(">Exit form</text>", svg.Value, StringComparison.Ordinal);
        Assert.Contains(">answered</text>", svg.Value, StringComparison.Ordinal);
        Assert.Contains("left / 1 day after the project&#x27;s end date", svg.Value, StringComparison.Ordinal);

        // In words: the sends, the expiry, the waits, the branch and the task's reminders.
        Assert.Contains("<dd>at once: email; 3 days after the step begins: SMS; 7 days after the step begins: email; 12 days after the step begins: SMS</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>28 days after the step begins</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>6 months after the day they left (or, if there is none, the project&#x27;s end date)</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>1 day after the project&#x27;s end date</dd>", html, StringComparison.Ordinal);
        Assert.Contains("if how the entry form&#x27;s link reaches them is a QR code in a meeting → <a href=\"#step-entry-in-person\">Entry form (entry-in-person)</a>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>when it falls due: to the coordinator; 7 days after it falls due: to the managers</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>message coaching-check-in, every 30 days</dd>", html, StringComparison.Ordinal);
        Assert.Contains("Your projects that use it: Askel demo project.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWorkflowsPage_NamesOnlyTheReadersOwnProjects()
    {
        using var coach = await SignInAsync("coach@askel.local"); // coordinates the EURA demo project only

        Assert.Contains("None of your projects uses it.", await coach.GetStringAsync(Page + "?lang=en"), StringComparison.Ordinal);
        var eura = WebUtility.HtmlDecode(await coach.GetStringAsync("/coordinator/workflows/participant-lifecycle-eura?lang=en"));
        Assert.Contains("Your projects that use it: Askel demo ESF+ project (EURA 2021).", eura, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFormsAndMessages_AreShownInTheLanguageAskedFor_WithTheSmsPartsOfEveryLanguage()
    {
        using var coordinator = await SignInAsync("coordinator@askel.local");

        var swedish = await coordinator.GetStringAsync(Page + "?lang=fi&in=sv");
        Assert.Contains("<h4>Slutenkät</h4>", swedish, StringComparison.Ordinal);
        Assert.Contains("lang=\"sv\" dir=\"ltr\" class=\"text\">Hej {{ firstName }}! Din tid i projektet är slut.", swedish, StringComparison.Ordinal);
        Assert.Contains("Työnkulku: Osallistujan polku", swedish, StringComparison.Ordinal); // the page itself stays Finnish

        var arabic = await coordinator.GetStringAsync(Page + "?lang=en&in=ar");
        Assert.Contains("lang=\"ar\" dir=\"rtl\"", arabic, StringComparison.Ordinal);
        var unknown = await coordinator.GetStringAsync(Page + "?lang=en&in=xx");
        Assert.Contains("<h4>Exit survey</h4>", unknown, StringComparison.Ordinal); // falls back to the page's language

        // The exit link's SMS, filled with a 12-character first name and a 45-character link: in English 170 characters of
        // GSM-7 (160 fit one SMS), in Ukrainian 125 of UCS-2 (70 fit one).
        var row = Regex.Match(unknown, "<tr><th scope=\"row\">exit-form-link</th>(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        var cells = Regex.Matches(row, "<td[^>]*>(.*?)</td>", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(8, cells.Count); // fi sv en uk ru ar so fa
        Assert.Equal("2 parts<br>170 characters, GSM-7", cells[2]);
        Assert.Equal("2 parts<br>125 characters, UCS-2", cells[3]);
    }

    [Fact]
    public async Task AnUnknownWorkflow_IsNotFound_AndTheProjectPageLinksItsWorkflow()
    {
        using var coordinator = await SignInAsync("coordinator@askel.local");

        using var missing = await coordinator.GetAsync("/coordinator/workflows/nowhere?lang=en");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var project = await coordinator.GetStringAsync("/coordinator/projects/demo?lang=en");
        Assert.Contains("<a href=\"/coordinator/workflows/participant-lifecycle?lang=en\">How the workflow runs</a>", project, StringComparison.Ordinal);
    }

    [GeneratedRegex("<svg class=\"diagram\".*?</svg>", RegexOptions.Singleline)]
    private static partial Regex Svg();

    [GeneratedRegex("data-step=\"([^\"]+)\"")]
    private static partial Regex StepBox();

    [GeneratedRegex("<path class=\"way\"")]
    private static partial Regex Arrow();
}
