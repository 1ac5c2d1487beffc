using Askel.Runtime.Storage;

namespace Askel.Testing;

/// <summary>
/// One real Azurite per test process, in memory, on free loopback ports. Tests isolate themselves
/// by using their own table and queue names (<see cref="UniqueName"/>), so they can run in parallel.
/// </summary>
public static class Azurite
{
    private static readonly Lazy<Task<AzuriteServer>> Server = new(StartAsync);

    /// <summary>The shared server, started on first use and stopped when the test process exits.</summary>
    public static Task<AzuriteServer> GetAsync() => Server.Value;

    /// <summary>The shared server's account.</summary>
    public static async Task<StorageAccount> AccountAsync() => (await GetAsync()).Account;

    /// <summary>A name unique to this call, valid for tables and queues (lower-case letters and digits).</summary>
    public static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 12, 63)];

    private static async Task<AzuriteServer> StartAsync()
    {
        var server = await AzuriteServer.StartAsync(AzuritePorts.Free(), dataPath: null, [AppContext.BaseDirectory], CancellationToken.None);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }
}
