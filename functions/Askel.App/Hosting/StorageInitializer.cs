namespace Askel.App.Hosting;

/// <summary>
/// Creates tables and queues once storage answers. Storage being down at start-up does not stop the app:
/// /api/health says so, and creation is retried with a growing pause (up to a minute) until it succeeds.
/// </summary>
public abstract class StorageInitializer(TimeProvider time, ILogger logger) : BackgroundService
{
    private bool _ready;

    /// <summary>Creates what is missing; must be safe to repeat.</summary>
    protected abstract Task CreateAsync(CancellationToken cancellationToken);

    /// <summary>Checks what must hold before the app starts (resolving services that validate themselves).</summary>
    protected virtual void CheckBeforeStart()
    {
    }

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        CheckBeforeStart();
        _ = await TryCreateAsync(cancellationToken); // normally storage answers: ready before the first request
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var wait = TimeSpan.FromSeconds(1); !_ready; wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromMinutes(1).Ticks)))
        {
            Logs.StorageNotReady(logger, wait.TotalSeconds);
            await Task.Delay(wait, time, stoppingToken);
            _ = await TryCreateAsync(stoppingToken);
        }
    }

    private async Task<bool> TryCreateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CreateAsync(cancellationToken);
            return _ready = true;
        }
        catch (Exception e) when (e is Azure.RequestFailedException or AggregateException or HttpRequestException)
        {
            return false;
        }
    }
}
