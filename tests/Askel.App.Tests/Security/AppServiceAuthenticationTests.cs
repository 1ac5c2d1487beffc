using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Askel.App.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using static Askel.App.Tests.Security.EasyAuthHeaders;

namespace Askel.App.Tests.Security;

/// <summary>
/// App Service authentication's headers, exactly as the platform sends them for an Entra user, read into Askel's
/// user: the sign-in name project files list, the app roles, the groups, the object id — and trusted only where the
/// platform is the one that can have set them.
/// </summary>
public sealed class AppServiceAuthenticationTests
{
    private const string Upn = "maija.meikalainen@tampere.fi";
    private const string ObjectId = "8d4f0e2a-7c1b-4a6e-9f3d-2b5c8e1a0f7d";
    private const string Group = "3c9a1f5e-0d2b-4e8f-a7c6-5b4d3e2f1a0b";

    private static readonly Dictionary<string, string?> InAzure = new()
    {
        ["WEBSITE_AUTH_ENABLED"] = "True",
        ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "40001",
    };

    [Fact]
    public async Task TheHeadersOfAnEntraUser_GiveTheSignInName_AppRoles_Groups_AndObjectId()
    {
        await using var app = await TestApp.StartAsync(InAzure, IPAddress.Loopback);

        var who = await app.WhoAsync(Get("/who", Upn, ["coordinator", "manager"], [Group], ObjectId));

        Assert.True(who.Authenticated);
        // preferred_username, not the display name ("name") nor whatever name_typ points at.
        Assert.Equal(Upn, who.Name);
        Assert.Equal(["coordinator", "manager"], who.Roles.Order(StringComparer.Ordinal));
        Assert.Equal([Group], who.Groups);
        Assert.Equal(ObjectId, who.ObjectId);
        Assert.False(who.GroupsOverflowed);
    }

    [Fact]
    public async Task AppRolesCountWhateverRoleTypeThePlatformNames_AndAskelsRoleNamesIgnoreCase()
    {
        await using var app = await TestApp.StartAsync(InAzure, IPAddress.Loopback);
        var claims = V2Claims(Upn, "Maija", ObjectId, ["Coordinator"], []);
        claims.Add((RoleType, "ADMIN"));
        claims.Add(("roles", "reporting-reader"));

        var who = await app.WhoAsync(new HttpRequestMessage(HttpMethod.Get, "/who").SignedIn(Upn, ObjectId, Principal(claims)));
        using var manage = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/manage").SignedIn(Upn, ObjectId, Principal(claims)));

        Assert.Equal(["admin", "coordinator", "reporting-reader"], who.Roles.Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, manage.StatusCode);
    }

    [Fact]
    public async Task AV1TokenWithoutPreferredUsername_UsesTheUpnClaim()
    {
        await using var app = await TestApp.StartAsync(InAzure, IPAddress.Loopback);
        var claims = V2Claims("someone.else@tampere.fi", "Maija", ObjectId, ["manager"], [])
            .Where(c => c.Typ != "preferred_username").ToList();
        claims.Add(("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", Upn));

        var who = await app.WhoAsync(new HttpRequestMessage(HttpMethod.Get, "/who").SignedIn("ignored@tampere.fi", ObjectId, Principal(claims)));

        Assert.Equal(Upn, who.Name);
    }

    [Fact]
    public async Task WithoutANameClaim_ThePrincipalNameHeaderNamesTheUser()
    {
        await using var app = await TestApp.StartAsync(InAzure, IPAddress.Loopback);
        var claims = new List<(string, string)> { ("roles", "coordinator"), ("ver", "2.0") };

        var who = await app.WhoAsync(new HttpRequestMessage(HttpMethod.Get, "/who").SignedIn(Upn, ObjectId, Principal(claims)));

        Assert.Equal(Upn, who.Name);
        Assert.Equal(ObjectId, who.ObjectId);
        Assert.Equal(["coordinator"], who.Roles);
    }

    [Fact]
    public async Task TooManyGroupsForTheToken_IsReported_AndNoGroupsAreClaimed()
    {
        await using var app = await TestApp.StartAsync(InAzure, IPAddress.Loopback);
        var claims = V2Claims(Upn, "Maija", ObjectId, ["manager"], []);
        claims.Add(("_claim_names", "{\"groups\":\"src1\"}"));

        var who = await app.WhoAsync(new HttpRequestMessage(HttpMethod.Get, "/who").SignedIn(Upn, ObjectId, Principal(claims)));

        Assert.Empty(who.Groups);
        Assert.True(who.GroupsOverflowed);
    }

