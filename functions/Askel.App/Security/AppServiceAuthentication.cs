using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Askel.App.Security;

/// <summary>
/// Reads the signed-in user that App Service authentication (Easy Auth, with Entra ID) puts in the
/// <c>X-MS-CLIENT-PRINCIPAL</c> header: base64 JSON <c>{"auth_typ", "name_typ", "role_typ", "claims": [{"typ", "val"}]}</c>
/// with the ID token's claims, beside <c>X-MS-CLIENT-PRINCIPAL-NAME</c> and <c>-ID</c>. The platform strips these
/// headers from incoming requests and sets them itself, so with App Service authentication on
/// (<c>WEBSITE_AUTH_ENABLED=True</c>) they are trusted. Without it they are trusted only from a loopback client when
/// no Functions host runs (locally): under the host every request arrives from loopback, so a header there could
/// come from anyone.
/// </summary>
/// <remarks>
/// The identity it builds is Askel's, whatever the token's claim names: its name (<see cref="ClaimTypes.Name"/>) is the
/// user's sign-in name — <c>preferred_username</c>, else the <c>upn</c>, else <c>X-MS-CLIENT-PRINCIPAL-NAME</c>, else
/// the <c>name_typ</c> claim — which is what project files list; its roles (<see cref="ClaimTypes.Role"/>) are the
/// app roles from the <c>roles</c> claims (and any claim of <c>role_typ</c>), with Askel's role names in lower case;
/// every original claim is kept, so <see cref="AppServicePrincipal.Groups"/> finds the <c>groups</c> claims.
/// </remarks>
public sealed partial class AppServiceAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "AppService";

    /// <summary>The header the platform sets.</summary>
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The user's name as the platform sets it.</summary>
    public const string PrincipalNameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";

    /// <summary>The user's id (the Entra object id) as the platform sets it.</summary>
    public const string PrincipalIdHeader = "X-MS-CLIENT-PRINCIPAL-ID";

    /// <summary>The setting the platform sets to <c>True</c> when App Service authentication is on.</summary>
    public const string AuthEnabledSetting = "WEBSITE_AUTH_ENABLED";

    // Claim names the ID token's user name comes in, most specific first (v2: preferred_username; v1: upn).
    private static readonly string[] SignInNameClaims =
        ["preferred_username", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", "upn"];

    // Claim names app roles come in: the token's own (roles) and the long form.
    private static readonly string[] RoleClaims = ["roles", "role", ClaimTypes.Role];

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(PrincipalHeader, out var header) || string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!Trusted())
        {
            SignInFailed(Logger, "untrusted");
            return Task.FromResult(AuthenticateResult.Fail("A client principal header is trusted only from App Service authentication (WEBSITE_AUTH_ENABLED=True), or locally from loopback."));
        }

        try
        {
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header.ToString())));
            var identity = Identity(json.RootElement, Request.Headers[PrincipalNameHeader].ToString(), Request.Headers[PrincipalIdHeader].ToString());
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            SignInFailed(Logger, "malformed");
            return Task.FromResult(AuthenticateResult.Fail("The client principal header is malformed."));
        }
    }

    // A failed sign-in, without the header's contents (who it claims to be).
    [LoggerMessage(EventId = 1801, Level = LogLevel.Warning, Message = "Sign-in failed: the client principal header is {Problem}")]
    private static partial void SignInFailed(ILogger logger, string problem);

    private bool Trusted()
    {
        var configuration = Context.RequestServices.GetRequiredService<IConfiguration>();
        if (string.Equals(configuration[AuthEnabledSetting], "True", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var underFunctionsHost = HostingNames.UnderFunctionsHost(configuration);
        var remote = Context.Connection.RemoteIpAddress;
        return !underFunctionsHost && (remote is null || System.Net.IPAddress.IsLoopback(remote));
    }

    /// <summary>Askel's identity from the decoded principal and the platform's name and id headers.</summary>
    internal static ClaimsIdentity Identity(JsonElement root, string? headerName, string? headerId)
    {
        var nameType = root.TryGetProperty("name_typ", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : ClaimTypes.Name;
        var roleType = root.TryGetProperty("role_typ", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : ClaimTypes.Role;
        var claims = root.GetProperty("claims").EnumerateArray()
            .Select(c => new Claim(c.GetProperty("typ").GetString()!, c.GetProperty("val").GetString() ?? ""))
            .ToList();

        string? First(IEnumerable<string> types) => types
            .Select(type => claims.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.OrdinalIgnoreCase) && c.Value.Length > 0)?.Value)
            .FirstOrDefault(value => value is not null);

        var name = First(SignInNameClaims)
            ?? (string.IsNullOrWhiteSpace(headerName) ? null : headerName)
            ?? First([nameType, ClaimTypes.Name, "name"]);
        var objectId = (string.IsNullOrWhiteSpace(headerId) ? null : headerId)
            ?? First(["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"]);
        var roles = claims
            .Where(c => RoleClaims.Contains(c.Type, StringComparer.OrdinalIgnoreCase) || string.Equals(c.Type, roleType, StringComparison.OrdinalIgnoreCase))
            .Select(c => AskelRoles.All.FirstOrDefault(role => string.Equals(role, c.Value, StringComparison.OrdinalIgnoreCase)) ?? c.Value)
            .Distinct(StringComparer.Ordinal);

        var authType = root.TryGetProperty("auth_typ", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : SchemeName;
        var identity = new ClaimsIdentity(authType, ClaimTypes.Name, ClaimTypes.Role);
        if (name is not null)
        {
            identity.AddClaim(new Claim(ClaimTypes.Name, name));
        }

        if (objectId is not null)
        {
            identity.AddClaim(new Claim(AppServicePrincipal.ObjectIdClaim, objectId));
        }

        identity.AddClaims(roles.Select(role => new Claim(ClaimTypes.Role, role)));
        // The token's own claims, except those already mapped onto Askel's name and roles.
        identity.AddClaims(claims.Where(c => c.Type != ClaimTypes.Name && c.Type != ClaimTypes.Role && c.Type != AppServicePrincipal.ObjectIdClaim));
        return identity;
    }
}

/// <summary>What Askel reads from a signed-in user besides name and roles.</summary>
public static class AppServicePrincipal
{
    /// <summary>The claim Askel keeps the user's Entra object id in.</summary>
    public const string ObjectIdClaim = "askel/oid";

    /// <summary>The user's Entra object id (from <c>X-MS-CLIENT-PRINCIPAL-ID</c> or the <c>oid</c> claim), if any.</summary>
    public static string? ObjectId(ClaimsPrincipal user) => user?.FindFirst(ObjectIdClaim)?.Value;

    /// <summary>
    /// The object ids of the Entra groups the user is in, from the token's <c>groups</c> claims (the app registration
    /// must emit them: "groupMembershipClaims", best "ApplicationGroup" so only groups assigned to the app come).
    /// </summary>
    public static IReadOnlyList<string> Groups(ClaimsPrincipal user) =>
        user is null ? [] : [.. user.FindAll("groups").Select(c => c.Value).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>
    /// True when the token had too many groups to list them (Entra then sends <c>_claim_names</c> instead of
    /// <c>groups</c>): group-based decisions cannot be made from the token, and the user should be given access by
    /// app role or by name instead — or the app registration should emit only groups assigned to the app.
    /// </summary>
    public static bool GroupsOverflowed(ClaimsPrincipal user) =>
        user is not null && user.FindAll("_claim_names").Any(c => c.Value.Contains("groups", StringComparison.Ordinal));
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

    /// <summary>Every role Askel knows.</summary>
    public static readonly IReadOnlyList<string> All = [Admin, Coordinator, Manager];

    /// <summary>Policy: may manage workflow instances (admin or coordinator).</summary>
    public const string ManageInstances = "manage-instances";

    /// <summary>Authentication from App Service's client principal, the role policies, and the request limits.</summary>
    public static IHostApplicationBuilder AddAskelSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(AppServiceAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, AppServiceAuthenticationHandler>(AppServiceAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ManageInstances, policy => policy.RequireRole(Admin, Coordinator));
        builder.Services.AddSingleton<RequestAccess>();
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);
        builder.Services.AddSingleton<RateLimits>();
        return builder;
    }
}
