using Askel.App.Hosting;
using Askel.App.Participants;
using Askel.App.Security;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Askel.App.Messaging.Sms;

/// <summary>
/// The SMS providers' callbacks under <c>/api/webhooks/sms</c> as functions (anonymous: each call's signature is the
/// check); see <see cref="SmsWebhookEndpoints"/>. A source over its request limit gets 429, which the providers retry.
/// </summary>
public sealed class SmsWebhookFunctions(
    IOptions<TwilioOptions> twilio, IOptions<SmsGatewayOptions> gateway, IOptions<AskelOptions> askel, DeliveryReports reports, ContactChannels channels, InboundMessages inbound, ILoggerFactory loggers, TimeProvider time,
    RateLimits limits)
{
    /// <summary>Twilio's delivery report.</summary>
    [Function("sms-twilio-status")]
    public Task<IResult> TwilioStatusAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/webhooks/sms/twilio/status")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return limits.WithinAsync(RateLimited.Webhook, request.HttpContext, () => SmsWebhookEndpoints.TwilioStatusAsync(request.HttpContext, twilio, askel, reports, loggers, cancellationToken), () => RateLimits.TooManyRequests);
    }

    /// <summary>A text a participant sent to the Twilio number.</summary>
    [Function("sms-twilio-inbound")]
    public Task<IResult> TwilioInboundAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/webhooks/sms/twilio/inbound")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return limits.WithinAsync(RateLimited.Webhook, request.HttpContext, () => SmsWebhookEndpoints.TwilioInboundAsync(request.HttpContext, twilio, askel, channels, inbound, loggers, cancellationToken), () => RateLimits.TooManyRequests);
    }

    /// <summary>The operator gateway's delivery report.</summary>
    [Function("sms-gateway-status")]
    public Task<IResult> GatewayStatusAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/webhooks/sms/gateway/status")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return limits.WithinAsync(RateLimited.Webhook, request.HttpContext, () => SmsWebhookEndpoints.GatewayStatusAsync(request.HttpContext, gateway, reports, loggers, time, cancellationToken), () => RateLimits.TooManyRequests);
    }

    /// <summary>A text a participant sent to the gateway's number.</summary>
    [Function("sms-gateway-inbound")]
    public Task<IResult> GatewayInboundAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/webhooks/sms/gateway/inbound")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return limits.WithinAsync(RateLimited.Webhook, request.HttpContext, () => SmsWebhookEndpoints.GatewayInboundAsync(request.HttpContext, gateway, channels, loggers, time, cancellationToken), () => RateLimits.TooManyRequests);
    }
}
