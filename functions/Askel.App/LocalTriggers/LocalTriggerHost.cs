using Askel.App.CustomHandler;
using Askel.Runtime.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Askel.App.LocalTriggers;

/// <summary>
/// Stands in for the Functions host where there is none: reads the same function.json files and
/// fires timers and polls queues, calling this process's own handler endpoints over loopback.
/// Under the real host (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c> is set) it does nothing.
/// </summary>
internal sealed class LocalTriggerHost(
    FunctionManifest manifest,
    IConfiguration configuration,
    StorageAccount storage,
    IServer server,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<LocalTriggerHost>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!string.IsNullOrEmpty(configuration[HostingNames.CustomHandlerPort]))
        {
            _logger.LocalTriggersOff("the Functions host runs the triggers");
            return;
        }

        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(started.SetResult))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
        {
            _logger.LocalTriggersOff("the server has no network address (in-memory test server)");
            return;
        }

        using var loopback = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/"), Timeout = Timeout.InfiniteTimeSpan };
        var invoker = new FunctionInvoker(loopback, loggers.CreateLogger<FunctionInvoker>());
        var timers = manifest.Functions.Where(f => f.Trigger is TimerTrigger)
            .Select(f => new TimerTriggerRunner(f, invoker, time, _logger))
            .ToArray();
        var queues = manifest.Functions.Where(f => f.Trigger is QueueTrigger)
            .Select(WithSettingsResolved)
            .Select(f => new QueueTriggerRunner(f, name => QueueAccount(f).CreateQueueClient(name), manifest.Host.Queues, invoker, time, _logger))
            .ToArray();
        _logger.LocalTriggersStarted(timers.Length, queues.Length, address);
        try
        {
            await Task.WhenAll(timers.Select(t => t.RunAsync(stoppingToken)).Concat(queues.Select(q => q.RunAsync(stoppingToken))));
        }
        catch (Exception e) when (stoppingToken.IsCancellationRequested && e is OperationCanceledException or HttpRequestException)
        {
            // Shutting down: a call in flight may find the server already gone.
        }
    }

    /// <summary>The queue function with its <c>%Setting%</c> queue name resolved, as the host resolves it.</summary>
    private FunctionDefinition WithSettingsResolved(FunctionDefinition function)
    {
        var trigger = (QueueTrigger)function.Trigger;
        return function with { Trigger = trigger with { QueueName = FunctionManifest.ResolveSettings(trigger.QueueName, configuration, function.Path) } };
    }

    private StorageAccount QueueAccount(FunctionDefinition function)
    {
        var connection = ((QueueTrigger)function.Trigger).Connection;
        return connection == HostingNames.StorageSetting ? storage : Hosting.StorageSettings.Read(configuration, connection);
    }
}
