using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;
using static Askel.App.Tests.Security.EasyAuthHeaders;

namespace Askel.App.Tests.Security;

/// <summary>
/// The real app behind App Service authentication (WEBSITE_AUTH_ENABLED=True, no local sign-in): an Entra user's
/// app role lets them in, and the project files' sign-in names decide which projects they see.
/// </summary>
public sealed class EasyAuthCoordinatorPagesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AskelAppFactory _factory = null!;
    private WebApplicationFactory<Program> _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _factory = await AskelAppFactory.CreateAsync(output);
        _app = _factory.WithWebHostBuilder(builder => builder.UseSetting("WEBSITE_AUTH_ENABLED", "True").UseSetting("Askel:LocalSignIn", "false"));
        _client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Theory]
    // Listed as coordinator of both demo projects (workflows/projects/*.yaml).
    [InlineData("coordinator@askel.local", "coordinator", "/coordinator/projects/demo", HttpStatusCode.OK)]
    [InlineData("Coordinator@Askel.Local", "coordinator", "/coordinator/projects/demo-eura", HttpStatusCode.OK)]
    // Listed in demo-eura only: the other project answers as if it did not exist.
    [InlineData("coach@askel.local", "coordinator", "/coordinator/projects/demo-eura", HttpStatusCode.OK)]
    [InlineData("coach@askel.local", "coordinator", "/coordinator/projects/demo", HttpStatusCode.NotFound)]
    // The app role without a project file naming them: no project.
    [InlineData("someone@tampere.fi", "coordinator", "/coordinator/projects/demo", HttpStatusCode.NotFound)]
    // Admins see every project without being listed.
    [InlineData("it-admin@tampere.fi", "admin", "/coordinator/projects/demo", HttpStatusCode.OK)]
    // Listed as coordinator, but Entra gave them only the manager role: in the door, but no participant's data.
    [InlineData("coordinator@askel.local", "manager", "/coordinator", HttpStatusCode.OK)]
    [InlineData("coordinator@askel.local", "manager", "/coordinator/projects/demo", HttpStatusCode.NotFound)]
    // A manager of the project reads its summary, not its participants.
    [InlineData("manager@askel.local", "manager", "/coordinator/projects/demo/summary", HttpStatusCode.OK)]
    [InlineData("manager@askel.local", "manager", "/coordinator/projects/demo", HttpStatusCode.NotFound)]
    // No Askel role at all: refused at the door.
    [InlineData("coordinator@askel.local", "reader", "/coordinator", HttpStatusCode.Forbidden)]
    public async Task TheAppRoleOpensTheDoor_AndTheProjectFileDecidesTheProject(string upn, string role, string path, HttpStatusCode expected)
    {
        using var response = await _client.SendAsync(Get(path + "?lang=en", upn, [role]));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task WithoutTheHeaders_ThePagesAnswer401WithTheEntraSignInLink()
    {
        using var response = await _client.GetAsync("/coordinator?lang=en");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("/.auth/login/aad", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedSignInAndARefusal_AreLogged_WithoutWhoItWas()
    {
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/coordinator?lang=en");
        forged.Headers.Add("X-MS-CLIENT-PRINCIPAL", "not-base64-json-from-Mallory");
        forged.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", "mallory@evil.example");
        using var refused = await _client.SendAsync(forged);
        using var manager = await _client.SendAsync(Get("/api/instances", "manager@askel.local", ["manager"]));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden), (refused.StatusCode, manager.StatusCode));
        var lines = _factory.Logs.Lines.Where(l => l.Contains("[180", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.Contains("Sign-in failed: the client principal header is malformed", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Request refused by the policy coordinator-pages: 401", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Request refused by the policy manage-instances: 403", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain("mallory", l, StringComparison.OrdinalIgnoreCase));
        Assert.All(lines, l => Assert.DoesNotContain("manager@", l, StringComparison.Ordinal));
    }
}
