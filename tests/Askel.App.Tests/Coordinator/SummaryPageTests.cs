using System.Net;
using System.Text;
using Askel.App.Audit;
using Askel.App.Coordinator;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.App.Summaries.Rendering;
using Askel.App.Tests.Security;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Askel.App.Tests.Coordinator.CoordinatorBrowser;

namespace Askel.App.Tests.Coordinator;

/// <summary>The monthly summary page and its downloads: who sees what, months, files, audit — on the app's virtual clock (2026-11-23).</summary>
public sealed class SummaryPageTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    private const string Group = "3f2c9a1e-6b7d-4c55-9e21-0a8b7c6d5e4f";

    [Fact]
    public async Task Manager_SeesTheirProjectsSummary_ThePreviousMonthByDefault_WithEveryTable_ButNoParticipants()
    {
        using var client = await SignInAsync("manager@askel.local");

        var projects = await client.GetStringAsync("/coordinator?lang=en");
        using var response = await client.GetAsync("/coordinator/projects/demo/summary?lang=en");
        var page = await response.Content.ReadAsStringAsync();
        using var projectPage = await client.GetAsync("/coordinator/projects/demo");
        using var timeline = await client.GetAsync("/coordinator/projects/demo/participants/abc");

        Assert.Contains("/coordinator/projects/demo/summary?lang=en", projects, StringComparison.Ordinal);
        Assert.Contains("/coordinator/projects/demo-eura/summary?lang=en", projects, StringComparison.Ordinal);
        Assert.DoesNotContain("/coordinator/projects/demo?", projects, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html lang=\"en\"", page, StringComparison.Ordinal);
        Assert.Contains("Monthly summary: Askel demo project", page, StringComparison.Ordinal);
        Assert.Contains("October 2026", page, StringComparison.Ordinal); // the month before 23 November 2026
        var summary = await App.Services.GetRequiredService<SummaryService>().BuildAsync(App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!, "2026-10", CancellationToken.None);
        foreach (var table in SummaryTables.Of(summary, "en"))
        {
            Assert.Contains($"<h2 id=\"table-{table.Id}\">{table.Title}</h2>", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        }

        Assert.Contains("<th scope=\"col\">Goal</th>", page, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Participants</th><td class=\"n\">200</td>", page, StringComparison.Ordinal); // the demo's target
        Assert.Contains("<th scope=\"row\">Leavers to work or education</th><td class=\"n\">50%</td>", page, StringComparison.Ordinal);
        Assert.Contains("type=\"month\"", page, StringComparison.Ordinal);
        Assert.Contains("summary?month=2026-09&amp;lang=en", page, StringComparison.Ordinal);
        Assert.Contains("summary?month=2026-11&amp;lang=en", page, StringComparison.Ordinal);
        Assert.Contains("summary.xlsx?month=2026-10&amp;lang=en", page, StringComparison.Ordinal);
        Assert.Contains("summary.csv?month=2026-10&amp;lang=en", page, StringComparison.Ordinal);
        Assert.Contains("summary?month=2026-10&amp;lang=fi", page, StringComparison.Ordinal); // the language switch keeps the month
        Assert.DoesNotContain("Please note", page, StringComparison.Ordinal); // the demo has managers: no warning
        Assert.Equal(HttpStatusCode.NotFound, projectPage.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, timeline.StatusCode);

        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", null, 100, CancellationToken.None);
        var view = Assert.Single(audit, a => a.Action == "view-summary");
        Assert.Equal("manager@askel.local", view.Actor);
        Assert.Null(view.ParticipantId);
        Assert.Equal("2026-10", view.Detail);
    }

    [Fact]
    public async Task InSwedish_ThePageAndTheFiles_ShowSwedishTables()
    {
        using var client = await SignInAsync("manager@askel.local");

        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/coordinator/projects/demo/summary?lang=sv"));
        var csv = Encoding.UTF8.GetString(await client.GetByteArrayAsync("/coordinator/projects/demo/summary.csv?month=2026-10&lang=sv"));

        Assert.Contains("<html lang=\"sv\"", page, StringComparison.Ordinal);
        Assert.Contains("Månadssammanställning: Askel demo project", page, StringComparison.Ordinal);
        Assert.Contains("oktober 2026", page, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"table-targets\">Mål och utfall</h2>", page, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Till arbete eller utbildning när de slutade</th><td class=\"n\">50 %</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Tavoitteet ja toteuma", page, StringComparison.Ordinal);
        Assert.Contains("Mål och utfall", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverdueForms_NameTheParticipantForCoordinators_AndOnlyCountForManagers()
    {
        string id;
        using (var enrolling = await SignInAsync("coordinator@askel.local"))
        {
            id = await EnrolAsync(enrolling, "Aino", "Virtanen", email: null, phone: "040 123 4567");
        }

        Factory.Time.Advance(TimeSpan.FromDays(15)); // 8 December: the entry form is past its 14 days
        using var coordinator = await SignInAsync("coordinator@askel.local");
        using var manager = await SignInAsync("manager@askel.local");

        var project = await coordinator.GetStringAsync("/coordinator/projects/demo?lang=en");
        var asCoordinator = await coordinator.GetStringAsync("/coordinator/projects/demo/summary?month=2026-11&lang=en");
        var asManager = await manager.GetStringAsync("/coordinator/projects/demo/summary?month=2026-11&lang=en");

        Assert.Contains("/coordinator/projects/demo/summary?lang=en", project, StringComparison.Ordinal);
        Assert.Contains("Overdue forms (1)", asCoordinator, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/coordinator/projects/demo/participants/{id}?lang=en\">Aino</a>", asCoordinator, StringComparison.Ordinal);
        Assert.Contains("<td>2026-11-23</td><td class=\"n\">1</td><td>coordinator@askel.local</td>", asCoordinator, StringComparison.Ordinal);
        Assert.DoesNotContain("Virtanen", asCoordinator, StringComparison.Ordinal);
        Assert.Contains("Overdue forms (1)", asManager, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">coordinator@askel.local</th><td>Entry form</td><td class=\"n\">1</td>", asManager, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-11-23", asManager, StringComparison.Ordinal); // a due date is the day someone enrolled
        Assert.DoesNotContain("Aino", asManager, StringComparison.Ordinal);
        Assert.DoesNotContain("/participants/", asManager, StringComparison.Ordinal);
        Assert.Contains("Participants are shown to the project", asManager, StringComparison.Ordinal);
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", null, 100, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "view-summary" && a.Actor == "coordinator@askel.local" && a.Detail == "2026-11; 1 overdue participant(s) named");
        Assert.Contains(audit, a => a.Action == "view-summary" && a.Actor == "manager@askel.local" && a.Detail == "2026-11");
    }

    [Fact]
    public async Task ACoordinatorOfAnotherProject_Gets404_ForThePageAndTheFiles()
    {
        using var coach = await SignInAsync("coach@askel.local"); // coordinates demo-eura only

        using var page = await coach.GetAsync("/coordinator/projects/demo/summary");
        using var xlsx = await coach.GetAsync("/coordinator/projects/demo/summary.xlsx?month=2026-10");
        using var csv = await coach.GetAsync("/coordinator/projects/demo/summary.csv?month=2026-10");
        using var own = await coach.GetAsync("/coordinator/projects/demo-eura/summary");
        using var unknown = await coach.GetAsync("/coordinator/projects/nope/summary");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, xlsx.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, csv.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", null, 100, CancellationToken.None);
        Assert.DoesNotContain(audit, a => a.Actor == "coach@askel.local");
    }

    [Theory]
    [InlineData("2026-13", "fi")]
    [InlineData("abc", "fi")]
    [InlineData("2026-1", "en")]
    [InlineData("1999-12", "en")]
    [InlineData("2027-01", "en")] // beyond next month (now is November 2026)
    [InlineData("2030-06", "fi")]
    public async Task AMalformedOrOutOfRangeMonth_Is400_SayingWhatToType(string month, string language)
    {
        using var client = await SignInAsync("manager@askel.local");

        using var response = await client.GetAsync($"/coordinator/projects/demo/summary?month={Uri.EscapeDataString(month)}&lang={language}");
        using var file = await client.GetAsync($"/coordinator/projects/demo/summary.xlsx?month={Uri.EscapeDataString(month)}&lang={language}");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, file.StatusCode);
        Assert.Contains($"<html lang=\"{language}\"", page, StringComparison.Ordinal);
        Assert.Contains(language == "fi" ? "Kirjoita kuukausi muodossa VVVV-KK, esimerkiksi 2026-10" : "Type the month as YYYY-MM, for example 2026-10", page, StringComparison.Ordinal);
        Assert.Contains("2000-01", page, StringComparison.Ordinal);
        Assert.Contains("2026-12", page, StringComparison.Ordinal);
        Assert.Contains("type=\"month\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NextMonth_IsTheLatestShown()
    {
        using var client = await SignInAsync("manager@askel.local");

        var page = await client.GetStringAsync("/coordinator/projects/demo/summary?month=2026-12&lang=en");

        Assert.Contains("December 2026", page, StringComparison.Ordinal);
        Assert.DoesNotContain("month=2027-01", page, StringComparison.Ordinal); // no link beyond it
    }

    [Fact]
    public async Task Downloads_AreAttachmentsWithTheirTypesAndNames_AndAudited()
    {
        using var client = await SignInAsync("manager@askel.local");

        using var xlsx = await client.GetAsync("/coordinator/projects/demo/summary.xlsx?month=2026-10&lang=en");
        using var csv = await client.GetAsync("/coordinator/projects/demo/summary.csv?month=2026-10");
        using var byDefault = await client.GetAsync("/coordinator/projects/demo/summary.csv");

        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal(SummaryWorkbook.ContentType, xlsx.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", xlsx.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("askel-demo-2026-10.xlsx", xlsx.Content.Headers.ContentDisposition.FileName?.Trim('"'));
        Assert.Equal("PK"u8.ToArray(), (await xlsx.Content.ReadAsByteArrayAsync())[..2]);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("askel-demo-2026-10.csv", csv.Content.Headers.ContentDisposition.FileName?.Trim('"'));
        Assert.Contains("Tavoitteet ja toteuma", Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal); // Finnish by default
        Assert.Equal("askel-demo-2026-10.csv", byDefault.Content.Headers.ContentDisposition!.FileName?.Trim('"'));

        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", null, 100, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "download-summary-xlsx" && a.Actor == "manager@askel.local" && a.ParticipantId is null && a.Detail == "2026-10");
        Assert.Equal(2, audit.Count(a => a.Action == "download-summary-csv" && a.ParticipantId is null));
    }

    [Fact]
    public async Task AProjectWithoutManagers_ShowsTheWarning_AndLogsItOnce_AndAGroupMemberIsAManager()
    {
        var demo = Factory.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        var catalog = ProjectCatalog.Of(
            demo with { Managers = [] },
            new Project("grouped", "Grouped project", demo.Workflow, demo.EndDate, null, ["someone@askel.local"], []) { ManagerGroup = Group });
        await using var app = Factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton(catalog)));
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL", Header("admin@askel.local", ["admin"], []));
        var before = Factory.Logs.Lines.Count;
        using var warned = await client.GetAsync("/coordinator/projects/demo/summary?lang=en");
        var page = await warned.Content.ReadAsStringAsync();
        var logged = Factory.Logs.Lines.Skip(before).Where(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("[1400]", StringComparison.Ordinal)).ToList();

        client.DefaultRequestHeaders.Remove("X-MS-CLIENT-PRINCIPAL");
        client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL", Header("boss@askel.local", [], [Group.ToUpperInvariant()]));
        using var member = await client.GetAsync("/coordinator/projects/grouped/summary?lang=en");
        var memberProjects = await client.GetStringAsync("/coordinator?lang=en");
        using var memberOther = await client.GetAsync("/coordinator/projects/demo/summary");
        client.DefaultRequestHeaders.Remove("X-MS-CLIENT-PRINCIPAL");
        client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL", Header("boss@askel.local", [], ["00000000-0000-0000-0000-000000000001"]));
        using var stranger = await client.GetAsync("/coordinator/projects/grouped/summary");

        Assert.Equal(HttpStatusCode.OK, warned.StatusCode);
        Assert.Contains("Please note", page, StringComparison.Ordinal);
        Assert.Contains(SummaryTexts.Get("warning-no-managers", "en"), page, StringComparison.Ordinal);
        var line = Assert.Single(logged);
        Assert.Contains("The summary of project demo for 2026-10 has warnings: no-managers", line, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, member.StatusCode);
        Assert.Contains("/coordinator/projects/grouped/summary?lang=en", memberProjects, StringComparison.Ordinal);
        Assert.DoesNotContain("/coordinator/projects/demo", memberProjects, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, memberOther.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode); // no role and no manager group: not a coordinator-pages user at all
    }

    [Theory]
    [InlineData(null, "2026-10")]
    [InlineData("", "2026-10")]
    [InlineData(" 2026-05 ", "2026-05")]
    [InlineData("2000-01", "2000-01")]
    [InlineData("2026-12", "2026-12")]
    [InlineData("1999-12", null)]
    [InlineData("2027-01", null)]
    [InlineData("2026-00", null)]
    [InlineData("2026/10", null)]
    [InlineData("20261", null)]
    public void SummaryMonth_DefaultsToThePreviousMonth_AndAllowsUpToNextMonth(string? asked, string? expected) =>
        Assert.Equal(expected, CoordinatorPages.SummaryMonth(asked, new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void SummaryMonth_FollowsHelsinkiTime_AtTheTurnOfTheMonth() =>
        // 31 Oct 22:30 UTC is already 1 November in Helsinki: the previous month is October.
        Assert.Equal("2026-10", CoordinatorPages.SummaryMonth(null, new DateTimeOffset(2026, 10, 31, 22, 30, 0, TimeSpan.Zero)));

    private static string Header(string name, string[] roles, string[] groups) =>
        EasyAuthHeaders.Principal([("name", name), .. roles.Select(role => ("roles", role)), .. groups.Select(group => ("groups", group))], nameType: "name", roleType: "roles");
}
