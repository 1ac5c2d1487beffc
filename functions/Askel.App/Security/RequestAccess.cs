using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Askel.App.Security;

/// <summary>
/// Sign-in and roles inside the function code, so the Functions host and the local host apply them alike
/// (ASP.NET Core middleware would run under the local host only): authenticates the request with the policy's
/// schemes, sets <see cref="HttpContext.User"/>, and answers a challenge (sign in) or a refusal when the policy fails.
/// </summary>
public sealed partial class RequestAccess(IAuthorizationPolicyProvider policies, IPolicyEvaluator evaluator, ILogger<RequestAccess> logger)
{
    /// <summary>Runs <paramref name="handle"/> when the signed-in user meets <paramref name="policyName"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="policyName">A registered authorization policy.</param>
    /// <param name="handle">What answers an allowed request.</param>
    public async Task<IResult> WhenAllowedAsync(HttpRequest request, string policyName, Func<Task<IResult>> handle)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handle);
        return await RefusalAsync(request.HttpContext, policyName) ?? await handle();
    }

    /// <summary>Synchronous answers: see <see cref="WhenAllowedAsync(HttpRequest, string, Func{Task{IResult}})"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="policyName">A registered authorization policy.</param>
    /// <param name="handle">What answers an allowed request.</param>
    public Task<IResult> WhenAllowedAsync(HttpRequest request, string policyName, Func<IResult> handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return WhenAllowedAsync(request, policyName, () => Task.FromResult(handle()));
    }

    private async Task<IResult?> RefusalAsync(HttpContext context, string policyName)
    {
        var policy = await policies.GetPolicyAsync(policyName)
            ?? throw new InvalidOperationException($"No authorization policy named '{policyName}' is registered.");
        if (policy.AuthenticationSchemes.Count == 0 && await context.AuthenticateAsync() is { Succeeded: true } signedIn)
        {
            context.User = signedIn.Principal; // a policy without schemes reads the default scheme's user
        }

        var authentication = await evaluator.AuthenticateAsync(policy, context);
        var decision = await evaluator.AuthorizeAsync(policy, authentication, context, context);
        if (decision.Succeeded)
        {
            return null;
        }

        // Who it was stays out of the log: the policy and the outcome only.
        Refused(logger, policyName, decision.Challenged ? 401 : 403);
        return decision.Challenged
            ? Results.Challenge(authenticationSchemes: [.. policy.AuthenticationSchemes])
            : Results.Forbid(authenticationSchemes: [.. policy.AuthenticationSchemes]);
    }

    [LoggerMessage(EventId = 1800, Level = LogLevel.Warning, Message = "Request refused by the policy {Policy}: {Status}")]
    private static partial void Refused(ILogger logger, string policy, int status);
}
