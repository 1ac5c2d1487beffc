using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Azure.Functions.Worker;

namespace Askel.App.LocalHost;

/// <summary>
/// Runs the timer functions on their schedules where no Functions host does, each run in a scope of its own as an
/// invocation. An in-memory test server (no network address) runs none: a test fires timers itself. A timer whose
/// <c>AzureWebJobs.&lt;name&gt;.Disabled</c> setting is true does not run, as under the Functions host.
/// </summary>
public sealed class LocalTimers(
    LocalFunctions functions, IServiceProvider services, IServer server, IHostApplicationLifetime lifetime, TimeProvider time, IConfiguration configuration,
    ILogger<LocalTimers> logger)
    : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(started.SetResult))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        if (server.Features.Get<IServerAddressesFeature>()?.Addresses.Count is null or 0)
        {
            return;
        }

        var runners = functions.Timers.Where(function => !configuration.GetValue<bool>($"AzureWebJobs.{function.Name}.Disabled")).Select(function => new TimerTriggerRunner(
            function.Name, (TimerTrigger)function.Declaration.Trigger, (timer, cancellationToken) => RunAsync(function, timer, cancellationToken), time, logger));
        try
        {
            await Task.WhenAll(runners.Select(runner => runner.RunAsync(stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private Task RunAsync(FunctionMethod function, TimerInfo timer, CancellationToken cancellationToken) =>
        RunOnceAsync(function, services, timer, cancellationToken);

    /// <summary>One invocation of a timer function, in a scope of its own.</summary>
    public static async Task RunOnceAsync(FunctionMethod function, IServiceProvider services, TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        await using var scope = services.CreateAsyncScope();
        await function.InvokeAsync(scope.ServiceProvider, [.. function.Parameters.Select(p =>
            p == function.TriggerParameter ? timer : (object)cancellationToken)]);
    }
}
