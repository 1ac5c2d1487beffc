namespace Askel.Runtime.Storage;

/// <summary>The three loopback ports an Azurite instance serves blobs, queues and tables on.</summary>
public readonly record struct AzuritePorts(int Blob, int Queue, int Table)
{
    /// <summary>Azurite's own defaults, which <c>UseDevelopmentStorage=true</c> also means.</summary>
    public static AzuritePorts Default { get; } = new(10000, 10001, 10002);

    /// <summary>Three ports that are free on 127.0.0.1 right now (for tests and side-by-side runs).</summary>
    public static AzuritePorts Free() => new(FreePort(), FreePort(), FreePort());

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
