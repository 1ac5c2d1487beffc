using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Askel.App.Messaging.Sms;

/// <summary>A generic operator SMS gateway (section <c>Askel:SmsGateway</c>).</summary>
public sealed class SmsGatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Askel:SmsGateway";

    /// <summary>The gateway's send address.</summary>
    public string Url { get; set; } = "";

    /// <summary>The bearer key for sends (a Key Vault reference in Azure).</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The sender id or number.</summary>
    public string From { get; set; } = "";

    /// <summary>The shared secret the gateway signs its callbacks with (hex HMAC-SHA256 of <c>{timestamp}.{body}</c> in <c>X-Askel-Signature</c>, the Unix timestamp in <c>X-Askel-Timestamp</c>).</summary>
    public string WebhookSecret { get; set; } = "";
}

/// <summary>
/// Sends SMS through an operator's HTTP gateway: <c>POST {Url}</c> with JSON <c>{"to","from","text","reference"}</c>
/// and <c>Authorization: Bearer {ApiKey}</c>; the reference (Askel's message id) comes back in its status callbacks.
/// </summary>
public sealed class HttpGatewaySmsProvider(IHttpClientFactory clients, IOptions<SmsGatewayOptions> options, TimeProvider time) : IMessageProvider
{
    /// <summary>The name of its HTTP client.</summary>
    public const string ClientName = "sms-gateway";

    /// <inheritdoc />
    public string Name => "gateway";

    /// <inheritdoc />
    public bool Serves(string channel) => channel == "sms";

    /// <inheritdoc />
    public async Task<DeliveryResult> SendAsync(string messageId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.Url))
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["to"] = message.To,
                ["from"] = settings.From,
                ["text"] = message.Text,
                ["reference"] = messageId,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
        var body = await SmsSetup.ReadJsonAsync(response, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var id = body is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("id", out var i)
                ? i.ValueKind switch { JsonValueKind.String => i.GetString(), JsonValueKind.Number => i.GetRawText(), _ => null }
                : null;
            return new DeliveryResult(DeliveryOutcome.Accepted, ProviderMessageId: id);
        }

        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Email.ProviderResponses.IsTransient(response.StatusCode))
        {
            return new DeliveryResult(DeliveryOutcome.Transient, Reason: $"gateway answered {status}", RetryAfter: Email.ProviderResponses.RetryAfter(response.Headers.RetryAfter, time));
        }

        var said = SmsSetup.WithoutNumbers(SmsSetup.StringProperty(body, "error") ?? SmsSetup.StringProperty(body, "message"));
        return new DeliveryResult(DeliveryOutcome.Permanent, Reason: $"gateway refused the message ({status}){(said is { Length: > 0 } ? ": " + said : "")}");
    }
}
