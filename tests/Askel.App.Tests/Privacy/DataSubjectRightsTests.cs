using System.Net;
using System.Text.Json;
using Askel.App.Audit;
using Askel.App.Privacy;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.App.Tests.Coordinator;
using Askel.Testing;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Privacy;

/// <summary>
/// Export and erasure of one participant, through the coordinator pages, against every table the app keeps in Azurite:
/// a participant who has answered the entry form, had a coaching session, left, and typed free text into the exit form.
/// </summary>
public sealed class DataSubjectRightsTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    private const string FirstName = "Zofia", LastName = "Quixwell", Email = "zofia.quixwell@example.org", FreeText = "Kiitos xyzzyplugh-ohjaajalle";
    private static readonly string[] Phone = ["+358407654321", "407654321"];

    // Where each table's rows about the participant must appear in the export (the table's name after the app's prefix).
    private static readonly Dictionary<string, string[]> ExportSections = new(StringComparer.OrdinalIgnoreCase)
    {
        ["participants"] = ["participant"],
        ["responses"] = ["forms", "drafts"],
        ["links"] = ["links"],
        ["sessions"] = ["sessions"],
        ["contacts"] = ["contactIndex"],
        ["audit"] = ["audit"],
        ["messages"] = ["messages"],
        ["tasks"] = ["tasks"],
        ["summaries"] = ["summary"],
        ["signals"] = ["workflow"],
        ["Instances"] = ["workflow"],
        ["History"] = ["workflow"],
        ["Partitions"] = ["workflow"],
        ["rectifications"] = ["corrections"],
        ["attempts"] = ["contactAttempts"],
        ["consents"] = ["consents"],
    };

    [Fact]
    public async Task Export_CoversEveryTableThatHoldsTheParticipant_AsAFileAndAPage_AndIsAudited()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var id = await LiveParticipantAsync(client);
        var basePath = $"/coordinator/projects/demo/participants/{id}";
        using var admin = await SignInAsync("admin@askel.local"); // the whole export: with the corrections' old values

        using var file = await admin.GetAsync(basePath + "/export.json");
        var export = JsonDocument.Parse(await file.Content.ReadAsStringAsync()).RootElement;
        var page = await client.GetStringAsync(basePath + "/export?lang=en");

        Assert.Equal("application/json", file.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("attachment", file.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        var holding = await TablesHoldingAsync(id);
        Assert.Contains("participants", holding.Keys);
        Assert.Contains("responses", holding.Keys);
        Assert.Contains("links", holding.Keys);
        Assert.Contains("Instances", holding.Keys);
        Assert.Contains("attempts", holding.Keys);
        Assert.Contains("consents", holding.Keys);
        foreach (var (table, rows) in holding)
        {
            Assert.True(ExportSections.TryGetValue(table, out var sections), $"the table '{table}' holds the participant ({rows} rows) but the export does not know it");
            Assert.True(sections!.Any(s => HasContent(export.GetProperty(s))), $"the table '{table}' holds {rows} rows of the participant, none in the export's {string.Join(" or ", sections!)}");
        }

        Assert.Equal(FirstName, export.GetProperty("participant").GetProperty("firstName").GetString());
        Assert.Contains(FreeText, export.GetProperty("drafts").GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("/f/", export.GetRawText(), StringComparison.Ordinal); // never a token that opens a form
        Assert.Contains($"Data kept: {FirstName} {LastName}", page, StringComparison.Ordinal);
        Assert.Contains(FreeText, page, StringComparison.Ordinal);
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", id, 100, CancellationToken.None);
        Assert.Contains(audit, a => (a.Actor, a.Action, a.Detail) == ("admin@askel.local", "export", "json"));
        Assert.Contains(audit, a => (a.Actor, a.Action, a.Detail) == ("coordinator@askel.local", "export", "page"));
    }

    [Fact]
    public async Task Export_OfAnotherProjectsParticipant_IsNotFound()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var id = await CoordinatorBrowser.EnrolAsync(client, FirstName, LastName, Email, null);
        using var coach = await SignInAsync("coach@askel.local");

        using var file = await coach.GetAsync($"/coordinator/projects/demo/participants/{id}/export.json");
        using var page = await coach.GetAsync($"/coordinator/projects/demo/participants/{id}/export");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (file.StatusCode, page.StatusCode));
        Assert.DoesNotContain(FirstName, await file.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erasure_LeavesNoNameContactOrFreeText_KeepsTheSummaryCounts_AndStopsTheWorkflow()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var id = await LiveParticipantAsync(client);
        var summary = App.Services.GetRequiredService<SummaryStore>();
        var counts = Flatten(await summary.MonthsAsync("demo", CancellationToken.None));
        Assert.NotEmpty(await RowsContainingAsync([FirstName, LastName, Email, FreeText, .. Phone])); // the scan finds them while they are there

        using var unconfirmed = await CoordinatorBrowser.PostAsync(client, $"/coordinator/projects/demo/participants/{id}", $"/coordinator/projects/demo/participants/{id}/erase");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unconfirmed.StatusCode);
        Assert.Contains("id=\"confirm-error\"", await unconfirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var erased = await CoordinatorBrowser.PostAsync(client, $"/coordinator/projects/demo/participants/{id}", $"/coordinator/projects/demo/participants/{id}/erase", ("confirm", "yes"));
        Assert.Equal(HttpStatusCode.SeeOther, erased.StatusCode);
        Assert.StartsWith("/coordinator/projects/demo?saved=erased", erased.Headers.Location!.ToString(), StringComparison.Ordinal);
        await App.Services.SettleAsync();
        Assert.Equal("Terminated", (await App.Services.WorkflowStatusAsync($"demo.{id}"))!.Status.ToString());
        await App.Services.GetRequiredService<RetentionRun>().RunAsync(CancellationToken.None); // finishes the erasure: the stopped workflow's history

        Assert.Empty(await RowsContainingAsync([FirstName, LastName, Email, FreeText, .. Phone]));
        Assert.Null(await App.Services.WorkflowStatusAsync($"demo.{id}"));
        Assert.DoesNotContain("attempts", (await TablesHoldingAsync(id)).Keys);
        Assert.DoesNotContain("consents", (await TablesHoldingAsync(id)).Keys);
        Assert.Equal(counts, Flatten(await summary.MonthsAsync("demo", CancellationToken.None)));
        await App.Services.GetRequiredService<SummaryService>().RebuildAsync(App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!, CancellationToken.None);
        Assert.Equal(counts, Flatten(await summary.MonthsAsync("demo", CancellationToken.None))); // the kept facts count the same
        var list = await client.GetStringAsync(erased.Headers.Location);
        Assert.Contains("Osallistujan tunnistetiedot on poistettu.", list, StringComparison.Ordinal);
        Assert.DoesNotContain($"/participants/{id}", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/coordinator/projects/demo/participants/{id}")).StatusCode);
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", id, 100, CancellationToken.None);
        Assert.Contains(audit, a => (a.Actor, a.Action) == ("coordinator@askel.local", "erase"));
    }

    [Fact]
    public async Task Rectification_IsAudited_ItsOldValuesAreShownToAdminsOnly_AndABadValueIsRefusedInPlace()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var id = await CoordinatorBrowser.EnrolAsync(client, FirstName, "Wrongname", Email, null);
        var basePath = $"/coordinator/projects/demo/participants/{id}";

        using var bad = await CoordinatorBrowser.PostAsync(client, basePath, basePath + "/details",
            ("firstName", FirstName), ("lastName", LastName), ("language", "fi"), ("email", "not-an-address"), ("phone", ""));
        var badPage = await bad.Content.ReadAsStringAsync();
        using var good = await CoordinatorBrowser.PostAsync(client, basePath, basePath + "/details",
            ("firstName", FirstName), ("lastName", LastName), ("language", "fi"), ("email", "zofia@example.org"), ("phone", ""));
        var coordinatorView = await client.GetStringAsync(basePath + "?lang=en");
        using var admin = await SignInAsync("admin@askel.local");
        var adminView = await admin.GetStringAsync(basePath + "?lang=en");
        var coordinatorExport = await client.GetStringAsync(basePath + "/export.json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("id=\"details-email-error\"", badPage, StringComparison.Ordinal);
        Assert.Contains("value=\"not-an-address\"", badPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, good.StatusCode);
        Assert.Contains(LastName, coordinatorView, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrongname", coordinatorView, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, coordinatorView, StringComparison.Ordinal);
        Assert.Contains("Corrections (admins only)", adminView, StringComparison.Ordinal);
        Assert.Contains("<td>lastName</td><td>Wrongname</td><td>" + LastName + "</td>", adminView, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrongname", coordinatorExport, StringComparison.Ordinal);
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", id, 100, CancellationToken.None);
        Assert.Contains(audit, a => (a.Actor, a.Action, a.Detail) == ("coordinator@askel.local", "rectify", "lastName, email"));
        var contacts = App.Services.GetRequiredService<Askel.App.Participants.ParticipantTables>().Contacts;
        Assert.Empty(contacts.Query<TableEntity>(e => e.PartitionKey == "email|" + Email));
        Assert.Single(contacts.Query<TableEntity>(e => e.PartitionKey == "email|zofia@example.org"));
    }

    [Fact]
    public void Anonymise_DropsTaskReasons_AndKeepsTheAgeAtJoiningNotTheBirthDate()
    {
        var participant = new Askel.App.Participants.Participant
        {
            PartitionKey = "demo", RowKey = "abc", FirstName = FirstName, LastName = LastName, Email = Email, Phone = Phone[0],
            EmailStateSource = "sendgrid bounce", EnrolledAt = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero),
            TaskOutcomes = """{"exit-task":{"outcome":"moved-away","reason":"Moved to Tampere with Mervi","by":"coordinator@askel.local"}}""",
            Reported = """{"gender":"woman","birthDate":"1997-11-24","labourStatus":"unemployed"}""",
        };

        ParticipantRecords.Anonymise(participant, participant.EnrolledAt);

        Assert.Equal(("", "", null, null, null), (participant.FirstName, participant.LastName, participant.Email, participant.Phone, participant.EmailStateSource));
        Assert.DoesNotContain("Mervi", participant.TaskOutcomes, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"moved-away\"", participant.TaskOutcomes, StringComparison.Ordinal);
        Assert.Contains("\"birthDate\":\"1998-11-23\"", participant.Reported, StringComparison.Ordinal); // 28 at joining, a day short of 29: still 28
        Assert.Contains("\"gender\":\"woman\"", participant.Reported, StringComparison.Ordinal);
        Assert.Equal(participant.EnrolledAt, participant.ErasedAt);
    }

    [Fact]
    public async Task PrivacyDocument_ListsEveryTableTheAppKeeps()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        await LiveParticipantAsync(client);
        var document = await File.ReadAllTextAsync(Repository.Path("docs", "PRIVACY.md"));

        var tables = await AppTables.NamesAsync(App.Services.GetRequiredService<TableServiceClient>(), Factory.StoragePrefix);

        Assert.True(tables.Contains("participants") && tables.Contains("History"), "the app's tables: " + string.Join(", ", tables));
        foreach (var table in tables)
        {
            var entry = table is "Instances" or "History" or "Partitions" ? $"| `<hub>{table}` |" : $"| `{table}` |";
            Assert.True(document.Contains(entry, StringComparison.Ordinal), $"docs/PRIVACY.md has no row for the table '{table}' (add '{entry} …': what it holds, retention, export, erasure)");
        }
    }

    // Enrolled with both contacts, the entry form filled in together, a coaching session, marked as left, and the exit
    // form's free-text page typed but not sent (a draft); the exit message with its link has gone out.
    private async Task<string> LiveParticipantAsync(HttpClient client)
    {
        var id = await CoordinatorBrowser.EnrolAsync(client, FirstName, LastName, Email, "040 765 4321");
        await App.Services.SettleAsync();
        var basePath = $"/coordinator/projects/demo/participants/{id}";
        var entry = basePath + "/forms/esf-entry";
        await FormPageAsync(client, entry, "about-you", "next", ("q.gender", "woman"), ("q.birthDate.day", "5"), ("q.birthDate.month", "6"), ("q.birthDate.year", "1990"));
        await FormPageAsync(client, entry, "work", "next", ("q.labourStatus", "employed"));
        await FormPageAsync(client, entry, "education", "next", ("q.education", "vocational"));
        await FormPageAsync(client, entry, "background", "next", ("q.citizenship", "non-eu"));
        await FormPageAsync(client, entry, "consent", "send", ("q.privacy", "yes"));
        using (var session = await CoordinatorBrowser.PostAsync(client, basePath, basePath + "/sessions", ("date", "2026-11-20"), ("minutes", "45"), ("kind", "individual")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, session.StatusCode);
        }

        using (var call = await CoordinatorBrowser.PostAsync(client, basePath, basePath + "/attempts", ("kind", "phone"), ("outcome", "no-answer")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, call.StatusCode);
        }

        using (var corrected = await CoordinatorBrowser.PostAsync(client, basePath, basePath + "/details",
            ("firstName", FirstName), ("lastName", LastName), ("language", "fi"), ("email", Email), ("phone", "+358 40 765 4321 ")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, corrected.StatusCode); // the same details: nothing to correct
        }

        using (var corrected = await CoordinatorBrowser.PostAsync(client, basePath, basePath + "/details",
            ("firstName", FirstName), ("lastName", "Quixwel"), ("language", "en"), ("email", Email), ("phone", "040 765 4321")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, corrected.StatusCode);
        }

        using (var back = await CoordinatorBrowser.PostAsync(client, basePath, basePath + "/details",
            ("firstName", FirstName), ("lastName", LastName), ("language", "fi"), ("email", Email), ("phone", "040 765 4321")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, back.StatusCode); // a typo corrected back: both corrections kept, with old and new values
        }

        using (var consent = await CoordinatorBrowser.PostAsync(client, basePath, basePath + "/consents",
            ("consent-scope", "share-kela"), ("consent-basis", "consent"), ("givenOn", "2026-11-20"), ("consent-medium", "paper"), ("formVersion", "Suostumus v2")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, consent.StatusCode);
        }

        using (var left = await CoordinatorBrowser.PostAsync(client, basePath, basePath + "/left", ("leftOn", "2026-11-23")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, left.StatusCode);
        }

        await App.Services.SettleAsync();
        var exit = basePath + "/forms/esf-exit";
        await FormPageAsync(client, exit, "now", "next", ("q.working", "no"), ("q.jobSearching", "yes"), ("q.studying", "no"), ("q.qualification", "no"));
        await FormPageAsync(client, exit, "feedback", "back", ("q.feedback", FreeText));
        return id;
    }

    private static async Task FormPageAsync(HttpClient client, string form, string page, string action, params (string Name, string Value)[] fields)
    {
        using var response = await CoordinatorBrowser.PostAsync(client, $"{form}?page={page}", form, [("page", page), ("action", action), .. fields]);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
    }

    // Every table of this app whose rows mention the participant (in a key or a text column), by the name after the prefix, with the row count.
    private async Task<Dictionary<string, int>> TablesHoldingAsync(string participantId) =>
        (await RowsContainingAsync([participantId])).GroupBy(r => r.Table, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    // (table, row) of every row of this app's tables with any of the values in a key or a text column.
    private Task<List<(string Table, string Row)>> RowsContainingAsync(string[] values) =>
        AppTables.RowsContainingAsync(App.Services.GetRequiredService<TableServiceClient>(), Factory.StoragePrefix, values, StringComparison.OrdinalIgnoreCase);

    private static bool HasContent(JsonElement section) => section.ValueKind switch
    {
        JsonValueKind.Array => section.GetArrayLength() > 0,
        JsonValueKind.Object => section.EnumerateObject().Any(p => HasContent(p.Value) || p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number),
        _ => false,
    };

    private static Dictionary<string, long> Flatten(SortedDictionary<string, IReadOnlyDictionary<string, long>> months) =>
        months.SelectMany(m => m.Value.Select(c => (Key: $"{m.Key}:{c.Key}", c.Value))).ToDictionary(c => c.Key, c => c.Value);
}
