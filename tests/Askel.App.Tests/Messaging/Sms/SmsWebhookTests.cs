using System.Net;
using System.Security.Cryptography;
using System.Text;
using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Messaging.Sms;

/// <summary>
/// Twilio's and the gateway's callbacks through the real app: signed delivery reports and stop words change the
/// participant's SMS channel; an unsigned or wrongly signed call changes nothing. Signatures are computed here the
/// way the providers document them.
/// </summary>
public sealed class SmsWebhookTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string PublicBase = "https://askel.example.org/";
    private const string AuthToken = "twilio-auth-token";
    private const string GatewaySecret = "gateway-webhook-secret";
    private const string Number = "+358401234567";

    private AskelAppFactory _factory = null!;
    private WebApplicationFactory<Program> _app = null!;
    private HttpClient _client = null!;
    private Participant _participant = null!;

    public async Task InitializeAsync()
    {
        _factory = await AskelAppFactory.CreateAsync(output);
        _app = _factory.WithWebHostBuilder(b => b
            .UseSetting("Askel:PublicBaseUrl", PublicBase)
            .UseSetting("Askel:Twilio:AuthToken", AuthToken)
            .UseSetting("Askel:SmsGateway:WebhookSecret", GatewaySecret));
        _client = _app.CreateClient();
        _participant = await _app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            _app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", Number, IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }

    private string Outbox => Path.Combine(_factory.DataPath, "outbox");

    private string IntakeSmsId()
    {
        var sms = Path.GetFileName(Assert.Single(Directory.GetFiles(Outbox, "*.sms.json")));
        return sms[..^".sms.json".Length];
    }

    private async Task<Participant> ReloadAsync() =>
        (await _app.Services.GetRequiredService<ParticipantService>().FindAsync("demo", _participant.Id, CancellationToken.None))!;

    /// <summary>Twilio's documented scheme: the full URL, then each POST parameter's name and value sorted by name; HMAC-SHA1 with the auth token; base64.</summary>
    private static string TwilioSign(string token, string url, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var data = url + string.Concat(parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + p.Value));
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(token));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(data)));
    }

    private Task<HttpResponseMessage> PostTwilioAsync(string pathAndQuery, IReadOnlyList<KeyValuePair<string, string>> parameters, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new FormUrlEncodedContent(parameters) };
        request.Headers.Add("X-Twilio-Signature", signature ?? TwilioSign(AuthToken, PublicBase.TrimEnd('/') + pathAndQuery, parameters));
        return _client.SendAsync(request);
    }

    /// <summary>Posts as the gateway does: the hex HMAC-SHA256 of "{timestamp}.{body}" with the secret, and the Unix timestamp, signed <paramref name="age"/> ago.</summary>
    private Task<HttpResponseMessage> PostGatewayAsync(string path, string json, string secret = GatewaySecret, TimeSpan age = default, bool bodyOnly = false)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var timestamp = (_factory.Time.GetUtcNow() - age).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Askel-Timestamp", timestamp);
        request.Headers.Add("X-Askel-Signature", Convert.ToHexStringLower(hmac.ComputeHash(bodyOnly ? body : [.. Encoding.UTF8.GetBytes(timestamp + "."), .. body])));
        return _client.SendAsync(request);
    }

    private static List<KeyValuePair<string, string>> StatusParameters(string status, string? errorCode) =>
    [
        new("AccountSid", "AC0123456789abcdef"),
        new("ApiVersion", "2010-04-01"),
        new("From", "Askel"),
        new("MessageSid", "SM0123456789abcdef"),
        new("MessageStatus", status),
        new("SmsSid", "SM0123456789abcdef"),
        new("SmsStatus", status),
        new("To", Number),
        .. errorCode is null ? Array.Empty<KeyValuePair<string, string>>() : [new("ErrorCode", errorCode)],
    ];

    [Fact]
    public async Task TwilioUndeliveredToAnInvalidNumber_MarksTheNumberInvalid_AndTheLinkGoesOutByEmail()
    {
        var messageId = IntakeSmsId();

        using var response = await PostTwilioAsync($"/api/webhooks/sms/twilio/status?id={Uri.EscapeDataString(messageId)}", StatusParameters("undelivered", "30005"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ContactChannels.Invalid, (await ReloadAsync()).SmsState);
        var logged = await _app.Services.GetRequiredService<MessageLog>().FindAsync(messageId, CancellationToken.None);
        Assert.Equal("failed", logged!.Status);
        Assert.Equal("invalid number (30005)", logged.Reason);
        await _app.Services.SettleAsync();
        var email = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Outbox, "*.eml")));
        Assert.Contains("/f/", email, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwilioStatusWithABadOrMissingSignature_Is401_AndChangesNothing()
    {
        var messageId = IntakeSmsId();
        var path = $"/api/webhooks/sms/twilio/status?id={Uri.EscapeDataString(messageId)}";
        var parameters = StatusParameters("undelivered", "30005");

        using var wrongToken = await PostTwilioAsync(path, parameters, TwilioSign("another-token", PublicBase.TrimEnd('/') + path, parameters));
        using var wrongUrl = await PostTwilioAsync(path, parameters, TwilioSign(AuthToken, "https://evil.example.org" + path, parameters));
        using var missing = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(parameters) };
        using var unsigned = await _client.SendAsync(missing);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongUrl.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Null((await ReloadAsync()).SmsState);
        Assert.Equal("sent", (await _app.Services.GetRequiredService<MessageLog>().FindAsync(messageId, CancellationToken.None))!.Status);
        Assert.Empty(Directory.GetFiles(Outbox, "*.eml"));
    }

    [Fact]
    public async Task TwilioOtherFailure_IsNotPermanent_AndDeliveredOnlyUpdatesTheLog()
    {
        var messageId = IntakeSmsId();
        var path = $"/api/webhooks/sms/twilio/status?id={Uri.EscapeDataString(messageId)}";

        using var delivered = await PostTwilioAsync(path, StatusParameters("delivered", null));
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal("delivered", (await _app.Services.GetRequiredService<MessageLog>().FindAsync(messageId, CancellationToken.None))!.Status);

        using var failed = await PostTwilioAsync(path, StatusParameters("failed", "30008"));
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        var logged = await _app.Services.GetRequiredService<MessageLog>().FindAsync(messageId, CancellationToken.None);
        Assert.Equal("failed", logged!.Status);
        Assert.Equal("twilio: failed (30008)", logged.Reason);
        Assert.Null((await ReloadAsync()).SmsState);
    }

    [Fact]
    public async Task TwilioStatusForAnUnknownMessage_Is200()
    {
        using var response = await PostTwilioAsync("/api/webhooks/sms/twilio/status?id=demo.nobody.1.a1", StatusParameters("undelivered", "30005"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null((await ReloadAsync()).SmsState);
    }

    [Fact]
    public async Task TwilioInboundStopWord_OptsTheNumberOut_AndAnswersEmptyTwiml()
    {
        List<KeyValuePair<string, string>> other = [new("AccountSid", "AC0123456789abcdef"), new("Body", "Kiitos!"), new("From", Number), new("MessageSid", "SM1"), new("To", "Askel")];
        using var chat = await PostTwilioAsync("/api/webhooks/sms/twilio/inbound", other);
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Null((await ReloadAsync()).SmsState);

        List<KeyValuePair<string, string>> stop = [new("AccountSid", "AC0123456789abcdef"), new("Body", "  lopeta \n"), new("From", Number), new("MessageSid", "SM2"), new("To", "Askel")];
        using var response = await PostTwilioAsync("/api/webhooks/sms/twilio/inbound", stop);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("<Response/>", await response.Content.ReadAsStringAsync());
        var participant = await ReloadAsync();
        Assert.Equal(ContactChannels.OptedOut, participant.SmsState);
        Assert.Equal("sms STOP", participant.SmsStateSource);
    }

    [Fact]
    public async Task TwilioInboundReplayed_IsAppliedOnce_AndOneWithoutAMessageSidIsRefused()
    {
        List<KeyValuePair<string, string>> stop = [new("AccountSid", "AC0123456789abcdef"), new("Body", "STOP"), new("From", Number), new("MessageSid", "SM0123456789abcdef"), new("To", "Askel")];
        using var first = await PostTwilioAsync("/api/webhooks/sms/twilio/inbound", stop);
        var optedOutAt = (await ReloadAsync()).SmsStateAt;
        _factory.Time.Advance(TimeSpan.FromDays(2));

        using var replay = await PostTwilioAsync("/api/webhooks/sms/twilio/inbound", stop); // captured, signed, sent again
        List<KeyValuePair<string, string>> noSid = [new("AccountSid", "AC0123456789abcdef"), new("Body", "STOP"), new("From", Number), new("To", "Askel")];
        using var withoutSid = await PostTwilioAsync("/api/webhooks/sms/twilio/inbound", noSid);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.BadRequest), (first.StatusCode, replay.StatusCode, withoutSid.StatusCode));
        Assert.Equal("<Response/>", await replay.Content.ReadAsStringAsync());
        Assert.Equal(optedOutAt, (await ReloadAsync()).SmsStateAt); // not marked again
        var participant = await ReloadAsync();
        var audit = await _app.Services.GetRequiredService<Askel.App.Audit.AuditLog>().ReadAsync("demo", participant.Id, 100, CancellationToken.None);
        Assert.Single(audit, a => a.Action == "channel-opted-out");
    }

    [Fact]
    public async Task TwilioInboundWithABadSignature_Is401_AndChangesNothing()
    {
        List<KeyValuePair<string, string>> stop = [new("Body", "STOP"), new("From", Number)];

        using var response = await PostTwilioAsync("/api/webhooks/sms/twilio/inbound", stop, "bm90IGEgc2lnbmF0dXJl");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null((await ReloadAsync()).SmsState);
    }

    [Fact]
    public async Task GatewayCallbacks_AreSignedWithTheSharedSecret()
    {
        var messageId = IntakeSmsId();
        var report = $$"""{"reference":"{{messageId}}","status":"failed","permanent":true,"reason":"unknown subscriber"}""";

        using var forged = await PostGatewayAsync("/api/webhooks/sms/gateway/status", report, "wrong-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Null((await ReloadAsync()).SmsState);

        using var unknown = await PostGatewayAsync("/api/webhooks/sms/gateway/status", """{"reference":"demo.nobody.1.a1","status":"delivered"}""");
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);

        using var response = await PostGatewayAsync("/api/webhooks/sms/gateway/status", report);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ContactChannels.Invalid, (await ReloadAsync()).SmsState);
        await _app.Services.SettleAsync();
        Assert.Single(Directory.GetFiles(Outbox, "*.eml"));
    }

    [Fact]
    public async Task GatewayCallback_SignedLongAgo_OrWithoutItsTimestamp_IsRefused()
    {
        var stop = $$"""{"from":"{{Number}}","text":"STOP"}""";

        using var replayed = await PostGatewayAsync("/api/webhooks/sms/gateway/inbound", stop, age: TimeSpan.FromMinutes(10));
        using var fromTheFuture = await PostGatewayAsync("/api/webhooks/sms/gateway/inbound", stop, age: -TimeSpan.FromMinutes(10));
        using var bodyOnly = await PostGatewayAsync("/api/webhooks/sms/gateway/inbound", stop, bodyOnly: true);

        Assert.All(new[] { replayed, fromTheFuture, bodyOnly }, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Null((await ReloadAsync()).SmsState);
        using var fresh = await PostGatewayAsync("/api/webhooks/sms/gateway/inbound", stop, age: TimeSpan.FromMinutes(4));
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(ContactChannels.OptedOut, (await ReloadAsync()).SmsState);
    }

    [Fact]
    public async Task GatewayInboundStopWord_OptsTheNumberOut()
    {
        using var chat = await PostGatewayAsync("/api/webhooks/sms/gateway/inbound", $$"""{"from":"{{Number}}","text":"stop please"}""");
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Null((await ReloadAsync()).SmsState);

        using var forged = await PostGatewayAsync("/api/webhooks/sms/gateway/inbound", $$"""{"from":"{{Number}}","text":"STOP"}""", "wrong-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Null((await ReloadAsync()).SmsState);

        using var stop = await PostGatewayAsync("/api/webhooks/sms/gateway/inbound", $$"""{"from":"{{Number}}","text":"Sluta"}""");
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Equal(ContactChannels.OptedOut, (await ReloadAsync()).SmsState);
    }

    [Fact]
    public async Task SelectingTwilioWithoutItsSettings_StopsTheStart_NamingTheSetting()
    {
        await using var twilio = _factory.WithWebHostBuilder(b => b.UseSetting("Askel:Messaging:Sms", "twilio"));

        Assert.ThrowsAny<Exception>(() => twilio.CreateClient());

        Assert.Contains(_factory.Logs.Lines, line => line.Contains("Askel__Twilio__AccountSid is not set", StringComparison.Ordinal));
    }
}
