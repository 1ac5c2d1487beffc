using Microsoft.DurableTask;

namespace Askel.Runtime.Durable;

/// <summary>Durable timers that never let an orchestration go on before their due time.</summary>
public static class PunctualTimers
{
    /// <summary>
    /// Waits until <paramref name="dueUtc"/> by the orchestration's clock. The Azure Storage backend hides a timer's
    /// message for a whole number of seconds, rounded down, so a timer can fire up to a second early (measured by
    /// <c>bench/run.sh timers</c>); then a second timer a second after the due time, which that rounding cannot bring
    /// before it, is waited for. Deterministic on replay: the orchestration's clock is recorded in its history.
    /// </summary>
    public static async Task WhenDueAsync(this TaskOrchestrationContext context, DateTime dueUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.CreateTimer(dueUtc, cancellationToken);
        if (context.CurrentUtcDateTime < dueUtc)
        {
            await context.CreateTimer(dueUtc.AddSeconds(1), cancellationToken);
        }
    }
}
