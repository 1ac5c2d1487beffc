using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Askel.App.Hosting;
using Askel.App.Messaging;
using Askel.App.Messaging.Sms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Askel.App.Tests.Messaging.Sms;

/// <summary>The SMS providers against a local stand-in for Twilio's Messages API and an operator gateway: exact requests, and what each answer means.</summary>
public sealed class SmsProviderTests : IAsyncLifetime
{
    private const string MessageId = "demo.p-1.3.a1";
    private const string Number = "+358401234567";
    private static readonly OutgoingMessage Message = new("sms", Number, null, "Hei Aino! Vastaa kyselyyn: https://askel.example.org/f/abc", "fi");

    private readonly FakeProvider _server = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => _server.StartAsync();

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private TwilioSmsProvider Twilio() => new(
        new Clients(),
        Options.Create(new TwilioOptions { AccountSid = "AC0123456789abcdef", AuthToken = "secret-token", From = "Askel", BaseUrl = _server.Address }),
        Options.Create(new AskelOptions { PublicBaseUrl = new Uri("https://askel.example.org/") }),
        _time);

    private HttpGatewaySmsProvider Gateway() => new(
        new Clients(),
        Options.Create(new SmsGatewayOptions { Url = _server.Address + "/v1/sms", ApiKey = "gw-key", From = "Askel", WebhookSecret = "hook" }),
        _time);

    [Fact]
    public async Task Twilio_PostsTheDocumentedRequest_And201IsAccepted()
    {
        _server.Answer(HttpStatusCode.Created, """{"sid":"SM123","status":"queued"}""");

        var result = await Twilio().SendAsync(MessageId, Message, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Accepted, result.Outcome);
        Assert.Equal("SM123", result.ProviderMessageId);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/2010-04-01/Accounts/AC0123456789abcdef/Messages.json", request.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("AC0123456789abcdef:secret-token")), request.Authorization);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType, StringComparison.Ordinal);
        var form = new FormReader(request.Body).ReadForm();
        Assert.Equal(["Body", "From", "StatusCallback", "To"], form.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Number, form["To"].ToString());
        Assert.Equal("Askel", form["From"].ToString());
        Assert.Equal(Message.Text, form["Body"].ToString());
        Assert.Equal("https://askel.example.org/api/webhooks/sms/twilio/status?id=demo.p-1.3.a1", form["StatusCallback"].ToString());
    }

