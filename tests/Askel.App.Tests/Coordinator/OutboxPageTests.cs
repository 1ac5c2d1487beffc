using System.Net;
using Askel.App.Participants;
using Askel.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Askel.App.Tests.Coordinator.CoordinatorBrowser;

namespace Askel.App.Tests.Coordinator;

/// <summary>The development outbox page and the channel states on the timeline, through the local sign-in, against Azurite.</summary>
public sealed class OutboxPageTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    [Fact]
    public async Task SignedInLocally_TheOutboxListsTheIntakeSms_WithItsTextAndLink_AndSkipsBrokenFiles()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var id = await EnrolAsync(client, "Olena", "Koval", email: "olena@example.org", phone: "040 123 4567");
        await App.Services.SettleAsync();
        var folder = Path.Combine(Factory.DataPath, "outbox");
        await File.WriteAllTextAsync(Path.Combine(folder, $"demo.{id}.broken.sms.json"), "{ not json");
        await File.WriteAllTextAsync(Path.Combine(folder, $"demo.{id}.partial.sms.json.tmp"), "{\"channel\":\"sms\",\"to\":\"+358400000000\",\"text\":\"half-written\"}");
        await File.WriteAllTextAsync(Path.Combine(folder, "demo.x.1.a1.sms.json"),
            "{\"effectId\":\"demo.x.1.a1\",\"writtenAt\":\"2026-11-23T08:00:00+00:00\",\"channel\":\"sms\",\"to\":\"+358409999999\",\"language\":\"fi\",\"text\":\"<script>alert(1)</script>\"}");

        var home = await client.GetStringAsync("/coordinator?lang=en");
        var homeFi = WebUtility.HtmlDecode(await client.GetStringAsync("/coordinator"));
        using var response = await client.GetAsync("/coordinator/outbox?lang=en");
        var raw = await response.Content.ReadAsStringAsync();
        var page = WebUtility.HtmlDecode(raw);
        var filtered = WebUtility.HtmlDecode(await client.GetStringAsync($"/coordinator/outbox?instance=demo.{id}"));
        var none = WebUtility.HtmlDecode(await client.GetStringAsync("/coordinator/outbox?instance=nobody."));

        Assert.Contains("href=\"/coordinator/outbox?lang=en\"", home, StringComparison.Ordinal);
        Assert.Contains("Outbox (development)", home, StringComparison.Ordinal);
        Assert.Contains("Lähtevät viestit (kehitys)", homeFi, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<article", page, StringComparison.Ordinal);
        Assert.Contains("+358401234567", page, StringComparison.Ordinal);
        Assert.Contains("Hei Olena! Tervetuloa projektiin. Täytä ensin aloituslomake: http", page, StringComparison.Ordinal);
        Assert.Matches(@"aloituslomake: http[^<\s]*/f/", page);
        Assert.Contains($"demo.{id}.", page, StringComparison.Ordinal); // the file name
        Assert.Contains(".sms.json", page, StringComparison.Ordinal);
        Assert.DoesNotContain("half-written", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", raw, StringComparison.Ordinal);

        Assert.Contains("Hei Olena! Tervetuloa projektiin.", filtered, StringComparison.Ordinal);
        Assert.DoesNotContain("alert(1)", filtered, StringComparison.Ordinal);
        Assert.DoesNotContain("Hei Olena", none, StringComparison.Ordinal);
        Assert.Contains("Ei viestejä.", none, StringComparison.Ordinal);

        // Newest first: a message written later comes before the intake SMS.
        await File.WriteAllTextAsync(Path.Combine(folder, "later.y.sms.json"),
            "{\"effectId\":\"later.y\",\"writtenAt\":\"2026-11-24T08:00:00+00:00\",\"channel\":\"sms\",\"to\":\"+358408888888\",\"language\":\"fi\",\"text\":\"Later message\"}");
        var ordered = WebUtility.HtmlDecode(await client.GetStringAsync("/coordinator/outbox"));
        Assert.True(ordered.IndexOf("Later message", StringComparison.Ordinal) < ordered.IndexOf("Hei Olena!", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACoordinatorSeesOnlyTheirOwnProjectsMessages()
    {
        using (var coordinator = await SignInAsync("coordinator@askel.local"))
        {
            await EnrolAsync(coordinator, "Olena", "Koval", email: "olena@example.org", phone: "040 123 4567");
            await App.Services.SettleAsync();
        }

        using var coach = await SignInAsync("coach@askel.local"); // coordinates demo-eura only
        var page = WebUtility.HtmlDecode(await coach.GetStringAsync("/coordinator/outbox?lang=en"));

        Assert.DoesNotContain("Olena", page, StringComparison.Ordinal);
        Assert.DoesNotContain("+358401234567", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOutbox_DecodesAnEmailsSubject_AndShowsItsBody()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var folder = Path.Combine(Factory.DataPath, "outbox");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "demo.mail.1.eml"),
            "Message-ID: <demo.mail.1@askel.local>\r\nDate: Mon, 23 Nov 2026 08:00:00 GMT\r\nTo: olena@example.org\r\n" +
            $"Subject: =?utf-8?B?{Convert.ToBase64String("Tervetuloa – äö"u8.ToArray())}?=\r\nContent-Language: fi\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nHei Olena,\r\n\r\nterve & <tervetuloa>\r\n");

        var page = await client.GetStringAsync("/coordinator/outbox?lang=en");

        Assert.Contains("Tervetuloa – äö", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.DoesNotContain("=?utf-8?B?", page, StringComparison.Ordinal);
        Assert.Contains("olena@example.org", page, StringComparison.Ordinal);
        Assert.Contains("terve &amp; &lt;tervetuloa&gt;", page, StringComparison.Ordinal); // escaped
        Assert.Contains("Hei Olena,\n\nterve & <tervetuloa>", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.DoesNotContain("Content-Transfer-Encoding", page, StringComparison.Ordinal);
        Assert.Contains("2026-11-23 10:00", page, StringComparison.Ordinal); // Helsinki time
        Assert.Contains("demo.mail.1.eml", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutLocalSignIn_TheOutboxIsNotFound_AndNotLinked()
    {
        using var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.As("coordinator@askel.local", "coordinator");

        using var outbox = await client.GetAsync("/coordinator/outbox");
        var home = await client.GetStringAsync("/coordinator");

        Assert.Equal(HttpStatusCode.NotFound, outbox.StatusCode);
        Assert.DoesNotContain("/coordinator/outbox", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTimeline_ShowsAChannelOptedOut_WithWhenAndWhy()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var id = await EnrolAsync(client, "Olena", "Koval", email: "olena@example.org", phone: "040 123 4567");
        await App.Services.SettleAsync();
        var participant = await App.Services.GetRequiredService<ParticipantService>().FindAsync("demo", id, CancellationToken.None);

        await App.Services.GetRequiredService<ContactChannels>().MarkAsync(participant!, "sms", ContactChannels.OptedOut, "sms STOP", CancellationToken.None);
        await App.Services.GetRequiredService<ContactChannels>().MarkAsync(participant!, "email", ContactChannels.Invalid, "sendgrid bounce", CancellationToken.None);
        var en = WebUtility.HtmlDecode(await client.GetStringAsync($"/coordinator/projects/demo/participants/{id}?lang=en"));
        var fi = WebUtility.HtmlDecode(await client.GetStringAsync($"/coordinator/projects/demo/participants/{id}"));

        Assert.Contains("+358401234567 — opted out 2026-11-23 10:00 (sms STOP)", en, StringComparison.Ordinal);
        Assert.Contains("olena@example.org — does not work 2026-11-23 10:00 (sendgrid bounce)", en, StringComparison.Ordinal);
        Assert.Contains("+358401234567 — kieltäytynyt viesteistä 2026-11-23 10:00 (sms STOP)", fi, StringComparison.Ordinal);
        Assert.Contains("olena@example.org — ei toimi 2026-11-23 10:00 (sendgrid bounce)", fi, StringComparison.Ordinal);
    }
}
