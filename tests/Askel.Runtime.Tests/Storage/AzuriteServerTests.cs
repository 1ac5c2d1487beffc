using System.Net;
using System.Net.Sockets;
using Askel.Runtime.Storage;
using Askel.Testing;

namespace Askel.Runtime.Tests.Storage;

public sealed class AzuriteServerTests
{
    [Fact]
    public void Arguments_Always_DisableTelemetryAndBindToLoopback()
    {
        var arguments = AzuriteServer.Arguments("azurite.js", new AzuritePorts(1, 2, 3), dataPath: "/data");

        Assert.Contains("--disableTelemetry", arguments);
        Assert.Equal(3, arguments.Count(a => a == "127.0.0.1"));
        Assert.Equal(["--blobHost", "--queueHost", "--tableHost"], arguments.Where((_, i) => i + 1 < arguments.Count && arguments[i + 1] == "127.0.0.1"));
        Assert.Equal("/data", arguments[arguments.ToList().IndexOf("--location") + 1]);
    }

    [Fact]
    public async Task ThePreloadedWatcher_EndsNode_WhenTheParentsPipeCloses()
    {
        // What happens to Azurite when the process that started it dies without stopping it: its stdin pipe closes.
        var start = new System.Diagnostics.ProcessStartInfo("node") { RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--require", AzuriteServer.ExitWithParentScript(), "-e", "setInterval(() => {}, 1000)" })
        {
            start.ArgumentList.Add(argument);
        }

        using var node = System.Diagnostics.Process.Start(start)!;
        Assert.False(node.HasExited); // a server that would otherwise run for ever

        node.StandardInput.Close();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await node.WaitForExitAsync(timeout.Token); // throws when node outlives its parent's pipe
        Assert.True(node.HasExited);
    }

    [Fact]
    public async Task ThePreloadedWatcher_KeepsNodeThroughCtrlC_UntilTheParentsPipeCloses()
    {
        // Ctrl+C in a terminal reaches Azurite as well as the app: Azurite (here its SIGINT handler, as azurite.js
        // registers it) must stay up while the app stops its workers. SIGUSR2 after SIGINT answers only if it did.
        const string Server = "process.once('SIGINT', () => process.exit(3)); process.on('SIGUSR2', () => console.log('still here')); setInterval(() => {}, 1000); console.log('ready');";
        var start = new System.Diagnostics.ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--require", AzuriteServer.ExitWithParentScript(), "-e", Server })
        {
            start.ArgumentList.Add(argument);
        }

        using var node = System.Diagnostics.Process.Start(start)!;
        Assert.Equal("ready", await node.StandardOutput.ReadLineAsync());

        await SignalAsync("INT", node.Id);
        await SignalAsync("USR2", node.Id); // delivered after SIGINT, in order

        Assert.Equal("still here", await node.StandardOutput.ReadLineAsync());
        node.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await node.WaitForExitAsync(timeout.Token);
        Assert.NotEqual(3, node.ExitCode);
    }

    private static async Task SignalAsync(string signal, int pid)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    [Fact]
    public async Task StartAsync_PortTakenByAnotherProgram_ThrowsSayingWhichAndWhatToDo()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var ports = AzuritePorts.Free() with { Queue = taken };

        var error = await Assert.ThrowsAsync<AzuriteStartException>(() =>
            AzuriteServer.StartAsync(ports, null, [AppContext.BaseDirectory], CancellationToken.None));

        Assert.Contains($"Port {taken} on 127.0.0.1 is in use by another program", error.Message, StringComparison.Ordinal);
        Assert.Contains("AzureWebJobsStorage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_AzuriteAlreadyListening_ReusesIt()
    {
        var running = await Azurite.GetAsync();

        await using var second = await AzuriteServer.StartAsync(running.Ports, null, [AppContext.BaseDirectory], CancellationToken.None);

        Assert.False(second.StartedHere);
        Assert.Equal(running.Account.ConnectionString, second.Account.ConnectionString);
    }

    [Fact]
    public async Task StartAsync_NotInstalled_ThrowsPointingAtNpmCi()
    {
        var empty = Directory.CreateTempSubdirectory("askel-no-node-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<AzuriteStartException>(() =>
                AzuriteServer.StartAsync(AzuritePorts.Free(), null, [empty], CancellationToken.None));

            Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public async Task StartAsync_FreePorts_ServesTablesAndQueues()
    {
        await using var server = await AzuriteServer.StartAsync(AzuritePorts.Free(), null, [AppContext.BaseDirectory], CancellationToken.None);

        var table = server.Account.CreateTableServiceClient().GetTableClient("probe");
        await table.CreateIfNotExistsAsync();
        await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity("p", "r") { ["Value"] = 42 });
        var queue = server.Account.CreateQueueClient("probe");
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("hello");

        Assert.True(server.StartedHere);
        Assert.Equal(42, (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>("p", "r")).Value.GetInt32("Value"));
        Assert.Equal("hello", (await queue.ReceiveMessageAsync()).Value.Body.ToString());
    }
}
