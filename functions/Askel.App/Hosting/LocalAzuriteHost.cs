using Askel.Runtime.Storage;
using Microsoft.Extensions.Options;

namespace Askel.App.Hosting;

/// <summary>Starts Azurite when no storage account is configured, before any other service uses storage.</summary>
internal sealed class LocalAzuriteHost(IOptions<AskelOptions> options, ILogger<LocalAzuriteHost> logger) : IHostedService, IAsyncDisposable
{
    private AzuriteServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var dataPath = Path.GetFullPath(Path.Combine(options.Value.DataPath, "azurite"));
        var ports = AzuritePorts.Default;
        _server = await AzuriteServer.StartAsync(ports, dataPath, [Directory.GetCurrentDirectory(), AppContext.BaseDirectory], cancellationToken);
        if (_server.StartedHere)
        {
            logger.AzuriteStarted(ports.Blob, ports.Queue, ports.Table, dataPath);
        }
        else
        {
            logger.AzuriteReused(ports.Blob, ports.Queue, ports.Table);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }
}
