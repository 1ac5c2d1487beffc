using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Askel.App.Hosting;
using Askel.App.Participants;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Askel.App.Messaging.Sms;

/// <summary>
/// What SMS providers call back with: delivery reports (applied through <see cref="DeliveryReports"/>) and
/// inbound texts, of which only a stop word does anything (the number is opted out of SMS). Every call is
/// signed — Twilio's <c>X-Twilio-Signature</c>, the gateway's <c>X-Askel-Signature</c> over its timestamp and body — and an unsigned, stale or
/// wrongly signed one is refused with 401 before anything is read or changed. Nothing a participant wrote
/// and no number is logged.
/// </summary>
public static partial class SmsWebhookEndpoints
{
    /// <summary>The largest callback accepted; real ones are under two kilobytes.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The source recorded when a participant texts a stop word.</summary>
    public const string StopSource = "sms STOP";

    /// <summary>The words that opt a number out of SMS (the whole text, trimmed, in any case).</summary>
    public static readonly IReadOnlySet<string> StopWords = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "STOP", "STOPP", "LOPETA", "SLUTA", "UNSUBSCRIBE" };

    private const string EmptyTwiml = "<Response/>";

    /// <summary>Whether <paramref name="text"/> is a stop word.</summary>
    public static bool IsStop(string? text) => text is not null && StopWords.Contains(text.Trim());

    /// <summary>Twilio's request signature: base64 HMAC-SHA1 of the URL followed by each POST parameter's name and value, sorted by name.</summary>
    public static string TwilioSignature(string authToken, string url, IEnumerable<KeyValuePair<string, StringValues>> parameters)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        ArgumentNullException.ThrowIfNull(parameters);
        var data = new StringBuilder(url);
        foreach (var (name, values) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var value in values.OrderBy(v => v, StringComparer.Ordinal))
            {
                data.Append(name).Append(value);
            }
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    internal static async Task<IResult> TwilioStatusAsync(HttpContext context, IOptions<TwilioOptions> twilio, IOptions<AskelOptions> askel, DeliveryReports reports, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(SmsWebhookEndpoints));
        var (form, refusal) = await ReadTwilioAsync(context, twilio.Value, askel.Value, logger, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var messageId = context.Request.Query["id"].ToString();
        var status = Field(form!, "MessageStatus");
        if (status is not ("delivered" or "undelivered" or "failed"))
        {
            return Results.Ok(); // queued, sent and the like: nothing to record
        }

        if (messageId.Length == 0)
        {
            Log.UnknownMessage(logger, "twilio", "(none)");
            return Results.Ok();
        }

        int? code = int.TryParse(Field(form!, "ErrorCode"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        var permanent = code is { } c && TwilioSmsProvider.IsInvalidNumberReport(c);
        var codeText = code?.ToString(CultureInfo.InvariantCulture);
        var reason = status == "delivered" ? null
            : permanent ? $"invalid number ({codeText})"
            : codeText is null ? $"twilio: {status}" : $"twilio: {status} ({codeText})";
        if (!await reports.ApplyAsync(messageId, status == "delivered" ? "delivered" : "failed", permanent, reason, "twilio status", cancellationToken))
        {
            Log.UnknownMessage(logger, "twilio", messageId);
        }

        return Results.Ok();
    }

    internal static async Task<IResult> TwilioInboundAsync(
        HttpContext context, IOptions<TwilioOptions> twilio, IOptions<AskelOptions> askel, ContactChannels channels, InboundMessages inbound, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(SmsWebhookEndpoints));
        var (form, refusal) = await ReadTwilioAsync(context, twilio.Value, askel.Value, logger, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        // Twilio signs no time: a replayed callback is known by its MessageSid, and applied once.
        var sid = Field(form!, "MessageSid");
        if (!InboundMessages.IsMessageId(sid))
        {
            Log.Refused(logger, "twilio", "no MessageSid");
            return Results.BadRequest();
        }

        if (!await inbound.ClaimAsync("twilio", sid, cancellationToken))
        {
            Log.InboundRepeated(logger, "twilio");
            return Results.Text(EmptyTwiml, "text/xml", Encoding.UTF8);
        }

        await InboundAsync(Field(form!, "From"), Field(form!, "Body"), "twilio", channels, logger, cancellationToken);
        return Results.Text(EmptyTwiml, "text/xml", Encoding.UTF8);
    }

    internal static async Task<IResult> GatewayStatusAsync(HttpContext context, IOptions<SmsGatewayOptions> gateway, DeliveryReports reports, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(SmsWebhookEndpoints));
        var (json, refusal) = await ReadGatewayAsync(context, gateway.Value, logger, time, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var reference = Text(json, "reference");
        var status = Text(json, "status");
        if (string.IsNullOrEmpty(reference) || status is not ("delivered" or "failed"))
        {
            return Results.BadRequest("reference and status (delivered or failed) are required");
        }

        var permanent = json.TryGetProperty("permanent", out var p) && p.ValueKind == JsonValueKind.True;
        var reason = status == "delivered" ? null : SmsSetup.WithoutNumbers(Text(json, "reason")) ?? (permanent ? "invalid number" : "gateway: failed");
        if (!await reports.ApplyAsync(reference, status, permanent && status == "failed", reason, "gateway status", cancellationToken))
        {
            Log.UnknownMessage(logger, "gateway", reference);
        }

        return Results.Ok();
    }

    internal static async Task<IResult> GatewayInboundAsync(HttpContext context, IOptions<SmsGatewayOptions> gateway, ContactChannels channels, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(SmsWebhookEndpoints));
        var (json, refusal) = await ReadGatewayAsync(context, gateway.Value, logger, time, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        await InboundAsync(Text(json, "from") ?? "", Text(json, "text") ?? "", "gateway", channels, logger, cancellationToken);
        return Results.Ok();
    }

    private static async Task InboundAsync(string from, string text, string provider, ContactChannels channels, ILogger logger, CancellationToken cancellationToken)
    {
        if (!IsStop(text))
        {
            Log.InboundIgnored(logger, provider);
            return;
        }

        var number = Contacts.NormalisePhone(from) ?? from.Trim();
        var found = number.Length == 0 ? [] : await channels.FindAsync("sms", number, cancellationToken);
        foreach (var participant in found)
        {
            await channels.MarkAsync(participant, "sms", ContactChannels.OptedOut, StopSource, cancellationToken);
        }

        Log.OptedOut(logger, provider, found.Count);
    }

    private static async Task<(Dictionary<string, StringValues>? Form, IResult? Refusal)> ReadTwilioAsync(
        HttpContext context, TwilioOptions twilio, AskelOptions askel, ILogger logger, CancellationToken cancellationToken)
    {
        var body = await WebhookBody.ReadAsync(context, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return (null, Results.StatusCode(StatusCodes.Status413PayloadTooLarge));
        }

        var signature = context.Request.Headers["X-Twilio-Signature"].ToString();
        if (twilio.AuthToken.Length == 0 || signature.Length == 0)
        {
            Log.Refused(logger, "twilio", signature.Length == 0 ? "no signature" : "Askel__Twilio__AuthToken is not set");
            return (null, Results.Unauthorized());
        }

        Dictionary<string, StringValues> form;
        try
        {
            form = new FormReader(Encoding.UTF8.GetString(body)).ReadForm();
        }
        catch (InvalidDataException)
        {
            Log.Refused(logger, "twilio", "unreadable form");
            return (null, Results.Unauthorized());
        }

        var url = SmsSetup.PublicUrl(askel.PublicBaseUrl, context.Request.Path.Value ?? "") + context.Request.QueryString.Value;
        var expected = TwilioSignature(twilio.AuthToken, url, form);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(signature)))
        {
            Log.Refused(logger, "twilio", "the signature does not match");
            return (null, Results.Unauthorized());
        }

        return (form, null);
    }

    private static async Task<(JsonElement Json, IResult? Refusal)> ReadGatewayAsync(
        HttpContext context, SmsGatewayOptions gateway, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await WebhookBody.ReadAsync(context, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return (default, Results.StatusCode(StatusCodes.Status413PayloadTooLarge));
        }

        if (GatewaySignatureProblem(gateway.WebhookSecret, context.Request.Headers[GatewayTimestampHeader].ToString(), context.Request.Headers[GatewaySignatureHeader].ToString(), body, time.GetUtcNow()) is { } problem)
        {
            Log.Refused(logger, "gateway", problem);
            return (default, Results.Unauthorized());
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, Results.BadRequest("the body must be a JSON object"));
        }
        catch (JsonException)
        {
            return (default, Results.BadRequest("the body must be a JSON object"));
        }
    }
    /// <summary>The gateway's signature header: hex HMAC-SHA256, with the webhook secret, of the timestamp, a '.', and the body.</summary>
    public const string GatewaySignatureHeader = "X-Askel-Signature";

    /// <summary>The gateway's timestamp header: Unix seconds when it signed the callback.</summary>
    public const string GatewayTimestampHeader = "X-Askel-Timestamp";

    /// <summary>How far a gateway callback's timestamp may be from now: a captured callback cannot be replayed later.</summary>
    public static TimeSpan GatewayMaxAge { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Why a gateway callback is refused, or null when it is signed with the secret and fresh.</summary>
    public static string? GatewaySignatureProblem(string secret, string timestamp, string signature, byte[] body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        if (secret.Length == 0)
        {
            return "Askel__SmsGateway__WebhookSecret is not set";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253_402_300_799)
        {
            return $"no valid {GatewayTimestampHeader}";
        }

        var signedAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((now - signedAt).Duration() > GatewayMaxAge)
        {
            return "the timestamp is more than five minutes off";
        }

        signature = signature.Trim();
        if (signature.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase))
        {
            signature = signature["sha256=".Length..];
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return "no or a wrong signature";
        }

        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        return given.Length > 0 && CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed), given)
            ? null
            : "no or a wrong signature";
    }

    private static string Field(Dictionary<string, StringValues> form, string name) =>
        form.TryGetValue(name, out var value) ? value.ToString() : "";

    private static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static partial class Log
    {
        [LoggerMessage(1700, LogLevel.Warning, "SMS webhook from {Provider} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string provider, string reason);

        [LoggerMessage(1701, LogLevel.Information, "SMS status report from {Provider} for unknown message {MessageId}; ignored")]
        public static partial void UnknownMessage(ILogger logger, string provider, string messageId);

        [LoggerMessage(1702, LogLevel.Information, "Inbound SMS via {Provider} is not a stop word; ignored")]
        public static partial void InboundIgnored(ILogger logger, string provider);

        [LoggerMessage(1703, LogLevel.Information, "Inbound SMS stop word via {Provider}: {Count} participant(s) opted out of SMS")]
        public static partial void OptedOut(ILogger logger, string provider, int count);

        [LoggerMessage(1704, LogLevel.Warning, "Inbound SMS via {Provider} was applied before (a repeat or a replay); ignored")]
        public static partial void InboundRepeated(ILogger logger, string provider);
    }
}
