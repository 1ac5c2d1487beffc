using System.Net;
using System.Text.RegularExpressions;
using Askel.App.Audit;
using Askel.App.Guidance;
using Askel.App.Summaries;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Askel.App.Tests.Coordinator.CoordinatorBrowser;

namespace Askel.App.Tests.Guidance;

/// <summary>
/// Logging an anonymous guidance contact: one screen, recorded once however often it is posted, audited, counted in the
/// month's summary, refused with the reason by field, and only in the coordinator's own projects.
/// </summary>
public sealed partial class GuidancePageTests(ITestOutputHelper output) : Coordinator.LocalSignInTest(output)
{
    private const string Path = "/coordinator/projects/demo/guidance";

    [Fact]
    public async Task AContactPostedTwice_IsRecordedOnce_Audited_AndCountedInItsMonth()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var form = await FormAsync(client, Path);

        using var first = await client.PostAsync(Path, Fields(form, ("channel", "pop-up"), ("topic", "housing"), ("language", "ar"), ("gender", "man")));
        using var second = await client.PostAsync(Path, Fields(form, ("channel", "pop-up"), ("topic", "housing"), ("language", "ar"), ("gender", "man")));

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
        var next = await client.GetStringAsync(first.Headers.Location);
        Assert.Contains("Tallennettu: Pop up -piste · Asuminen.", next, StringComparison.Ordinal);
        Assert.DoesNotContain(form.Key, next, StringComparison.Ordinal); // the next contact gets a key of its own

        var contact = Assert.Single(await ToListAsync(App.Services.GetRequiredService<GuidanceTally>().OfProjectAsync("demo", CancellationToken.None)));
        Assert.Equal(("pop-up", "housing", "ar", null, "man", "coordinator@askel.local"), (contact.Channel, contact.Topic, contact.Language, contact.AgeGroup, contact.Gender, contact.Coordinator));
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", null, 10, CancellationToken.None);
        Assert.Single(audit, a => a.Action == "record-guidance");

        var month = (await App.Services.GetRequiredService<SummaryStore>().MonthsAsync("demo", CancellationToken.None))[form.Date[..7]];
        Assert.Equal(1, month[SummaryKeys.GuidanceContacts]);
        Assert.Equal(1, month[SummaryKeys.Guidance("channel", "pop-up")]);
        Assert.Equal(1, month[SummaryKeys.Guidance("age", "unknown")]);
        Assert.Equal(1, month[SummaryKeys.Guidance("gender", "man")]);
    }

    [Fact]
    public async Task AnEntryWithProblems_IsShownAgainWithThem_AndNothingIsRecorded()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var form = await FormAsync(client, Path + "?lang=en");

        using var refused = await client.PostAsync(Path, Fields(form, ("lang", "en"), ("date", "2099-01-01"), ("channel", "phone"), ("topic", "<script>alert(1)</script>"), ("language", "fi")));
        var page = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Give a date from today back to 62 days ago.", page, StringComparison.Ordinal);
        Assert.Contains("Choose what the guidance was about.", page, StringComparison.Ordinal);
        Assert.Contains("href=\"#topic\"", page, StringComparison.Ordinal);
        Assert.Matches("id=\"channel-phone\" name=\"channel\" value=\"phone\" checked", page); // what was right stays chosen
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.Empty(await ToListAsync(App.Services.GetRequiredService<GuidanceTally>().OfProjectAsync("demo", CancellationToken.None)));
    }

    [Fact]
    public async Task AProjectTheCoordinatorDoesNotCoordinate_IsNotFound_ForTheFormAndThePost()
    {
        using var client = await SignInAsync("coach@askel.local"); // demo-eura only

        using var page = await client.GetAsync(Path);
        using var post = await PostAsync(client, "/coordinator/projects/demo-eura/guidance", Path, ("channel", "phone"), ("topic", "work"), ("language", "fi"), ("date", "2026-12-01"));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Empty(await ToListAsync(App.Services.GetRequiredService<GuidanceTally>().OfProjectAsync("demo", CancellationToken.None)));
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    private static async Task<(string Token, string Key, string Date)> FormAsync(HttpClient client, string path)
    {
        var page = await client.GetStringAsync(path);
        return (WebUtility.HtmlDecode(TokenField().Match(page).Groups[1].Value), KeyField().Match(page).Groups[1].Value, DateField().Match(page).Groups[1].Value);
    }

    private static FormUrlEncodedContent Fields((string Token, string Key, string Date) form, params (string Name, string Value)[] answers)
    {
        var fields = new Dictionary<string, string> { ["__af"] = form.Token, ["key"] = form.Key, ["date"] = form.Date };
        foreach (var (name, value) in answers)
        {
            fields[name] = value;
        }

        return new FormUrlEncodedContent(fields);
    }

    [GeneratedRegex("name=\"key\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex KeyField();

    [GeneratedRegex("name=\"date\" value=\"([0-9-]{10})\"")]
    private static partial Regex DateField();
}
