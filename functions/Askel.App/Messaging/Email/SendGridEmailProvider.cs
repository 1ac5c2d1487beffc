using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Askel.App.Messaging.Email;

/// <summary>SendGrid settings (section <c>Askel:SendGrid</c>).</summary>
public sealed class SendGridOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Askel:SendGrid";

    /// <summary>SendGrid's own host.</summary>
    public const string DefaultBaseUrl = "https://api.sendgrid.com";

    /// <summary>SendGrid's host for EU data residency.</summary>
    public const string EuBaseUrl = "https://api.eu.sendgrid.com";

    /// <summary>The API key (Mail Send permission); in Azure a Key Vault reference.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The sender address (a verified sender or domain).</summary>
    public string From { get; set; } = "";

    /// <summary>The sender's display name.</summary>
    public string FromName { get; set; } = "";

    /// <summary>The API's address; only changed for tests or a proxy.</summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>Send through SendGrid's EU host (for an EU-pinned subuser).</summary>
    public bool EuDataResidency { get; set; }
}

/// <summary>
/// Sends email through SendGrid's v3 Mail Send API: plain text, and HTML when the template has it, with
/// Askel's message id in <c>custom_args.askel_message_id</c> so the event webhook's reports find the message.
/// Every recipient is in one personalization (one message, each sees the others); attachments go base64, an
/// image shown in the HTML as <c>disposition: inline</c> with its <c>content_id</c>.
/// </summary>
public sealed class SendGridEmailProvider(IHttpClientFactory httpClients, IOptions<SendGridOptions> options, TimeProvider time) : IMessageProvider
{
    /// <summary>The name of its <see cref="HttpClient"/>.</summary>
    public const string HttpClientName = "sendgrid";

    /// <summary>The custom argument carrying Askel's message id.</summary>
    public const string MessageIdArgument = "askel_message_id";

    /// <inheritdoc />
    public string Name => "sendgrid";

    /// <inheritdoc />
    public bool Serves(string channel) => channel == "email";

    /// <summary>The client options the settings give: the EU host with data residency, unless the address is changed.</summary>
    public static SendGridClientOptions ClientOptions(SendGridOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var client = new SendGridClientOptions { ApiKey = settings.ApiKey };
        var baseUrl = string.IsNullOrWhiteSpace(settings.BaseUrl) ? SendGridOptions.DefaultBaseUrl : settings.BaseUrl.TrimEnd('/');
        if (settings.EuDataResidency && baseUrl == SendGridOptions.DefaultBaseUrl)
        {
            client.SetDataResidency("eu");
        }
        else
        {
            client.Host = baseUrl;
        }

        return client;
    }

    /// <inheritdoc />
    public async Task<DeliveryResult> SendAsync(string messageId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var client = new SendGridClient(httpClients.CreateClient(HttpClientName), ClientOptions(settings));
        var mail = new SendGridMessage
        {
            From = new EmailAddress(settings.From, string.IsNullOrEmpty(settings.FromName) ? null : settings.FromName),
            Subject = message.Subject ?? "",
            CustomArgs = new Dictionary<string, string> { [MessageIdArgument] = messageId },
        };
        mail.AddTos([.. message.AllTo.Select(to => new EmailAddress(to))]);
        mail.AddContent(MimeType.Text, message.Text);
        if (!string.IsNullOrEmpty(message.Html))
        {
            mail.AddContent(MimeType.Html, message.Html);
        }

        foreach (var file in message.Attachments)
        {
            mail.AddAttachment(new Attachment
            {
                Content = Convert.ToBase64String(file.Content),
                Type = file.ContentType,
                Filename = file.FileName,
                Disposition = file.ContentId is null ? "attachment" : "inline",
                ContentId = file.ContentId,
            });
        }

        var response = await client.SendEmailAsync(mail, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var id = response.Headers.TryGetValues("X-Message-Id", out var values) ? values.FirstOrDefault() : null;
            return new DeliveryResult(DeliveryOutcome.Accepted, ProviderMessageId: id);
        }

        var body = response.Body is null ? "" : await response.Body.ReadAsStringAsync(cancellationToken);
        return ProviderResponses.Failure("SendGrid", response.StatusCode, ErrorMessage(body), ProviderResponses.RetryAfter(response.Headers.RetryAfter, time), message.AllTo);
    }

    /// <summary>SendGrid's error messages (<c>{"errors":[{"message":…}]}</c>), joined.</summary>
    private static string? ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var messages = errors.EnumerateArray()
                    .Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null)
                    .OfType<string>()
                    .ToList();
                return messages.Count > 0 ? string.Join("; ", messages) : null;
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}

/// <summary>How an email API's answer becomes a <see cref="DeliveryResult"/>.</summary>
internal static class ProviderResponses
{
    /// <summary>429, 408 and 5xx pass (with the provider's wait); other failures are permanent, with the provider's reason less the addresses.</summary>
    public static DeliveryResult Failure(string provider, HttpStatusCode status, string? error, TimeSpan? retryAfter, IReadOnlyList<string> addresses)
    {
        var code = (int)status;
        var reason = $"{provider} {code.ToString(CultureInfo.InvariantCulture)}";
        if (!string.IsNullOrWhiteSpace(error))
        {
            // The reason is shown to coordinators and logged: never with a recipient's address in it.
            var redacted = addresses.Where(a => a.Length > 0).OrderByDescending(a => a.Length)
                .Aggregate(error, (text, address) => text.Replace(address, "the recipient", StringComparison.OrdinalIgnoreCase));
            reason += ": " + redacted;
        }

        return IsTransient(status)
            ? new DeliveryResult(DeliveryOutcome.Transient, Reason: reason, RetryAfter: retryAfter)
            : new DeliveryResult(DeliveryOutcome.Permanent, Reason: reason);
    }

    /// <summary>Whether an answer means "try again later": 429, 408 or 5xx.</summary>
    public static bool IsTransient(HttpStatusCode status) => (int)status is 429 or 408 or >= 500;

    /// <summary>A <c>Retry-After</c> header as a wait from now.</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, TimeProvider time) =>
        header?.Delta ?? (header?.Date is { } date ? Max(date - time.GetUtcNow()) : null);

    /// <summary>A <c>Retry-After</c> value (seconds or an HTTP date) as a wait from now.</summary>
    public static TimeSpan? RetryAfter(string? value, TimeProvider time) =>
        string.IsNullOrWhiteSpace(value) ? null
        : int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(Math.Max(0, seconds))
        : DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? Max(date - time.GetUtcNow())
        : null;

    private static TimeSpan Max(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
}
