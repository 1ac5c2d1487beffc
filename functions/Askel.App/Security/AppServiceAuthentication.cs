using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Askel.App.Security;

/// <summary>
/// Reads the signed-in user that App Service authentication (Easy Auth, with Entra ID) puts in the
/// <c>X-MS-CLIENT-PRINCIPAL</c> header: base64 JSON with the user's claims and app roles. The
/// platform strips that header from incoming requests and sets it itself, so in Azure it can be
/// trusted. Without the platform (locally) it is accepted only on loopback connections.
/// </summary>
public sealed class AppServiceAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "AppService";

    /// <summary>The header the platform sets.</summary>
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(PrincipalHeader, out var header) || string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var platformAuth = string.Equals(Context.RequestServices.GetRequiredService<IConfiguration>()["WEBSITE_AUTH_ENABLED"], "True", StringComparison.OrdinalIgnoreCase);
        if (!platformAuth && Context.Connection.RemoteIpAddress is { } remote && !System.Net.IPAddress.IsLoopback(remote))
        {
            return Task.FromResult(AuthenticateResult.Fail("A client principal header is trusted only from App Service authentication or loopback."));
        }

        try
        {
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header.ToString())));
            var root = json.RootElement;
            var nameType = root.TryGetProperty("name_typ", out var n) ? n.GetString() ?? ClaimTypes.Name : ClaimTypes.Name;
            var roleType = root.TryGetProperty("role_typ", out var r) ? r.GetString() ?? ClaimTypes.Role : ClaimTypes.Role;
            var claims = root.GetProperty("claims").EnumerateArray()
                .Select(c => new Claim(c.GetProperty("typ").GetString()!, c.GetProperty("val").GetString()!))
                .ToList();
            var identity = new ClaimsIdentity(claims, root.TryGetProperty("auth_typ", out var a) ? a.GetString() : SchemeName, nameType, roleType);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Task.FromResult(AuthenticateResult.Fail("The client principal header is malformed."));
        }
    }
}

/// <summary>Askel's app roles (Entra app roles) and the policies built on them.</summary>
public static class AskelRoles
{
    /// <summary>Runs the service: every project, instance management.</summary>
    public const string Admin = "admin";

    /// <summary>Works with participants of their own projects.</summary>
    public const string Coordinator = "coordinator";

    /// <summary>Reads summaries of their projects.</summary>
    public const string Manager = "manager";

    /// <summary>Policy: may manage workflow instances (admin or coordinator).</summary>
    public const string ManageInstances = "manage-instances";

    /// <summary>Authentication from App Service's client principal, and the role policies.</summary>
    public static WebApplicationBuilder AddAskelSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(AppServiceAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, AppServiceAuthenticationHandler>(AppServiceAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ManageInstances, policy => policy.RequireRole(Admin, Coordinator));
        return builder;
    }
}
