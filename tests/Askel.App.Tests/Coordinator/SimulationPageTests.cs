using System.Net;
using System.Text.RegularExpressions;
using Askel.App.Audit;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Coordinator;

/// <summary>The simulation page: a run from the form shows its charts and tables; bad input is refused field by field.</summary>
public sealed partial class SimulationPageTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    private const string Run = "/coordinator/simulate?workflow=participant-lifecycle&participants=120&weeks=8&months=14&email=25&sms=30&run=1&lang=en";

    [Fact]
    public async Task ARunFromTheForm_ShowsSendsAndTasksPerWeek_AndCapturePerForm()
    {
        using var manager = await SignInAsync("manager@askel.local");

        var response = await manager.GetAsync(Run);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, WeeklyChart().Matches(html).Count);
        var summary = Summary().Match(WebUtility.HtmlDecode(html));
        Assert.True(summary.Success, "the result says what was sent");
        Assert.Equal("120", summary.Groups["participants"].Value);
        // The table per week adds up to the totals the sentence gives.
        var weeks = WeekRow().Matches(html).Select(m => (Email: int.Parse(m.Groups[1].Value), Sms: int.Parse(m.Groups[2].Value), Tasks: int.Parse(m.Groups[3].Value))).ToList();
        Assert.True(weeks.Count > 50, $"14 months of weeks, got {weeks.Count}");
        Assert.Equal(int.Parse(summary.Groups["messages"].Value), weeks.Sum(w => w.Email + w.Sms));
        Assert.Equal(int.Parse(summary.Groups["tasks"].Value), weeks.Sum(w => w.Tasks));
        Assert.True(weeks.Sum(w => w.Tasks) > 0, "some forms go unanswered at these rates, so tasks open");
        // Everyone is asked for the entry form, in its own row with the share answered.
        Assert.Matches(@"<td>[^<]+</td><td>120</td><td>\d+</td><td>\d+ %</td>", html);
        Assert.Contains("<td>email</td><td>all</td><td>all</td><td>25 %</td><td>assumed</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadNumbers_AreRefused_FieldByField_KeepingWhatWasTyped()
    {
        using var manager = await SignInAsync("manager@askel.local");

        var response = await manager.GetAsync("/coordinator/simulate?workflow=nope&participants=12x&weeks=8&months=0&email=150&sms=30&run=1&lang=en");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<a href=\"#workflow\">Choose a workflow from the list.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#participants\">Give a whole number from 1 to 5000.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#months\">Give a whole number from 1 to 36.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#email\">Give a whole number from 0 to 100.</a>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"12x\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"weekly\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnrolmentThatOutlastsTheRun_IsRefusedAtTheWeeks()
    {
        using var manager = await SignInAsync("manager@askel.local");

        var response = await manager.GetAsync("/coordinator/simulate?workflow=participant-lifecycle&participants=10&weeks=60&months=12&email=25&sms=30&run=1&lang=en");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<a href=\"#weeks\">Enrolment must end before the run does: give fewer weeks or more months.</a>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProjectsHistory_IsOnlyForItsOwnStaff_AndReadingItIsAudited()
    {
        using var coach = await SignInAsync("coach@askel.local"); // coordinates the EURA demo project only
        var refused = await coach.GetAsync("/coordinator/simulate?project=demo&run=1&lang=en");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Choose one of your projects, or no project.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var coordinator = await SignInAsync("coordinator@askel.local");
        var html = WebUtility.HtmlDecode(await coordinator.GetStringAsync("/coordinator/simulate?project=demo&run=1&lang=en"));

        Assert.Contains("The project has only 0 messages to 0 participants so far: too few, so the rates are assumed.", html, StringComparison.Ordinal);
        Assert.Contains("The project ends in the simulation on 2027-12-31.", html, StringComparison.Ordinal);
        var audit = App.Services.GetRequiredService<AuditLog>();
        Assert.Contains(await audit.ReadAsync("demo", null, 50, CancellationToken.None), r => r.Action == "calibrate" && r.Actor == "coordinator@askel.local");
    }

    [GeneratedRegex("<svg class=\"weekly\"")]
    private static partial Regex WeeklyChart();

    [GeneratedRegex(@"(?<participants>\d+) participants: (?<messages>\d+) messages and (?<tasks>\d+) coordinator tasks\.")]
    private static partial Regex Summary();

    [GeneratedRegex(@"<tr><td>\d{4}-\d{2}-\d{2}</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>")]
    private static partial Regex WeekRow();
}
