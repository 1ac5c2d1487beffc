using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Askel.Runtime.Storage;
using Xunit.Abstractions;

namespace Askel.App.Tests.Operations;

public sealed class HealthEndpointsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Get_StorageAnswers_Healthy200WithStorageCheck()
    {
        await using var app = await AskelAppFactory.CreateAsync(output);

        using var response = await app.CreateClient().GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Get_StorageUnreachable_Unhealthy503()
    {
        // Nothing listens on these ports: a storage account that cannot be reached.
        var unreachable = StorageAccount.ForEmulator(AzuritePorts.Free());
        await using var app = new AskelAppFactory(output, unreachable.ConnectionString);

        using var response = await app.CreateClient().GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unhealthy", body.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
    }
}
