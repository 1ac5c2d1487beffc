using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Askel.App.Messaging.Email;

/// <summary>
/// SendGrid's event webhook, <c>POST /api/webhooks/sendgrid</c>: what became of each email. Only signed
/// batches count (SendGrid's Signed Event Webhook: ECDSA P-256 over the timestamp header and the raw body,
/// checked with the public key in <c>Askel:SendGrid:WebhookPublicKey</c>), and only fresh ones (ten minutes),
/// so a captured batch cannot be replayed later. Each event carries Askel's message id as the custom
/// argument <c>askel_message_id</c>.
/// </summary>
public static partial class SendGridWebhookEndpoints
{
    /// <summary>The setting with SendGrid's verification key: base64 of the DER SubjectPublicKeyInfo.</summary>
    public const string PublicKeySetting = "Askel:SendGrid:WebhookPublicKey";

    /// <summary>The header with the base64 DER ECDSA signature.</summary>
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";

    /// <summary>The header with the Unix time the batch was signed at.</summary>
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    /// <summary>How old a signed batch may be.</summary>
    public static TimeSpan MaxAge { get; } = TimeSpan.FromMinutes(10);

    /// <summary>The largest batch accepted (SendGrid posts up to a few thousand events at a time).</summary>
    public const int MaxBodyBytes = 8 * 1024 * 1024;

    internal static async Task<IResult> ReceiveAsync(
        HttpContext context, IConfiguration configuration, TimeProvider time, DeliveryReports reports, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("Askel.SendGridWebhook");
        var body = await WebhookBody.ReadAsync(context, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var refusal = Verify(configuration[PublicKeySetting], context.Request.Headers[TimestampHeader].ToString(), context.Request.Headers[SignatureHeader].ToString(), body, time.GetUtcNow());
        if (refusal is not null)
        {
            LogRefused(logger, refusal);
            return TypedResults.Unauthorized();
        }

        JsonElement events;
        try
        {
            using var document = JsonDocument.Parse(body);
            events = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return TypedResults.BadRequest();
        }

        if (events.ValueKind != JsonValueKind.Array)
        {
            return TypedResults.BadRequest();
        }

        foreach (var item in events.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || Text(item, "askel_message_id") is not { Length: > 0 } messageId)
            {
                continue;
            }

            var kind = Text(item, "event") ?? "";
            var known = kind switch
            {
                "delivered" => await reports.ApplyAsync(messageId, "delivered", permanent: false, null, "sendgrid delivered", cancellationToken),
                "bounce" when Text(item, "type") is "blocked" =>
                    await reports.ApplyAsync(messageId, "failed", permanent: false, "blocked by the receiving server", "sendgrid bounce", cancellationToken),
                "bounce" => await reports.ApplyAsync(messageId, "bounced", permanent: true, "hard bounce", "sendgrid bounce", cancellationToken),
                "dropped" when (Text(item, "reason") ?? "").Contains("invalid", StringComparison.OrdinalIgnoreCase) ||
                               (Text(item, "reason") ?? "").Contains("bounced address", StringComparison.OrdinalIgnoreCase) =>
                    await reports.ApplyAsync(messageId, "bounced", permanent: true, "invalid address", "sendgrid dropped", cancellationToken),
                "dropped" => await reports.ApplyAsync(messageId, "failed", permanent: false, "dropped by SendGrid", "sendgrid dropped", cancellationToken),
                "spamreport" or "unsubscribe" or "group_unsubscribe" => await reports.OptOutAsync(messageId, "email", "sendgrid unsubscribe", cancellationToken),
                _ => true, // processed, deferred (SendGrid keeps trying), open, click: nothing to record
            };
            if (!known)
            {
                LogUnknown(logger, kind, messageId);
            }
        }

        return TypedResults.Ok();
    }

    /// <summary>Why a batch is refused, or null when its signature holds and it is fresh.</summary>
    public static string? Verify(string? publicKey, string timestamp, string signature, byte[] body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrWhiteSpace(publicKey))
        {
            return $"{PublicKeySetting} is not set";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253_402_300_799)
        {
            return "no valid timestamp";
        }

        var signedAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (now - signedAt > MaxAge || signedAt - now > MaxAge)
        {
            return "the timestamp is more than ten minutes off";
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey.Trim()), out _);
            var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + body.Length];
            var written = Encoding.UTF8.GetBytes(timestamp, signed);
            body.CopyTo(signed, written);
            return key.VerifyData(signed, Convert.FromBase64String(signature), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
                ? null
                : "the signature does not match";
        }
        catch (FormatException)
        {
            return "the signature or the public key is not base64";
        }
        catch (CryptographicException)
        {
            return "the signature or the public key cannot be read";
        }
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "SendGrid webhook refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "SendGrid {Kind} event for a message Askel does not know: {MessageId}")]
    private static partial void LogUnknown(ILogger logger, string kind, string messageId);
}
