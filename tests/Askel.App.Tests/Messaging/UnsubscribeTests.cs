using System.Net;
using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Tests.Forms;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Messaging;

/// <summary>The unsubscribe link at the end of every email: opening it changes nothing, its button stops the emails.</summary>
public sealed class UnsubscribeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AskelAppFactory _app = null!;
    private Participant _participant = null!;

    public async Task InitializeAsync()
    {
        _app = await AskelAppFactory.CreateAsync(output);
        // No mobile number: the intake link goes by email at once.
        _participant = await _app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            _app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Sara", "Lind", "sv", "sara@example.org", null, IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Email_EndsWithTheUnsubscribeLine_InTheParticipantsLanguage()
    {
        var email = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Path.Combine(_app.DataPath, "outbox"), "*.eml")));

        Assert.Contains("Vill du inte få de här e-posten? http://localhost:7071/f/", email, StringComparison.Ordinal);
        Assert.Equal(2, FormLinkTokens.All(email).Distinct().Count()); // the form link and the unsubscribe link
    }

    [Fact]
    public async Task Opening_ChangesNothing_OnlyTheButtonOptsOut()
    {
        var token = await UnsubscribeTokenAsync();
        using var client = _app.CreateClient();

        for (var i = 0; i < 2; i++)
        {
            var page = await client.GetAsync($"/f/{token}");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
            Assert.Contains("lang=\"sv\"", html, StringComparison.Ordinal);
            Assert.Contains("Ja, sluta skicka e-post", html, StringComparison.Ordinal);
        }

        Assert.Null((await FindAsync()).EmailState);

        var done = await client.PostAsync($"/f/{token}", new FormUrlEncodedContent(new Dictionary<string, string> { ["lang"] = "sv", ["action"] = "unsubscribe" }));

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var doneHtml = WebUtility.HtmlDecode(await done.Content.ReadAsStringAsync());
        Assert.Contains("Vi skickar inte längre e-post till dig", doneHtml, StringComparison.Ordinal);
        Assert.Contains("lang=\"sv\"", doneHtml, StringComparison.Ordinal);
        var participant = await FindAsync();
        Assert.Equal(ContactChannels.OptedOut, participant.EmailState);
        Assert.Equal("unsubscribe link", participant.EmailStateSource);
    }

    [Fact]
    public async Task DonePage_BeforeConfirming_GoesBackToTheQuestion()
    {
        var token = await UnsubscribeTokenAsync();
        using var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync($"/f/{token}/done");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Null((await FindAsync()).EmailState);
    }

    [Fact]
    public void HtmlBody_IsEncoded_WithLanguageDirectionAndLinks()
    {
        var templates = _app.Services.GetRequiredService<MessageTemplates>();
        var values = new Dictionary<string, string>
        {
            ["firstName"] = "<b>Ali</b>",
            ["link"] = "http://localhost:7071/f/AAAAAAAAAAAAAAAAAAAAAA",
            ["unsubscribe"] = "http://localhost:7071/f/BBBBBBBBBBBBBBBBBBBBBB",
        };

        var rendered = templates.RenderMessage("intake-link", "email", "ar", values);

        Assert.NotNull(rendered.Html);
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Ali&lt;/b&gt;", rendered.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Ali", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"http://localhost:7071/f/AAAAAAAAAAAAAAAAAAAAAA\">", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"http://localhost:7071/f/BBBBBBBBBBBBBBBBBBBBBB\">", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<p>", rendered.Html, StringComparison.Ordinal);
        Assert.EndsWith("http://localhost:7071/f/BBBBBBBBBBBBBBBBBBBBBB", rendered.Text, StringComparison.Ordinal);
    }

    private async Task<string> UnsubscribeTokenAsync()
    {
        var email = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Path.Combine(_app.DataPath, "outbox"), "*.eml")));
        return FormLinkTokens.Last(email);
    }

    private async Task<Participant> FindAsync() =>
        (await _app.Services.GetRequiredService<ParticipantService>().FindAsync("demo", _participant.Id, CancellationToken.None))!;
}
