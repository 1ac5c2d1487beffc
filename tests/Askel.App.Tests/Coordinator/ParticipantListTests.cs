using System.Net;
using System.Text;
using Askel.App.Audit;
using Askel.App.Coordinator;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Xunit.Abstractions;
using static Askel.App.Tests.Coordinator.CoordinatorBrowser;

namespace Askel.App.Tests.Coordinator;

/// <summary>The caseload list's filters and order, and its export as CSV or XLSX, which is audited.</summary>
public sealed class ParticipantListTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    private static readonly Project Demo = new("demo", "Demo", "participant-lifecycle", new DateOnly(2027, 12, 31), null, ["coordinator@askel.local", "coach@askel.local"], []);
    private static readonly DateTimeOffset Now = new(2027, 6, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Filters_KeepOnlyWhatTheyName_AndUnknownValuesAreIgnored()
    {
        Participant P(string id, string last, string language, string by, DateTimeOffset? left = null, DateTimeOffset? exit = null) => new()
        {
            PartitionKey = "demo", RowKey = id, FirstName = "A", LastName = last, Language = language, EnrolledBy = by,
            EnrolledAt = Now.AddDays(-100 + id[1]), LeftAt = left, ExitReceivedAt = exit,
        };
        var list = new[]
        {
            P("p1", "Öberg", "sv", "coordinator@askel.local"),
            P("p2", "Aalto", "fi", "coach@askel.local", left: Now.AddDays(-10)),
            P("p3", "Mäki", "fi", "former@askel.local", left: Now.AddDays(-300), exit: Now.AddDays(-290)),
        };
        string[] Ids(params (string Name, string Value)[] values) =>
            [.. ParticipantListQuery.From(name => values.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault() ?? StringValues.Empty, posted: false).Apply(list, Demo, Now).Select(p => p.Id)];

        Assert.Equal(["p3", "p2", "p1"], Ids());
        Assert.Equal(["p2", "p3"], Ids(("state", "left"), ("sort", "enrolled-asc")));
        Assert.Equal(["p2"], Ids(("form", "exit-missing")));
        Assert.Equal(["p3"], Ids(("coordinator", "none")));
        Assert.Equal(["p2"], Ids(("coordinator", "COACH@askel.local")));
        Assert.Equal(["p2", "p3"], Ids(("language", "fi"), ("sort", "name")));
        Assert.Equal(["p2", "p3", "p1"], Ids(("sort", "name")));
        Assert.Equal(["p3", "p2", "p1"], Ids(("state", "gone"), ("language", "xx"), ("sort", "random"), ("q", "Aalto"))); // a search comes only from a post
    }

    [Fact]
    public async Task TheFilteredList_ExportsAsCsvAndXlsx_AndTheExportIsAudited()
    {
        var service = App.Services.GetRequiredService<ParticipantService>();
        var demo = App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        await service.EnrolAsync(demo, new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", null, IntakeInPerson: true), "coordinator@askel.local", CancellationToken.None);
        await service.EnrolAsync(demo, new Enrolment("Bo", "Lind", "sv", null, "040 765 4321", IntakeInPerson: true), "coordinator@askel.local", CancellationToken.None);
        await service.EnrolAsync(demo, new Enrolment("Eve", "=HYPERLINK(\"x\")", "en", "eve@example.org", null, IntakeInPerson: true), "coordinator@askel.local", CancellationToken.None);
        await App.Services.SettleAsync();
        using var client = await SignInAsync("coordinator@askel.local");

        var filtered = WebUtility.HtmlDecode(await client.GetStringAsync("/coordinator/projects/demo?language=sv"));
        using var csv = await PostAsync(client, "/coordinator/projects/demo", "/coordinator/projects/demo/export", ("language", "sv"), ("format", "csv"));
        using var all = await PostAsync(client, "/coordinator/projects/demo", "/coordinator/projects/demo/export", ("format", "csv"));
        using var xlsx = await PostAsync(client, "/coordinator/projects/demo", "/coordinator/projects/demo/export", ("q", "aino"), ("format", "xlsx"));

        Assert.Contains("Löytyi 1 / 3 osallistujaa", filtered, StringComparison.Ordinal);
        Assert.Contains("<option value=\"sv\" selected>", filtered, StringComparison.Ordinal);
        var text = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Bo;Lind;coordinator@askel.local;sv;;'+358407654321", text, StringComparison.Ordinal); // a leading + is neutralised too
        Assert.DoesNotContain("Virtanen", text, StringComparison.Ordinal);
        var everyone = Encoding.UTF8.GetString(await all.Content.ReadAsByteArrayAsync());
        Assert.Contains("'=HYPERLINK", everyone, StringComparison.Ordinal); // neutralised: a spreadsheet shows it as text
        Assert.Equal(Askel.App.Summaries.Rendering.SummaryWorkbook.ContentType, xlsx.Content.Headers.ContentType!.MediaType);
        Assert.Equal("PK", Encoding.ASCII.GetString((await xlsx.Content.ReadAsByteArrayAsync())[..2]));
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", null, 100, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "export-list" && a.Detail == "1 participants, csv, filtered");
        Assert.Contains(audit, a => a.Action == "export-list" && a.Detail == "3 participants, csv");
        Assert.Contains(audit, a => a.Action == "export-list" && a.Detail == "1 participants, xlsx, filtered");
    }

    [Fact]
    public async Task AGroupSession_IsLoggedForTheTickedParticipantsOnly()
    {
        var service = App.Services.GetRequiredService<ParticipantService>();
        var demo = App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        var eura = App.Services.GetRequiredService<ProjectCatalog>().Find("demo-eura")!;
        var ids = new List<string>();
        foreach (var first in new[] { "Aino", "Bo", "Cecilia" })
        {
            ids.Add((await service.EnrolAsync(demo, new Enrolment(first, "Lind", "fi", $"{first}@example.org", null, IntakeInPerson: true), "coordinator@askel.local", CancellationToken.None)).Id);
        }

        var elsewhere = await service.EnrolAsync(eura, new Enrolment("Muu", "Projekti", "fi", "muu@example.org", null, IntakeInPerson: true), "coordinator@askel.local", CancellationToken.None);
        using var client = await SignInAsync("coordinator@askel.local");
        Assert.Contains("form=\"group-session\" name=\"participant\"", await client.GetStringAsync("/coordinator/projects/demo"), StringComparison.Ordinal);

        using var none = await PostAsync(client, "/coordinator/projects/demo", "/coordinator/projects/demo/sessions", ("date", "2026-11-20"), ("minutes", "90"));
        using var logged = await PostAsync(client, "/coordinator/projects/demo", "/coordinator/projects/demo/sessions",
            ("participant", ids[0]), ("participant", ids[2]), ("participant", elsewhere.Id), ("date", "2026-11-20"), ("minutes", "90"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, none.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, logged.StatusCode);
        Assert.Contains("grouped=2", logged.Headers.Location!.ToString(), StringComparison.Ordinal);
        foreach (var (id, expected) in new[] { (ids[0], 1), (ids[1], 0), (ids[2], 1) })
        {
            var sessions = await service.SessionsAsync((await service.FindAsync("demo", id, CancellationToken.None))!, CancellationToken.None);
            Assert.Equal(expected, sessions.Count(s => s is { Kind: "group", Minutes: 90 } && s.Date == new DateOnly(2026, 11, 20)));
        }

        Assert.Empty(await service.SessionsAsync(elsewhere, CancellationToken.None));
        Assert.NotNull((await service.FindAsync("demo", ids[0], CancellationToken.None))!.LastContactAt);
    }
}
