using System.Net;
using System.Net.Sockets;
using Askel.Runtime.Storage;
using Askel.Testing;

namespace Askel.App.Tests.Hosting;

/// <summary>The real executable, started as a developer starts it (the Functions host cannot run here).</summary>
public sealed class StartupTests
{
    private static readonly string App = Path.Combine(AppContext.BaseDirectory, "askel.dll");

    [Fact]
    public async Task Start_Locally_ServesTheFunctionsOfFunctionsMetadataOnTheLoopbackPort()
    {
        var port = AzuritePorts.Free().Blob;
        await using var askel = AskelProcess.Start(App, Path.GetTempPath(), new Dictionary<string, string>
        {
            ["Askel__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AzureWebJobsStorage"] = (await Azurite.AccountAsync()).ConnectionString,
        });

        await askel.RunningAsync();
        using var http = new HttpClient();
        using var health = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/api/health"));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains(askel.Output, line => line.Contains("HTTP, 3 timer, 2 orchestrator and 5 activity function(s) from functions.metadata", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_InAzureWithLocalSignIn_IsRefusedWithOneLine()
    {
        await using var askel = AskelProcess.Start(App, Path.GetTempPath(), new Dictionary<string, string>
        {
            ["Askel__Port"] = AzuritePorts.Free().Blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AzureWebJobsStorage"] = (await Azurite.AccountAsync()).ConnectionString,
            ["Askel__LinkSecret"] = Convert.ToBase64String(new byte[32]),
            ["Askel__LocalSignIn"] = "true",
            ["WEBSITE_INSTANCE_ID"] = "0123456789abcdef", // what the platform sets on an Azure instance
        });

        Assert.Equal(1, await askel.ExitCodeAsync());
        var line = Assert.Single(askel.Output, l => l.StartsWith("askel: ", StringComparison.Ordinal));
        Assert.Contains("Askel__LocalSignIn is set on an Azure instance", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InAzure_WarnsOfEveryProjectThatNamesPeopleWithoutAnObjectId()
    {
        var port = AzuritePorts.Free().Blob;
        await using var askel = AskelProcess.Start(App, Path.GetTempPath(), new Dictionary<string, string>
        {
            ["Askel__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AzureWebJobsStorage"] = (await Azurite.AccountAsync()).ConnectionString,
            ["Askel__LinkSecret"] = Convert.ToBase64String(new byte[32]),
            ["WEBSITE_INSTANCE_ID"] = "0123456789abcdef",
        });

        await askel.RunningAsync();

        // The demo projects name everyone by sign-in name, which decides no access in Azure: said once per project, counted.
        Assert.Contains(askel.Output, line => line.Contains("Project demo names 2 coordinator(s) or manager(s) without an Entra object id", StringComparison.Ordinal));
        Assert.Contains(askel.Output, line => line.Contains("Project demo-eura names 3 coordinator(s) or manager(s) without an Entra object id", StringComparison.Ordinal));
        Assert.DoesNotContain(askel.Output, line => line.Contains("@askel.local", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_PortInUse_ExitsWithOneLineThatSaysWhatToDo()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var askel = AskelProcess.Start(App, Path.GetTempPath(), new Dictionary<string, string>
        {
            ["Askel__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AzureWebJobsStorage"] = (await Azurite.AccountAsync()).ConnectionString,
        });

        Assert.Equal(1, await askel.ExitCodeAsync());
        var line = Assert.Single(askel.Output, l => l.StartsWith("askel: ", StringComparison.Ordinal));
        Assert.Contains($"Port {port} on 127.0.0.1 is in use by another program", line, StringComparison.Ordinal);
        Assert.Contains($"Askel__Port={port + 1}", line, StringComparison.Ordinal);
    }
}
