using System.Net;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Security;

/// <summary>The request limits on the pages and webhooks anyone may reach, with low limits, on the app's virtual clock.</summary>
public sealed class RateLimitTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AskelAppFactory _app = null!;
    private HttpClient _client = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _app = new AskelAppFactory(output, (await Azurite.AccountAsync()).ConnectionString)
        {
            Settings = new Dictionary<string, string?>
            {
                ["Askel:RateLimits:FormPostsPerMinute"] = "2",
                ["Askel:RateLimits:LinkOpensPerMinute"] = "3",
                ["Askel:RateLimits:WebhookCallsPerMinute"] = "2",
            },
        };
        _client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await _app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            _app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!, new Enrolment("Aino", "Virtanen", "fi", null, "040 123 4567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
        _token = Forms.FormLinkTokens.InIntakeSms(_app.DataPath);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AFormPostOverTheLimit_Gets429_WithWhatWasTypedShownAndNothingSaved_AndGoesThroughAMinuteLater()
    {
        using var first = await PostAsync("about-you", ("q.gender", "woman"), ("q.birthDate.day", "5"), ("q.birthDate.month", "6"), ("q.birthDate.year", "1990"));
        using var second = await PostAsync("work", ("q.labourStatus", "employed"));
        using var third = await PostAsync("education", ("q.education", "vocational"));
        var page = await third.Content.ReadAsStringAsync();
        var draft = await _app.Services.GetRequiredService<Askel.App.Forms.FormResponses>().DraftAsync(await ParticipantIdAsync(), "esf-entry", CancellationToken.None);

        Assert.Equal((HttpStatusCode.SeeOther, HttpStatusCode.SeeOther), (first.StatusCode, second.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(1), third.Headers.RetryAfter!.Delta); // the clock stands at the start of a minute
        Assert.Contains("Odota minuutti ja yritä sitten uudelleen", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains("value=\"vocational\" checked", page, StringComparison.Ordinal);
        Assert.DoesNotContain("vocational", draft.Raw.ToJson(), StringComparison.Ordinal);

        _app.Time.Advance(TimeSpan.FromMinutes(1));
        using var again = await PostAsync("education", ("q.education", "vocational"));
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
    }

    [Fact]
    public async Task ALinkOpenedTooOften_Gets429InTheParticipantsLanguage()
    {
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await _client.GetAsync($"/f/{_token}?lang=en");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await _client.GetAsync($"/f/{_token}?lang=en");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("Wait a minute, then open the link again.", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    [Fact]
    public async Task AWebhookSourceOverTheLimit_Gets429()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await _client.PostAsync("/api/webhooks/sms/gateway/status", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(2));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[2]);
    }

    private async Task<string> ParticipantIdAsync() =>
        (await _app.Services.GetRequiredService<Askel.App.Forms.FormLinks>().ResolveAsync(_token, CancellationToken.None)).ParticipantId;

    private Task<HttpResponseMessage> PostAsync(string page, params (string Name, string Value)[] fields) =>
        _client.PostAsync($"/f/{_token}", new FormUrlEncodedContent([KeyValuePair.Create("page", page), KeyValuePair.Create("action", "next"), .. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))]));
}
