using System.Net;
using Askel.App.Participants;
using Askel.App.Projects;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Askel.App.Tests.Coordinator.CoordinatorBrowser;

namespace Askel.App.Tests.Coordinator;

/// <summary>
/// In Azure a coordinator is known by their Entra object id: one whose sign-in name changed keeps their project and
/// their caseload, and someone who signs in with their old name gets neither.
/// </summary>
public sealed class ObjectIdSignInTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Oid = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
    private AskelAppFactory _factory = null!;
    private WebApplicationFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        _factory = await AskelAppFactory.CreateAsync(output);
        // The demo project as a file in Azure would give it: its coordinator with their object id, ids alone deciding.
        var demo = _factory.Services.GetRequiredService<ProjectCatalog>().Find("demo")! with
        {
            ObjectIds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["coordinator@askel.local"] = Oid },
            ObjectIdsOnly = true,
        };
        _app = _factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton(ProjectCatalog.Of(demo))));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task RenamedInEntra_TheCoordinatorEnrolsUnderTheProjectsNameForThem_AndTheOldNameOpensNothing()
    {
        using var renamed = Client("maija.virtanen@askel.local", Oid);
        var id = await EnrolAsync(renamed, "Aino", "Virtanen", "aino@example.org", null);

        var row = (await _app.Services.GetRequiredService<ParticipantService>().FindAsync("demo", id, CancellationToken.None))!;
        Assert.Equal("coordinator@askel.local", row.EnrolledBy);
        var list = WebUtility.HtmlDecode(await renamed.GetStringAsync("/coordinator/projects/demo"));
        Assert.Contains("Aino Virtanen", list, StringComparison.Ordinal);
        Assert.DoesNotContain("ilman koordinaattoria", list, StringComparison.Ordinal);

        using var oldName = Client("coordinator@askel.local", "00000000-0000-0000-0000-000000000001");
        using var refused = await oldName.GetAsync("/coordinator/projects/demo");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    private HttpClient Client(string name, string objectId)
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL", Principals.Header(name, objectId, "coordinator"));
        return client;
    }
}
