using System.Net;
using System.Text;
using Askel.App.Audit;
using Askel.App.Tests.Coordinator;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Audit;

/// <summary>The admin's audit log search, as a page and as CSV, through the local sign-in.</summary>
public sealed class AuditSearchTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    [Fact]
    public async Task Admin_SearchesByParticipantUserAndDay_AsAPageAndCsv_AndTheSearchIsAudited()
    {
        using var coordinator = await SignInAsync("coordinator@askel.local");
        var aino = await CoordinatorBrowser.EnrolAsync(coordinator, "Aino", "Virtanen", "aino@example.org", null);
        var omar = await CoordinatorBrowser.EnrolAsync(coordinator, "Omar", "Ali", "omar@example.org", null);
        using var admin = await SignInAsync("admin@askel.local");

        var projects = await admin.GetStringAsync("/coordinator?lang=en");
        var byParticipant = await admin.GetStringAsync($"/coordinator/audit?project=demo&participant={aino}&lang=en");
        var byUserAndDay = await admin.GetStringAsync("/coordinator/audit?user=coordinator@askel.local&from=2026-11-23&to=2026-11-23&lang=en");
        var otherDay = await admin.GetStringAsync("/coordinator/audit?user=coordinator@askel.local&from=2026-11-24&lang=en");
        using var csv = await admin.GetAsync($"/coordinator/audit.csv?participant={aino}&lang=en");
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(bytes);

        Assert.Contains("/coordinator/audit?lang=en", projects, StringComparison.Ordinal);
        Assert.Contains($"<td>{aino}</td>", byParticipant, StringComparison.Ordinal);
        Assert.DoesNotContain($"<td>{omar}</td>", byParticipant, StringComparison.Ordinal);
        Assert.Contains("<td>enrol</td>", byParticipant, StringComparison.Ordinal);
        Assert.Contains($"<td>{omar}</td>", byUserAndDay, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>enrol</td>", otherDay, StringComparison.Ordinal);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.Contains("When;Project;Participant id;Who;What;Detail", text, StringComparison.Ordinal);
        Assert.Contains($";demo;{aino};coordinator@askel.local;enrol;", text, StringComparison.Ordinal);
        Assert.DoesNotContain(omar, text, StringComparison.Ordinal);
        var searches = await App.Services.GetRequiredService<AuditLog>().SearchAsync(new AuditQuery(null, null, "admin@askel.local", null, null), 100, CancellationToken.None);
        Assert.Contains(searches, s => s.Action == "search-audit" && s.ParticipantId == aino && s.Detail.StartsWith("csv", StringComparison.Ordinal));
        Assert.Contains(searches, s => s.Action == "search-audit" && s.ProjectId == "-" && s.Detail.Contains("user coordinator@askel.local, from 2026-11-23, to 2026-11-23", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACoordinator_GetsNotFound_AndABadDay_IsA400ThatSaysHowToWriteIt()
    {
        using var coordinator = await SignInAsync("coordinator@askel.local");
        using var admin = await SignInAsync("admin@askel.local");

        using var page = await coordinator.GetAsync("/coordinator/audit");
        using var csv = await coordinator.GetAsync("/coordinator/audit.csv");
        using var badDay = await admin.GetAsync("/coordinator/audit?from=23.11.2026&lang=en");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (page.StatusCode, csv.StatusCode));
        Assert.Equal(HttpStatusCode.BadRequest, badDay.StatusCode);
        var body = await badDay.Content.ReadAsStringAsync();
        Assert.Contains("Type the day as YYYY-MM-DD", body, StringComparison.Ordinal);
        Assert.Contains("value=\"23.11.2026\"", body, StringComparison.Ordinal);
    }
}