    [Fact]
    public async Task UnderTheFunctionsHostWithoutAppServiceAuthentication_AForgedHeaderIsRefused_ThoughItComesFromLoopback()
    {
        // Under the host every request reaches the worker from 127.0.0.1: loopback proves nothing there.
        await using var app = await TestApp.StartAsync(new() { [HostingNames.WorkerHostEndpoint] = "http://127.0.0.1:40001" }, IPAddress.Loopback);

        var who = await app.WhoAsync(Get("/who", Upn, ["admin"]));
        using var manage = await app.Client.SendAsync(Get("/manage", Upn, ["admin"]));

        Assert.False(who.Authenticated);
        Assert.Equal(HttpStatusCode.Unauthorized, manage.StatusCode);
    }

    [Fact]
    public async Task Locally_TheHeaderIsTrustedFromLoopback_AndRefusedFromAnotherAddress()
    {
        await using var loopback = await TestApp.StartAsync([], IPAddress.Loopback);
        await using var remote = await TestApp.StartAsync([], IPAddress.Parse("192.0.2.10"));

        var local = await loopback.WhoAsync(Get("/who", Upn, ["coordinator"]));
        var forged = await remote.WhoAsync(Get("/who", Upn, ["coordinator"]));

        Assert.True(local.Authenticated);
        Assert.False(forged.Authenticated);
    }

    [Fact]
    public async Task AMalformedHeader_AuthenticatesNoOne()
    {
        await using var app = await TestApp.StartAsync(InAzure, IPAddress.Loopback);
        var notBase64 = new HttpRequestMessage(HttpMethod.Get, "/who");
        notBase64.Headers.Add("X-MS-CLIENT-PRINCIPAL", "not base64 at all");
        var noClaims = new HttpRequestMessage(HttpMethod.Get, "/who");
        noClaims.Headers.Add("X-MS-CLIENT-PRINCIPAL", Convert.ToBase64String("{\"auth_typ\":\"aad\"}"u8.ToArray()));

        Assert.False((await app.WhoAsync(notBase64)).Authenticated);
        Assert.False((await app.WhoAsync(noClaims)).Authenticated);
    }

    [Fact]
    public async Task TheManagerRoleAlone_MayNotManageInstances()
    {
        await using var app = await TestApp.StartAsync(InAzure, IPAddress.Loopback);

        using var manager = await app.Client.SendAsync(Get("/manage", Upn, ["manager"]));
        using var coordinator = await app.Client.SendAsync(Get("/manage", Upn, ["coordinator"]));

        Assert.Equal(HttpStatusCode.Forbidden, manager.StatusCode);
        Assert.Equal(HttpStatusCode.OK, coordinator.StatusCode);
    }

    private sealed record Who(bool Authenticated, string? Name, string[] Roles, string[] Groups, string? ObjectId, bool GroupsOverflowed);

    /// <summary>Askel's security setup alone, in memory, with a fixed client address.</summary>
    private sealed class TestApp(WebApplication app) : IAsyncDisposable
    {
        public HttpClient Client { get; } = app.GetTestClient();

        public static async Task<TestApp> StartAsync(Dictionary<string, string?> settings, IPAddress remote)
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.AddAskelSecurity();
            var app = builder.Build();
            app.Use((context, next) =>
            {
                context.Connection.RemoteIpAddress = remote;
                return next(context);
            });
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/who", (ClaimsPrincipal user) => new Who(
                user.Identity?.IsAuthenticated ?? false,
                user.Identity?.Name,
                [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)],
                [.. AppServicePrincipal.Groups(user)],
                AppServicePrincipal.ObjectId(user),
                AppServicePrincipal.GroupsOverflowed(user)));
            app.MapGet("/manage", () => "ok").RequireAuthorization(AskelRoles.ManageInstances);
            await app.StartAsync();
            return new TestApp(app);
        }

        public async Task<Who> WhoAsync(HttpRequestMessage request)
        {
            using (request)
            {
                using var response = await Client.SendAsync(request);
                response.EnsureSuccessStatusCode();
                return (await response.Content.ReadFromJsonAsync<Who>())!;
            }
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await app.DisposeAsync();
        }
    }
}