    [Fact]
    public async Task Twilio_InvalidNumber_IsPermanent_AfterExactlyOneRequest()
    {
        _server.Answer(HttpStatusCode.BadRequest, """{"code":21211,"message":"The 'To' number +358401234567 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}""");

        var result = await Twilio().SendAsync(MessageId, Message, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Permanent, result.Outcome);
        Assert.Equal("invalid number (21211)", result.Reason);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Twilio_OtherRefusal_IsPermanent_WithTwiliosMessageButNoNumber()
    {
        _server.Answer(HttpStatusCode.BadRequest, """{"code":21610,"message":"Attempt to send to unsubscribed recipient +358 40 123 4567","status":400}""");

        var result = await Twilio().SendAsync(MessageId, Message, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Permanent, result.Outcome);
        Assert.Contains("Attempt to send to unsubscribed recipient", result.Reason, StringComparison.Ordinal);
        Assert.Contains("21610", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("4567", result.Reason, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Twilio_TooManyRequests_IsTransient_WithTheAskedWait()
    {
        _server.Answer(HttpStatusCode.TooManyRequests, """{"code":20429,"message":"Too Many Requests"}""", retryAfter: "30");

        var result = await Twilio().SendAsync(MessageId, Message, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Transient, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(30), result.RetryAfter);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Twilio_ServerError_IsTransient()
    {
        _server.Answer(HttpStatusCode.ServiceUnavailable, "");

        var result = await Twilio().SendAsync(MessageId, Message, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Transient, result.Outcome);
        Assert.Null(result.RetryAfter);
    }

    [Fact]
    public async Task Gateway_PostsJsonWithBearerKey_And2xxIsAcceptedWithItsId()
    {
        _server.Answer(HttpStatusCode.Accepted, """{"id":"gw-42"}""");

        var result = await Gateway().SendAsync(MessageId, Message, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Accepted, result.Outcome);
        Assert.Equal("gw-42", result.ProviderMessageId);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/sms", request.Path);
        Assert.Equal("Bearer gw-key", request.Authorization);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        var json = Assert.IsType<JsonObject>(JsonNode.Parse(request.Body));
        Assert.Equal(["from", "reference", "text", "to"], json.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(Number, json["to"]!.GetValue<string>());
        Assert.Equal("Askel", json["from"]!.GetValue<string>());
        Assert.Equal(Message.Text, json["text"]!.GetValue<string>());
        Assert.Equal(MessageId, json["reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task Gateway_RefusalIsPermanent_AndTooManyRequestsTransient()
    {
        _server.Answer(HttpStatusCode.BadRequest, """{"error":"number +358401234567 is not valid"}""");
        var refused = await Gateway().SendAsync(MessageId, Message, CancellationToken.None);
        _server.Answer(HttpStatusCode.TooManyRequests, "", retryAfter: "12");
        var busy = await Gateway().SendAsync(MessageId, Message, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Permanent, refused.Outcome);
        Assert.DoesNotContain("358", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(DeliveryOutcome.Transient, busy.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(12), busy.RetryAfter);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Gateway_UnreachableServerThrowsHttpRequestException_WhichTheSenderCountsAsTransient()
    {
        var address = _server.Address;
        await _server.DisposeAsync();
        var gateway = new HttpGatewaySmsProvider(new Clients(), Options.Create(new SmsGatewayOptions { Url = address + "/v1/sms", ApiKey = "k", From = "Askel" }), _time);

        await Assert.ThrowsAsync<HttpRequestException>(() => gateway.SendAsync(MessageId, Message, CancellationToken.None));
    }

    [Fact]
    public void Settings_AreCheckedOnlyForTheSelectedProvider()
    {
        var none = new TwilioOptions();
        var noGateway = new SmsGatewayOptions();

        Assert.Null(SmsSetup.SettingsProblem("outbox", none, noGateway));
        Assert.Contains("Askel__Twilio__AccountSid", SmsSetup.SettingsProblem("twilio", none, noGateway), StringComparison.Ordinal);
        Assert.Contains("Askel__Twilio__AuthToken", SmsSetup.SettingsProblem("twilio", new TwilioOptions { AccountSid = "AC1" }, noGateway), StringComparison.Ordinal);
        Assert.Contains("Askel__Twilio__From", SmsSetup.SettingsProblem("twilio", new TwilioOptions { AccountSid = "AC1", AuthToken = "t" }, noGateway), StringComparison.Ordinal);
        Assert.Null(SmsSetup.SettingsProblem("twilio", new TwilioOptions { AccountSid = "AC1", AuthToken = "t", From = "Askel" }, noGateway));
        Assert.Contains("Askel__SmsGateway__Url", SmsSetup.SettingsProblem("gateway", none, noGateway), StringComparison.Ordinal);
        Assert.Contains("Askel__SmsGateway__WebhookSecret", SmsSetup.SettingsProblem("gateway", none, new SmsGatewayOptions { Url = "https://gw.example/sms", ApiKey = "k", From = "Askel" }), StringComparison.Ordinal);
    }

    private sealed class Clients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new() { Timeout = TimeSpan.FromSeconds(30) };
    }

    private sealed record Recorded(string Method, string Path, string? Authorization, string? ContentType, string Body);

    /// <summary>A provider stand-in on 127.0.0.1 (Kestrel, port 0): records each request and gives the answer set up last.</summary>
    private sealed class FakeProvider : IAsyncDisposable
    {
        private WebApplication? _app;
        private (HttpStatusCode Status, string Body, string? RetryAfter) _answer = (HttpStatusCode.InternalServerError, "", null);

        public List<Recorded> Requests { get; } = [];

        public string Address { get; private set; } = "";

        public void Answer(HttpStatusCode status, string body, string? retryAfter = null) => _answer = (status, body, retryAfter);

        public async Task StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            _app = builder.Build();
            _app.Run(async context =>
            {
                using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync(context.RequestAborted);
                lock (Requests)
                {
                    Requests.Add(new Recorded(context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.ToString(), context.Request.ContentType, body));
                }

                var (status, answer, retryAfter) = _answer;
                context.Response.StatusCode = (int)status;
                if (retryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = retryAfter;
                }

                if (answer.Length > 0)
                {
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(answer, context.RequestAborted);
                }
            });
            await _app.StartAsync();
            Address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                var app = _app;
                _app = null;
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }
}
