using System.Text;
using System.Text.Json;

namespace Askel.App.Tests.Security;

/// <summary>
/// The headers App Service authentication (Easy Auth) sends with Microsoft Entra ID, shaped as the platform
/// shapes them: <c>X-MS-CLIENT-PRINCIPAL</c> is base64 JSON with <c>auth_typ</c> "aad", <c>name_typ</c> the
/// email-address claim type, <c>role_typ</c> the long role claim type, and the ID token's claims under their
/// token names — app roles as <c>roles</c>, groups as <c>groups</c>, one entry per value — beside
/// <c>X-MS-CLIENT-PRINCIPAL-NAME</c>, <c>-ID</c> and <c>-IDP</c>.
/// </summary>
public static class EasyAuthHeaders
{
    public const string NameType = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";
    public const string RoleType = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    public const string TenantId = "6f1c5e0a-3b9d-4c2e-8f7a-1d2e3f4a5b6c";
    public const string ClientId = "0b8e7d6c-5a4f-4e3d-9c2b-1a0f9e8d7c6b";

    /// <summary>A v2.0 ID token's claims as Easy Auth forwards them.</summary>
    public static List<(string Typ, string Val)> V2Claims(string upn, string displayName, string objectId, IEnumerable<string> roles, IEnumerable<string> groups)
    {
        var claims = new List<(string, string)>
        {
            ("aud", ClientId),
            ("iss", $"https://login.microsoftonline.com/{TenantId}/v2.0"),
            ("iat", "1795420800"),
            ("nbf", "1795420800"),
            ("exp", "1795424700"),
            ("aio", "AWQAm/8aAAAA"),
            (NameType, upn),
        };
        claims.AddRange(groups.Select(g => ("groups", g)));
        claims.Add(("name", displayName));
        claims.Add(("nonce", "5f0c2a1e9b7d4c3f8e6a"));
        claims.Add(("http://schemas.microsoft.com/identity/claims/objectidentifier", objectId));
        claims.Add(("preferred_username", upn));
        claims.Add(("rh", "0.AXkA"));
        claims.AddRange(roles.Select(r => ("roles", r)));
        claims.Add(("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier", "Zq3vY1n2b6x8Wm0"));
        claims.Add(("http://schemas.microsoft.com/identity/claims/tenantid", TenantId));
        claims.Add(("uti", "b3Yy7cQ1xE"));
        claims.Add(("ver", "2.0"));
        return claims;
    }

    /// <summary>The base64 principal for the given claims.</summary>
    public static string Principal(IEnumerable<(string Typ, string Val)> claims, string nameType = NameType, string roleType = RoleType)
    {
        var json = JsonSerializer.Serialize(new
        {
            auth_typ = "aad",
            claims = claims.Select(c => new { typ = c.Typ, val = c.Val }),
            name_typ = nameType,
            role_typ = roleType,
        });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Sets the four headers on a request as the platform does for a signed-in Entra user.</summary>
    public static HttpRequestMessage SignedIn(this HttpRequestMessage request, string upn, string objectId, string principal)
    {
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", upn);
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-ID", objectId);
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-IDP", "aad");
        return request;
    }

    /// <summary>A request carrying a realistic Entra user's headers.</summary>
    public static HttpRequestMessage Get(string path, string upn, string[] roles, string[]? groups = null, string? objectId = null)
    {
        var oid = objectId ?? Guid.NewGuid().ToString();
        return new HttpRequestMessage(HttpMethod.Get, path).SignedIn(upn, oid, Principal(V2Claims(upn, "Maija Meikäläinen", oid, roles, groups ?? [])));
    }
}
