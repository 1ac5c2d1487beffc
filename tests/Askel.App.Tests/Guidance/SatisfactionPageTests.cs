using System.Net;
using System.Text.RegularExpressions;
using Askel.App.Guidance;
using Askel.App.Projects;
using Askel.App.Summaries;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Guidance;

/// <summary>
/// The service point's one-tap satisfaction page: its link is on the guidance page, anyone may open it in the eight
/// languages, a tap is counted in the month's summary, a repeat from the same device within ten minutes counts once,
/// and anything but a score of 1–5 or a known link counts nothing.
/// </summary>
public sealed partial class SatisfactionPageTests(ITestOutputHelper output) : Coordinator.LocalSignInTest(output)
{
    [Fact]
    public async Task ATap_IsCounted_ARepeatFromTheSameDeviceWithinTenMinutesCountsOnce_AndOneLaterCountsAgain()
    {
        var path = await LinkPathAsync();
        using var device = App.CreateClient(new() { HandleCookies = true, AllowAutoRedirect = false });

        var first = await TapAsync(device, path, "4");
        Factory.Time.Advance(TimeSpan.FromMinutes(9));
        var repeat = await TapAsync(device, path, "1");
        Factory.Time.Advance(TimeSpan.FromMinutes(2));
        var later = await TapAsync(device, path, "5");
        using var otherDevice = App.CreateClient(new() { HandleCookies = true, AllowAutoRedirect = false });
        var other = await TapAsync(otherDevice, path, "3");

        Assert.Contains("Vastauksesi on laskettu.", first, StringComparison.Ordinal);
        Assert.Contains("Vastasit jo hetki sitten, joten vastaus lasketaan vain kerran.", repeat, StringComparison.Ordinal);
        Assert.Contains("Vastauksesi on laskettu.", later, StringComparison.Ordinal);
        Assert.Contains("Vastauksesi on laskettu.", other, StringComparison.Ordinal);
        var month = (await App.Services.GetRequiredService<SummaryStore>().MonthsAsync("demo", CancellationToken.None))["2026-11"];
        Assert.Equal(3, month[SummaryKeys.GuidanceSatisfactionCount]);
        Assert.Equal(12, month[SummaryKeys.GuidanceSatisfactionSum]);
        var summary = await App.Services.GetRequiredService<SummaryService>().BuildAsync(App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!, "2026-11", CancellationToken.None);
        Assert.Equal(new SatisfactionLine(4.0, 3, 4.0, 3), summary.GuidanceSatisfaction);
    }

    [Fact]
    public async Task ThePage_OpensWithoutSignIn_InEveryParticipantLanguage_RightToLeftInArabicAndPersian()
    {
        var path = await LinkPathAsync();
        using var anyone = App.CreateClient(new() { AllowAutoRedirect = false });

        foreach (var (language, dir, smiley) in new[] { ("fi", "ltr", "Tosi tyytyväinen"), ("ar", "rtl", "راضٍ جداً"), ("fa", "rtl", "خیلی راضی هستم"), ("so", "ltr", "Aad ugu qanacsan") })
        {
            var page = WebUtility.HtmlDecode(await anyone.GetStringAsync($"{path}?lang={language}"));
            Assert.Contains($"<html lang=\"{language}\" dir=\"{dir}\">", page, StringComparison.Ordinal);
            Assert.Contains(smiley, page, StringComparison.Ordinal);
            Assert.Equal(5, Regex.Matches(page, "name=\"score\" value=\"[1-5]\"").Count);
        }
    }

    [Fact]
    public async Task AnUnknownLink_OrAScoreOutside1To5_CountsNothing()
    {
        var path = await LinkPathAsync();
        using var anyone = App.CreateClient(new() { HandleCookies = true, AllowAutoRedirect = false });

        using var unknown = await anyone.GetAsync("/s/000000000000");
        using var unknownPost = await anyone.PostAsync("/s/000000000000", new FormUrlEncodedContent([KeyValuePair.Create("score", "5")]));
        using var outside = await anyone.PostAsync(path, new FormUrlEncodedContent([KeyValuePair.Create("score", "9")]));
        using var hostile = await anyone.PostAsync(path, new FormUrlEncodedContent([KeyValuePair.Create("score", "5<script>")]));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownPost.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, outside.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, hostile.StatusCode);
        Assert.DoesNotContain("<script>", await hostile.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False((await App.Services.GetRequiredService<SummaryStore>().MonthsAsync("demo", CancellationToken.None)).ContainsKey("2026-11"));
    }

    // The link as the coordinator's guidance page shows it, made from the app's secret.
    private async Task<string> LinkPathAsync()
    {
        using var coordinator = await SignInAsync("coordinator@askel.local");
        var page = await coordinator.GetStringAsync("/coordinator/projects/demo/guidance");
        var link = SatisfactionLink().Match(page);
        Assert.True(link.Success, "the guidance page shows the satisfaction link");
        Assert.Equal(link.Groups[1].Value, App.Services.GetRequiredService<SatisfactionVotes>().CodeOf(App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!));
        return "/s/" + link.Groups[1].Value;
    }

    private static async Task<string> TapAsync(HttpClient device, string path, string score)
    {
        using var response = await device.PostAsync(path, new FormUrlEncodedContent([KeyValuePair.Create("score", score), KeyValuePair.Create("lang", "fi")]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("href=\"https?://[^/\"]+/s/([0-9a-f]{12})\"")]
    private static partial Regex SatisfactionLink();
}
