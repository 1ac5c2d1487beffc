using Microsoft.Azure.Functions.Worker;

namespace Askel.App.Privacy;

/// <summary>
/// <c>retention-daily</c> (timer, 00:30 UTC: the night in Finland): destroys what has passed its retention and finishes
/// erasures (<see cref="RetentionRun"/>). A run that reached its limit is continued the next night.
/// </summary>
public sealed class RetentionFunction(RetentionRun run)
{
    /// <summary>Runs once.</summary>
    [Function("retention-daily")]
    public Task RunAsync([TimerTrigger("0 30 0 * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return run.RunAsync(cancellationToken);
    }
}
