using System.Net;
using Azure.Core;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.SendMail;
using Microsoft.Kiota.Abstractions;

namespace Askel.App.Messaging.Email;

/// <summary>Microsoft Graph mail settings (section <c>Askel:Graph</c>).</summary>
public sealed class GraphMailOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Askel:Graph";

    /// <summary>Graph's own address.</summary>
    public const string DefaultBaseUrl = "https://graph.microsoft.com";

    /// <summary>The token scope: the app's Graph application permissions (Mail.Send; GroupMember.Read.All for manager groups).</summary>
    public const string Scope = "https://graph.microsoft.com/.default";

    /// <summary>The (shared) mailbox mail is sent from: its address or object id.</summary>
    public string Mailbox { get; set; } = "";

    /// <summary>The Entra tenant of the app registration (with a client secret).</summary>
    public string TenantId { get; set; } = "";

    /// <summary>The app registration's client id, or a user-assigned managed identity's.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The app registration's secret; in Azure a Key Vault reference. Without it the managed identity signs in.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>Graph's address; only changed for tests or a national cloud.</summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;
}

/// <summary>
/// Sends email from a shared mailbox through Microsoft Graph (<c>POST /v1.0/users/{mailbox}/sendMail</c>).
/// Graph answers 202 with no id, so Askel's message id travels as the <c>X-Askel-Message-Id</c> header and
/// stands as the provider's id. Attachments are <c>fileAttachment</c>s in the request (an image shown in the
/// HTML with <c>isInline</c> and its <c>contentId</c>), which fits Graph's 4 MB request limit for a summary.
/// </summary>
public sealed class GraphMailProvider(
    IHttpClientFactory httpClients,
    IOptions<GraphMailOptions> options,
    [FromKeyedServices(GraphMailProvider.HttpClientName)] TokenCredential credential,
    TimeProvider time) : IMessageProvider
{
    /// <summary>The name of its <see cref="HttpClient"/> (and the key of its credential).</summary>
    public const string HttpClientName = "graph";

    /// <summary>The internet message header carrying Askel's message id.</summary>
    public const string MessageIdHeader = "X-Askel-Message-Id";

    /// <inheritdoc />
    public string Name => "graph";

    /// <inheritdoc />
    public bool Serves(string channel) => channel == "email";

    /// <summary>The credential the settings give: the app registration's secret when all three are set, else the managed identity.</summary>
    public static TokenCredential Credential(GraphMailOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.TenantId.Length > 0 && settings.ClientId.Length > 0 && settings.ClientSecret.Length > 0)
        {
            return new Azure.Identity.ClientSecretCredential(settings.TenantId, settings.ClientId, settings.ClientSecret);
        }

        return new Azure.Identity.ManagedIdentityCredential(settings.ClientId.Length > 0
            ? Azure.Identity.ManagedIdentityId.FromUserAssignedClientId(settings.ClientId)
            : Azure.Identity.ManagedIdentityId.SystemAssigned);
    }

    // A file, or an image the HTML shows (inline, by its content id); a content id left unset is not sent as null.
    private static Attachment FileAttachment(MailAttachment file)
    {
        var attachment = new FileAttachment { Name = file.FileName, ContentType = file.ContentType, ContentBytes = file.Content, IsInline = file.ContentId is not null };
        if (file.ContentId is { } contentId)
        {
            attachment.ContentId = contentId;
        }

        return attachment;
    }

    /// <summary>A Graph client for the settings' address, signing in with <paramref name="credential"/>.</summary>
    public static GraphServiceClient Client(HttpClient http, GraphMailOptions settings, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var baseUrl = (string.IsNullOrWhiteSpace(settings.BaseUrl) ? GraphMailOptions.DefaultBaseUrl : settings.BaseUrl.TrimEnd('/')) + "/v1.0";

        // Tokens go only to the configured host; the client gets no retry middleware, as retrying is decided around providers.
        var authentication = new Microsoft.Graph.Authentication.AzureIdentityAuthenticationProvider(
            credential, [new Uri(baseUrl).Host], null, true, GraphMailOptions.Scope);
        return new GraphServiceClient(http, authentication, baseUrl);
    }

    /// <inheritdoc />
    public async Task<DeliveryResult> SendAsync(string messageId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        using var graph = Client(httpClients.CreateClient(HttpClientName), settings, credential);
        var html = !string.IsNullOrEmpty(message.Html);
        var body = new SendMailPostRequestBody
        {
            Message = new Message
            {
                Subject = message.Subject ?? "",
                Body = new ItemBody { ContentType = html ? BodyType.Html : BodyType.Text, Content = html ? message.Html : message.Text },
                ToRecipients = [.. message.AllTo.Select(to => new Recipient { EmailAddress = new EmailAddress { Address = to } })],
                InternetMessageHeaders = [new InternetMessageHeader { Name = MessageIdHeader, Value = messageId }],
                Attachments = message.Attachments.Count == 0 ? null : [.. message.Attachments.Select(FileAttachment)],
            },
            SaveToSentItems = false,
        };

        try
        {
            await graph.Users[settings.Mailbox].SendMail.PostAsync(body, cancellationToken: cancellationToken);
            return new DeliveryResult(DeliveryOutcome.Accepted, ProviderMessageId: messageId);
        }
        catch (ApiException e)
        {
            var error = e is ODataError { Error: { } main } ? main.Message ?? main.Code : null;
            var retryAfter = e.ResponseHeaders.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
            return ProviderResponses.Failure("Graph", (HttpStatusCode)e.ResponseStatusCode, error, ProviderResponses.RetryAfter(retryAfter, time), message.AllTo);
        }
    }
}
