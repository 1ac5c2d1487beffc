using System.Text;
using System.Text.Json;

namespace Askel.App.Tests;

/// <summary>The exact header App Service authentication sends for a signed-in Entra user.</summary>
public static class Principals
{
    public static string Header(string name, params string[] roles) => Header(name, Guid.NewGuid().ToString(), roles);

    /// <summary>The header of a user with the Entra object id <paramref name="objectId"/>.</summary>
    public static string Header(string name, string objectId, params string[] roles)
    {
        var claims = new List<object>
        {
            new { typ = "name", val = name },
            new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = objectId },
        };
        claims.AddRange(roles.Select(role => new { typ = "roles", val = role }));
        var principal = new { auth_typ = "aad", claims, name_typ = "name", role_typ = "roles" };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(principal)));
    }

    public static HttpClient As(this HttpClient client, string name, params string[] roles)
    {
        client.DefaultRequestHeaders.Remove("X-MS-CLIENT-PRINCIPAL");
        client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL", Header(name, roles));
        return client;
    }
}
