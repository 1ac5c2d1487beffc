using Microsoft.Azure.Functions.Worker;

namespace Askel.App.Messaging.Email;

/// <summary><c>POST /api/webhooks/sendgrid</c> as a function (anonymous: the batch's signature is the check); see <see cref="SendGridWebhookEndpoints"/>.</summary>
public sealed class SendGridWebhookFunction(IConfiguration configuration, TimeProvider time, DeliveryReports reports, ILoggerFactory loggers, Security.RateLimits limits)
{
    /// <summary>Applies a signed, fresh batch of SendGrid events.</summary>
    [Function("sendgrid-webhook")]
    public Task<IResult> ReceiveAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/webhooks/sendgrid")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return limits.WithinAsync(
            Security.RateLimited.Webhook, request.HttpContext, () => SendGridWebhookEndpoints.ReceiveAsync(request.HttpContext, configuration, time, reports, loggers, cancellationToken),
            () => Security.RateLimits.TooManyRequests);
    }
}
