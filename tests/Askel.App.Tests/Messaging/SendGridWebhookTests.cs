using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Askel.App.Messaging;
using Askel.App.Messaging.Email;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Messaging;

/// <summary>SendGrid's signed event webhook: signed, fresh batches change the log and the contact; anything else changes nothing.</summary>
public sealed class SendGridWebhookTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private AskelAppFactory _factory = null!;
    private WebApplicationFactory<Program> _app = null!;
    private Participant _participant = null!;
    private string _messageId = null!;

    public async Task InitializeAsync()
    {
        _factory = await AskelAppFactory.CreateAsync(output);
        var publicKey = Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo());
        _app = _factory.WithWebHostBuilder(builder => builder.UseSetting(SendGridWebhookEndpoints.PublicKeySetting, publicKey));
        _participant = await _app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            _app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", "+358401234567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
        // The intake link goes by SMS first; the first reminder, two days later, by email.
        _factory.Time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromHours(1));
        await _app.Services.SettleAsync();

        _messageId = Path.GetFileNameWithoutExtension(Assert.Single(Directory.GetFiles(Outbox, "*.eml")));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
        _key.Dispose();
    }

    private string Outbox => Path.Combine(_factory.DataPath, "outbox");

    [Fact]
    public async Task HardBounce_MarksTheEmailInvalid_AndTheLinkGoesOutBySms()
    {
        Assert.Single(Directory.GetFiles(Outbox, "*.sms.json"));

        var response = await PostAsync(Events(("bounce", _messageId, "bounce")), _key, _factory.Time.GetUtcNow());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var participant = await FindAsync();
        Assert.Equal(ContactChannels.Invalid, participant.EmailState);
        Assert.Equal("sendgrid bounce", participant.EmailStateSource);
        Assert.Equal("bounced", (await _app.Services.GetRequiredService<MessageLog>().FindAsync(_messageId, CancellationToken.None))!.Status);
        await _app.Services.SettleAsync();
        Assert.Equal(2, Directory.GetFiles(Outbox, "*.sms.json").Length);
    }

    [Fact]
    public async Task Delivered_UpdatesTheLogOnly()
    {
        var response = await PostAsync(Events(("delivered", _messageId, null)), _key, _factory.Time.GetUtcNow());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("delivered", (await _app.Services.GetRequiredService<MessageLog>().FindAsync(_messageId, CancellationToken.None))!.Status);
        Assert.Null((await FindAsync()).EmailState);
    }

    [Fact]
    public async Task Unsubscribe_OptsTheEmailOut()
    {
        var response = await PostAsync(Events(("unsubscribe", _messageId, null)), _key, _factory.Time.GetUtcNow());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var participant = await FindAsync();
        Assert.Equal(ContactChannels.OptedOut, participant.EmailState);
        Assert.Equal("sendgrid unsubscribe", participant.EmailStateSource);
    }

    [Fact]
    public async Task BadSignature_Is401_AndChangesNothing()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var response = await PostAsync(Events(("bounce", _messageId, "bounce")), other, _factory.Time.GetUtcNow());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null((await FindAsync()).EmailState);
        Assert.Equal("sent", (await _app.Services.GetRequiredService<MessageLog>().FindAsync(_messageId, CancellationToken.None))!.Status);
        Assert.Single(Directory.GetFiles(Outbox, "*.sms.json"));
    }

    [Fact]
    public async Task TamperedBody_Is401()
    {
        var body = Events(("delivered", _messageId, null));
        var timestamp = _factory.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Sign(_key, timestamp, body);

        var response = await SendAsync(body.Replace("delivered", "bounce", StringComparison.Ordinal), timestamp, signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null((await FindAsync()).EmailState);
    }

    [Fact]
    public async Task OldTimestamp_Is401()
    {
        var response = await PostAsync(Events(("bounce", _messageId, "bounce")), _key, _factory.Time.GetUtcNow() - TimeSpan.FromMinutes(11));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null((await FindAsync()).EmailState);
    }

    [Fact]
    public async Task UnknownMessageId_Is200_AndLogged()
    {
        var response = await PostAsync(Events(("bounce", "demo.nobody.1.a1", "bounce")), _key, _factory.Time.GetUtcNow());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null((await FindAsync()).EmailState);
    }

    private async Task<Participant> FindAsync() =>
        (await _app.Services.GetRequiredService<ParticipantService>().FindAsync("demo", _participant.Id, CancellationToken.None))!;

    private static string Events(params (string Kind, string MessageId, string? Type)[] events)
    {
        var array = new JsonArray();
        foreach (var (kind, messageId, type) in events)
        {
            var item = new JsonObject
            {
                ["email"] = "aino@example.org",
                ["timestamp"] = 1795000000,
                ["event"] = kind,
                ["sg_event_id"] = Guid.NewGuid().ToString("N"),
                ["askel_message_id"] = messageId,
            };
            if (type is not null)
            {
                item["type"] = type;
                item["reason"] = "550 5.1.1 The email account that you tried to reach does not exist.";
            }

            array.Add(item);
        }

        return array.ToJsonString();
    }

    private Task<HttpResponseMessage> PostAsync(string body, ECDsa key, DateTimeOffset signedAt)
    {
        var timestamp = signedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return SendAsync(body, timestamp, Sign(key, timestamp, body));
    }

    private async Task<HttpResponseMessage> SendAsync(string body, string timestamp, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/sendgrid") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(SendGridWebhookEndpoints.TimestampHeader, timestamp);
        request.Headers.Add(SendGridWebhookEndpoints.SignatureHeader, signature);
        using var client = _app.CreateClient();
        return await client.SendAsync(request);
    }

    // As SendGrid does: ECDSA P-256 with SHA-256 over the timestamp and the body, DER-encoded, in base64.
    private static string Sign(ECDsa key, string timestamp, string body) =>
        Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(timestamp + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
}
