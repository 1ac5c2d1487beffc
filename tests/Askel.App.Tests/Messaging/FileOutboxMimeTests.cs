using System.Text;
using Askel.App.Messaging;
using Askel.App.Tests.Messaging.Email;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Askel.App.Tests.Messaging;

/// <summary>The local outbox writes an email with attachments as a real MIME message (read back here by MimeKit, as a mail client would).</summary>
public sealed class FileOutboxMimeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("askel-outbox-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 2, 5, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task An_email_with_attachments_is_multipart_mixed_with_the_chart_related_to_the_html()
    {
        var outbox = new FileOutbox(_folder, _time);
        var sent = EmailAttachmentTests.Summary();

        await outbox.SendAsync("summary.demo.2026-10", sent, CancellationToken.None);

        var path = Path.Combine(_folder, "summary.demo.2026-10.eml");
        var mail = await MimeMessage.LoadAsync(path);
        Assert.Equal(["maija@example.org", "pekka@example.org"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("Kuukausiyhteenveto 10/2026", mail.Subject);
        Assert.Equal("<summary.demo.2026-10@askel.local>", "<" + mail.MessageId + ">");
        var mixed = Assert.IsType<Multipart>(mail.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        Assert.Equal(3, mixed.Count);
        var related = Assert.IsType<MultipartRelated>(mixed[0]);
        var alternative = Assert.IsType<MultipartAlternative>(related[0]);
        Assert.Equal("Aloittaneet 3", alternative.TextBody!.TrimEnd());
        Assert.Equal(sent.Html, alternative.HtmlBody!.TrimEnd());
        var chart = Assert.IsType<MimePart>(related[1]);
        Assert.Equal(("image/png", "chart", "inline", "chart.png"), (chart.ContentType.MimeType, chart.ContentId, chart.ContentDisposition!.Disposition, chart.FileName));
        Assert.Equal(sent.Attachments[0].Content, Content(chart));
        Assert.Same(alternative, related.Root);
        var files = mixed.Skip(1).Cast<MimePart>().ToList();
        Assert.Equal(["askel-demo-2026-10.xlsx", "askel-demo-2026-10.csv"], files.Select(f => f.FileName));
        Assert.All(files, f => Assert.True(f.IsAttachment));
        Assert.Equal(sent.Attachments[1].Content, Content(files[0]));
        Assert.Equal(sent.Attachments[2].Content, Content(files[1]));

        var read = Assert.Single(outbox.ReadRecent("summary.", 10));
        Assert.Equal(("email", "maija@example.org, pekka@example.org", "Kuukausiyhteenveto 10/2026", "Aloittaneet 3"), (read.Channel, read.To, read.Subject, read.Text));
        Assert.Equal(["chart.png", "askel-demo-2026-10.xlsx", "askel-demo-2026-10.csv"], read.Attachments);
        Assert.Equal(_time.GetUtcNow(), read.At);
    }

    [Fact]
    public async Task Writing_the_same_message_again_writes_the_same_bytes()
    {
        var outbox = new FileOutbox(_folder, _time);
        await outbox.SendAsync("summary.demo.2026-10", EmailAttachmentTests.Summary(), CancellationToken.None);
        var first = await File.ReadAllBytesAsync(Path.Combine(_folder, "summary.demo.2026-10.eml"));

        await outbox.SendAsync("summary.demo.2026-10", EmailAttachmentTests.Summary(), CancellationToken.None);

        Assert.Equal(first, await File.ReadAllBytesAsync(Path.Combine(_folder, "summary.demo.2026-10.eml")));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Files_without_html_go_beside_the_text_and_an_image_is_then_a_file_too()
    {
        var outbox = new FileOutbox(_folder, _time);
        var textOnly = new OutgoingMessage("email", "maija@example.org", "Yhteenveto", "Rivi 1\nRivi 2", "fi") { Attachments = EmailAttachmentTests.Summary().Attachments };

        await outbox.SendAsync("m-1", textOnly, CancellationToken.None);

        var mail = await MimeMessage.LoadAsync(Path.Combine(_folder, "m-1.eml"));
        var mixed = Assert.IsType<Multipart>(mail.Body);
        Assert.Equal(4, mixed.Count);
        Assert.Equal("Rivi 1\nRivi 2", Assert.IsType<TextPart>(mixed[0]).Text.ReplaceLineEndings("\n").TrimEnd());
        Assert.Equal(3, mail.Attachments.Count());
        Assert.Equal("Rivi 1\nRivi 2", Assert.Single(outbox.ReadRecent("m-", 10)).Text);
    }

    [Fact]
    public async Task A_participants_email_without_attachments_keeps_its_plain_text_format()
    {
        var outbox = new FileOutbox(_folder, _time);

        await outbox.SendAsync("p-1.3.send", new OutgoingMessage("email", "ada@example.org", "Kysely odottaa", "Hei Ada\nVastaa tästä", "fi") { Html = "<p>Hei</p>" }, CancellationToken.None);

        Assert.Equal(
            "Message-ID: <p-1.3.send@askel.local>\r\n" +
            "Date: Mon, 02 Nov 2026 05:00:00 GMT\r\n" +
            "To: ada@example.org\r\n" +
            "Subject: =?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("Kysely odottaa")) + "?=\r\n" +
            "Content-Language: fi\r\n" +
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
            "Hei Ada\r\nVastaa tästä\r\n",
            await File.ReadAllTextAsync(Path.Combine(_folder, "p-1.3.send.eml")));
        var read = Assert.Single(outbox.ReadRecent("p-1", 10));
        Assert.Equal(("ada@example.org", "Kysely odottaa", "Hei Ada\nVastaa tästä"), (read.To, read.Subject, read.Text));
        Assert.Empty(read.Attachments);
    }

    private static byte[] Content(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return stream.ToArray();
    }
}
