using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Askel.App.Coordinator;

/// <summary>
/// Signs no one in; answers the coordinator pages' challenges (no one signed in: 401 with how to sign in) and
/// refusals (403) with a page in the user's language, where the local sign-in's cookie scheme would redirect.
/// </summary>
internal sealed class CoordinatorRefusalHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "AskelRefusal";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        CoordinatorSetup.WriteRefusalAsync(Context, StatusCodes.Status401Unauthorized, "unauthorized-title", "sign-in-aad");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        CoordinatorSetup.WriteRefusalAsync(Context, StatusCodes.Status403Forbidden, "forbidden-title", "forbidden-body");
}
