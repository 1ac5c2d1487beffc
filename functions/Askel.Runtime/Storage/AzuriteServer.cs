using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Askel.Runtime.Storage;

/// <summary>
/// A local Azurite process: the storage emulator pinned in the repository's <c>package.json</c>,
/// run from <c>node_modules</c>, bound to 127.0.0.1 and always started with <c>--disableTelemetry</c>.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process? _process;

    private AzuriteServer(AzuritePorts ports, Process? process)
    {
        Ports = ports;
        _process = process;
        Account = StorageAccount.ForEmulator(ports);
    }

    /// <summary>The ports it serves on.</summary>
    public AzuritePorts Ports { get; }

    /// <summary>The account it serves.</summary>
    public StorageAccount Account { get; }

    /// <summary>False when an Azurite that was already running on the ports is being reused.</summary>
    public bool StartedHere => _process is not null;

    /// <summary>
    /// Starts Azurite on <paramref name="ports"/>, or reuses an Azurite already listening there.
    /// </summary>
    /// <param name="ports">The loopback ports to serve on.</param>
    /// <param name="dataPath">Where to keep data; null keeps everything in memory (tests).</param>
    /// <param name="searchFrom">Folders to search upwards from for <c>node_modules/azurite</c>.</param>
    /// <param name="cancellationToken">Stops waiting for start-up.</param>
    /// <exception cref="AzuriteStartException">Azurite is missing, a port is taken by something else, or it did not start.</exception>
    public static async Task<AzuriteServer> StartAsync(
        AzuritePorts ports, string? dataPath, IEnumerable<string> searchFrom, CancellationToken cancellationToken)
    {
        int[] all = [ports.Blob, ports.Queue, ports.Table];
        var taken = all.Where(port => !IsFree(port)).ToArray();
        if (taken.Length > 0)
        {
            if (taken.Length == all.Length && await IsAzuriteAsync(ports.Table, cancellationToken))
            {
                return new AzuriteServer(ports, process: null);
            }

            throw new AzuriteStartException(
                $"Port {string.Join(", ", taken)} on 127.0.0.1 is in use by another program, so Azurite cannot start. " +
                "Stop that program, or set AzureWebJobsStorage to a storage account's connection string.");
        }

        var script = FindScript(searchFrom) ?? throw new AzuriteStartException(
            "Azurite is not installed (node_modules/azurite was not found). Run 'npm ci' in the repository " +
            "(./askel run does it for you), or set AzureWebJobsStorage to a storage account's connection string.");

        // Azurite's stdin is a pipe from this process: when this process ends in any way (even killed, when no
        // exit handler runs), the pipe closes and the preloaded watcher ends Azurite too — no orphan keeps the ports.
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--require");
        start.ArgumentList.Add(ExitWithParentScript());
        foreach (var argument in Arguments(script, ports, dataPath))
        {
            start.ArgumentList.Add(argument);
        }

        if (dataPath is not null)
        {
            Directory.CreateDirectory(dataPath);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new AzuriteStartException("Azurite could not be started: 'node' did not run.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new AzuriteStartException($"Azurite could not be started: 'node' is not on the PATH ({e.Message}). Install Node.js 20 or newer.");
        }

        var server = new AzuriteServer(ports, process);
        try
        {
            await server.WaitUntilListeningAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The command-line arguments Azurite is started with.</summary>
    public static IReadOnlyList<string> Arguments(string script, AzuritePorts ports, string? dataPath)
    {
        List<string> arguments =
        [
            script,
            "--disableTelemetry",
            "--silent",
            "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--blobPort", ports.Blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", ports.Queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", ports.Table.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        if (dataPath is null)
        {
            arguments.Add("--inMemoryPersistence");
        }
        else
        {
            arguments.Add("--location");
            arguments.Add(dataPath);
        }

        return arguments;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        // Azurite prints one "successfully listening" line per service once its port is bound.
        var remaining = new HashSet<string>(StringComparer.Ordinal) { "Blob", "Queue", "Table" };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var errors = _process!.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            while (remaining.Count > 0)
            {
                var line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    var error = (await errors).Trim();
                    throw new AzuriteStartException(
                        $"Azurite stopped during start-up: {(error.Length > 0 ? error.Split('\n')[0] : "no reason given")}. " +
                        "Check that ports are free and the data folder is writable, or set AzureWebJobsStorage to a storage account.");
                }

                remaining.RemoveWhere(service => line.Contains($"Azurite {service} service is successfully listening", StringComparison.Ordinal));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AzuriteStartException($"Azurite did not start within {StartTimeout.TotalSeconds:0} s.");
        }

        // Keep draining its output so a full pipe never blocks it.
        _ = _process.StandardOutput.ReadToEndAsync(CancellationToken.None);
    }

    /// <summary>
    /// Stops node when stdin ends (the end of the pipe from the process that started Azurite): SIGTERM, which Azurite
    /// answers by closing its servers and saving its data, and a plain exit if that has not ended it within 10 s.
    /// Ctrl+C in a terminal reaches Azurite too (the whole foreground group): it is ignored, so storage stays up while
    /// the app that started it stops its workers, and goes when the app has gone.
    /// </summary>
    public const string ExitWithParent =
        "const stop = () => { setTimeout(() => process.exit(0), 10000).unref(); process.kill(process.pid, 'SIGTERM'); };\n" +
        "process.stdin.on('end', stop); process.stdin.on('error', stop); process.stdin.resume();\n" +
        "const once = process.once.bind(process);\n" +
        "process.once = (event, listener) => event === 'SIGINT' ? process : once(event, listener);\n" +
        "process.on('SIGINT', () => {});\n";

    /// <summary>The watcher as a file node can preload (<c>--require</c>), written once per machine (atomically: parallel test runs share it).</summary>
    public static string ExitWithParentScript()
    {
        var path = Path.Combine(Path.GetTempPath(), "askel-azurite-exit-with-parent-v3.js");
        if (!File.Exists(path) || File.ReadAllText(path) != ExitWithParent)
        {
            var temporary = path + "." + Guid.NewGuid().ToString("N");
            File.WriteAllText(temporary, ExitWithParent);
            File.Move(temporary, path, overwrite: true);
        }

        return path;
    }

    private static string? FindScript(IEnumerable<string> searchFrom)
    {
        foreach (var start in searchFrom)
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var script = Path.Combine(folder.FullName, "node_modules", "azurite", "dist", "src", "azurite.js");
                if (File.Exists(script))
                {
                    return script;
                }
            }
        }

        return null;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> IsAzuriteAsync(int tablePort, CancellationToken cancellationToken)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{tablePort}/"), cancellationToken);
            return response.Headers.Server.ToString().Contains("Azurite", StringComparison.OrdinalIgnoreCase);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

/// <summary>Azurite could not be started; the message says what to do.</summary>
public sealed class AzuriteStartException(string message) : Exception(message);
