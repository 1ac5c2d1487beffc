using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Askel.App.Hosting;
using Microsoft.Extensions.Options;

namespace Askel.App.Messaging.Sms;

/// <summary>Twilio's Messages API (section <c>Askel:Twilio</c>).</summary>
public sealed class TwilioOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Askel:Twilio";

    /// <summary>Twilio's API address when none is set.</summary>
    public const string DefaultBaseUrl = "https://api.twilio.com";

    /// <summary>The account (<c>AC…</c>).</summary>
    public string AccountSid { get; set; } = "";

    /// <summary>The account's auth token: authenticates sends and signs Twilio's callbacks (a Key Vault reference in Azure).</summary>
    public string AuthToken { get; set; } = "";

    /// <summary>The sender: an alphanumeric sender id (<c>Askel</c>) or a Twilio number.</summary>
    public string From { get; set; } = "";

    /// <summary>The API address; empty means <see cref="DefaultBaseUrl"/>.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>The API address in use.</summary>
    public Uri ApiBase => new((string.IsNullOrWhiteSpace(BaseUrl) ? DefaultBaseUrl : BaseUrl).TrimEnd('/') + "/");
}

/// <summary>
/// Sends SMS through Twilio's Messages API: one POST per message, with a status callback that carries
/// Askel's message id back to <c>/api/webhooks/sms/twilio/status</c>.
/// </summary>
public sealed class TwilioSmsProvider(IHttpClientFactory clients, IOptions<TwilioOptions> options, IOptions<AskelOptions> askel, TimeProvider time) : IMessageProvider
{
    /// <summary>The name of its HTTP client.</summary>
    public const string ClientName = "twilio";

    /// <summary>Twilio's error codes for a number that is not valid or cannot receive SMS.</summary>
    public static readonly IReadOnlySet<int> InvalidNumberCodes = new HashSet<int> { 21211, 21614 };

    /// <inheritdoc />
    public string Name => "twilio";

    /// <inheritdoc />
    public bool Serves(string channel) => channel == "sms";

    /// <summary>Where Twilio reports what became of <paramref name="messageId"/>.</summary>
    public static string StatusCallback(Uri publicBaseUrl, string messageId)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        return SmsSetup.PublicUrl(publicBaseUrl, "api/webhooks/sms/twilio/status") + "?id=" + Uri.EscapeDataString(messageId);
    }

    /// <inheritdoc />
    public async Task<DeliveryResult> SendAsync(string messageId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.ApiBase, $"2010-04-01/Accounts/{Uri.EscapeDataString(settings.AccountSid)}/Messages.json"))
        {
            Content = new FormUrlEncodedContent(
            [
                new("To", message.To),
                new("From", settings.From),
                new("Body", message.Text),
                new("StatusCallback", StatusCallback(askel.Value.PublicBaseUrl, messageId)),
            ]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.AccountSid}:{settings.AuthToken}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
        var body = await SmsSetup.ReadJsonAsync(response, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return new DeliveryResult(DeliveryOutcome.Accepted, ProviderMessageId: SmsSetup.StringProperty(body, "sid"));
        }

        if (Email.ProviderResponses.IsTransient(response.StatusCode))
        {
            return new DeliveryResult(DeliveryOutcome.Transient, Reason: $"twilio answered {(int)response.StatusCode}", RetryAfter: Email.ProviderResponses.RetryAfter(response.Headers.RetryAfter, time));
        }

        var code = body is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : (int?)null;
        if (code is { } invalid && InvalidNumberCodes.Contains(invalid))
        {
            return new DeliveryResult(DeliveryOutcome.Permanent, Reason: $"invalid number ({invalid})");
        }

        var said = SmsSetup.WithoutNumbers(SmsSetup.StringProperty(body, "message"));
        return new DeliveryResult(
            DeliveryOutcome.Permanent,
            Reason: $"twilio refused the message ({(code is { } known ? known.ToString(System.Globalization.CultureInfo.InvariantCulture) : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture))}){(said is { Length: > 0 } ? ": " + said : "")}");
    }

    /// <summary>Whether a status callback's error code means the number does not work.</summary>
    internal static bool IsInvalidNumberReport(int code) => code is 30003 or 30005 or 30006 || InvalidNumberCodes.Contains(code);
}
