using System.Net;
using System.Text.Json.Nodes;
using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Forms;

/// <summary>The participant's form pages through the link in their intake message, against Azurite, on the app's virtual clock.</summary>
public sealed class ParticipantPagesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AskelAppFactory _app = null!;
    private HttpClient _client = null!;
    private Participant _participant = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _app = await AskelAppFactory.CreateAsync(output);
        _client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var project = _app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        _participant = await _app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            project, new Enrolment("Aino", "Virtanen", "fi", null, "040 123 4567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
        _token = FormLinkTokens.InIntakeSms(_app.DataPath);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task IntakeSms_CarriesOnlyTheFirstNameAndAShortLink()
    {
        var sms = Assert.Single(Directory.GetFiles(Outbox, "*.sms.json"));
        var message = JsonNode.Parse(await File.ReadAllTextAsync(sms))!;

        Assert.Equal("+358401234567", message["to"]!.GetValue<string>());
        Assert.Contains("Aino", message["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("Virtanen", message["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(22, _token.Length);
    }

    [Fact]
    public async Task Link_OpensTheEntryForm_InTheParticipantsLanguage()
    {
        var page = await _client.GetStringAsync($"/f/{_token}");

        Assert.Contains("<html lang=\"fi\" dir=\"ltr\">", page, StringComparison.Ordinal);
        Assert.Contains("name=\"q.gender\"", page, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(page) < 50 * 1024);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("short")]
    [InlineData("%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    public async Task TamperedLink_GetsAFriendlyPageInTheChosenLanguage(string token)
    {
        using var response = await _client.GetAsync($"/f/{token}?lang=ar");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidInput_KeepsEveryAnswerAndSaysWhatToFix()
    {
        using var response = await PostAsync("about-you", "next", ("q.gender", "woman"), ("q.birthDate.day", "31"), ("q.birthDate.month", "2"), ("q.birthDate.year", "1990"));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("class=\"summary\" role=\"alert\"", page, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", page, StringComparison.Ordinal);
        Assert.Matches("value=\"woman\" checked", page);
        Assert.Contains("value=\"31\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"1990\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartialAnswers_AreKeptOnTheLink()
    {
        using var next = await PostAsync("about-you", "next", ("q.gender", "man"), ("q.birthDate.day", "5"), ("q.birthDate.month", "6"), ("q.birthDate.year", "1990"));
        Assert.Equal(HttpStatusCode.SeeOther, next.StatusCode);
        Assert.Contains("page=work", next.Headers.Location!.ToString(), StringComparison.Ordinal);

        var again = await _client.GetStringAsync($"/f/{_token}?page=about-you");

        Assert.Matches("value=\"man\" checked", again);
        Assert.Contains("value=\"1990\"", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmittingTwiceAtTheSameMoment_StoresTheFormOnce_AndTheWorkflowMovesOn()
    {
        await FillEntryFormUpToConsentAsync();

        var posts = await Task.WhenAll(PostAsync("consent", "send", ("q.privacy", "yes")), PostAsync("consent", "send", ("q.privacy", "yes")));

        Assert.All(posts, p => Assert.Equal(HttpStatusCode.SeeOther, p.StatusCode));
        var tables = _app.Services.GetRequiredService<ParticipantTables>();
        var rows = tables.Responses.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == _participant.Id).ToBlockingEnumerable().ToList();
        Assert.Single(rows, r => r.RowKey == "form|esf-entry");
        var instance = await _app.Services.WorkflowStatusAsync(_participant.InstanceId);
        Assert.Equal("coaching", instance!.Step);
        var participant = await _app.Services.GetRequiredService<ParticipantService>().FindAsync("demo", _participant.Id, CancellationToken.None);
        Assert.Equal("employed", participant!.StatusAtEntry);
        var done = await _client.GetStringAsync(posts[0].Headers.Location!.ToString());
        Assert.Contains("<h1>", done, StringComparison.Ordinal);
        var reopened = await _client.GetAsync($"/f/{_token}");
        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
        Assert.DoesNotContain("name=\"q.gender\"", await reopened.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredLink_SaysHowToGetANewOne()
    {
        _app.Time.Advance(TimeSpan.FromDays(15));

        using var response = await _client.GetAsync($"/f/{_token}");

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.DoesNotContain("name=\"q.gender\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SupersededLink_NoLongerOpensTheForm_TheNewOneDoes()
    {
        var links = _app.Services.GetRequiredService<FormLinks>();
        var fresh = await links.CurrentAsync(_participant, "form:esf-entry", _app.Time.GetUtcNow().AddDays(14), replace: true, CancellationToken.None);

        using var old = await _client.GetAsync($"/f/{_token}");
        using var current = await _client.GetAsync($"/f/{fresh}");

        Assert.Equal(HttpStatusCode.Gone, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.NotEqual(_token, fresh);
    }

    [Fact]
    public async Task HugePost_IsRefusedKindly_AndTheDraftIsUnchanged()
    {
        using var first = await PostAsync("about-you", "next", ("q.gender", "woman"));
        var huge = new string('x', 400 * 1024);

        using var response = await PostAsync("about-you", "next", ("q.gender", huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Matches("value=\"woman\" checked", await _client.GetStringAsync($"/f/{_token}?page=about-you"));
    }

    [Fact]
    public async Task LongNonLatinAnswer_InAChoiceField_IsRefusedAs422_AndKept()
    {
        var arabic = new string('م', 6000); // each escaped six-fold in plain JSON

        using var response = await PostAsync("about-you", "next", ("q.gender", arabic), ("q.birthDate.day", "5"), ("q.birthDate.month", "6"), ("q.birthDate.year", "1990"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var again = await _client.GetStringAsync($"/f/{_token}?page=about-you");
        Assert.Contains("value=\"1990\"", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooLongFeedback_GetsTooLong_AndTheTypedTextIsKept()
    {
        var exit = await _app.Services.GetRequiredService<FormLinks>().CurrentAsync(_participant, "form:esf-exit", _app.Time.GetUtcNow().AddDays(28), replace: false, CancellationToken.None);
        var feedback = new string('ش', 5500); // against a limit of 1,000; each escaped six-fold in plain JSON
        var content = new FormUrlEncodedContent([
            KeyValuePair.Create("page", "feedback"), KeyValuePair.Create("action", "next"), KeyValuePair.Create("q.satisfaction", "4"), KeyValuePair.Create("q.feedback", feedback)]);

        using var response = await _client.PostAsync($"/f/{exit}", content);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("enintään 1000 merkkiä", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var again = WebUtility.HtmlDecode(await _client.GetStringAsync($"/f/{exit}?page=feedback"));
        Assert.Contains(feedback, again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswersLongerThanARowHolds_AreRefusedKindly_AndTheDraftIsUnchanged()
    {
        (await PostAsync("about-you", "next", ("q.gender", "woman"))).Dispose();
        var emoji = string.Concat(Enumerable.Repeat("😀", 5000)); // each escaped as two \uXXXX in JSON
        var body = "page=about-you&action=next" + string.Concat(Enumerable.Repeat("&q.gender=" + emoji, 12)); // raw UTF-8, under the post limit

        using var response = await _client.PostAsync($"/f/{_token}", new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Matches("value=\"woman\" checked", await _client.GetStringAsync($"/f/{_token}?page=about-you"));
    }

    [Theory]
    [InlineData("no-such-page")]
    [InlineData("")]
    public async Task UnknownPage_IsRefused_AndTheDraftIsUnchanged(string page)
    {
        (await PostAsync("about-you", "next", ("q.gender", "woman"))).Dispose();

        using var response = await PostAsync(page, "next", ("q.gender", "man"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches("value=\"woman\" checked", await _client.GetStringAsync($"/f/{_token}?page=about-you"));
    }

    [Fact]
    public async Task NonFormBody_IsRefused_AndTheDraftIsUnchanged()
    {
        (await PostAsync("about-you", "next", ("q.gender", "woman"))).Dispose();

        using var response = await _client.PostAsync($"/f/{_token}", new StringContent("""{"page":"about-you","q.gender":"man"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches("value=\"woman\" checked", await _client.GetStringAsync($"/f/{_token}?page=about-you"));
    }

    private string Outbox => Path.Combine(_app.DataPath, "outbox");

    private async Task FillEntryFormUpToConsentAsync()
    {
        (await PostAsync("about-you", "next", ("q.gender", "woman"), ("q.birthDate.day", "5"), ("q.birthDate.month", "6"), ("q.birthDate.year", "1990"))).Dispose();
        (await PostAsync("work", "next", ("q.labourStatus", "employed"))).Dispose();
        (await PostAsync("education", "next", ("q.education", "vocational"))).Dispose();
        (await PostAsync("background", "next", ("q.citizenship", "non-eu"))).Dispose();
    }

    private Task<HttpResponseMessage> PostAsync(string page, string action, params (string Name, string Value)[] fields) =>
        _client.PostAsync($"/f/{_token}", new FormUrlEncodedContent([KeyValuePair.Create("page", page), KeyValuePair.Create("action", action), .. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))]));
}
