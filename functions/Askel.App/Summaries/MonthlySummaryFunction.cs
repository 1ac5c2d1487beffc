using Microsoft.Azure.Functions.Worker;

namespace Askel.App.Summaries;

/// <summary>
/// <c>summary-monthly</c> (timer, every hour at minute 0): sends the monthly summaries that are due. Hourly, because
/// 07:00 Helsinki is a whole UTC hour in both summer and winter time, and because a run that finds nothing owed costs
/// one read per project; a month missed while the app was down goes out at the first run after it comes back. A month
/// that failed passingly was given back (its claim released) and is tried at the next run; the invocation then fails,
/// so the failure shows in the host's monitoring — the host does not retry timers itself.
/// </summary>
public sealed class MonthlySummaryFunction(SummaryDelivery delivery, ILogger<MonthlySummaryFunction> logger)
{
    /// <summary>Sends what is due; throws when some summaries were left for the next run.</summary>
    [Function("summary-monthly")]
    public async Task RunAsync([TimerTrigger("0 0 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var done = await delivery.RunAsync(cancellationToken);
        var line = done.Count == 0
            ? "no summary due"
            : string.Join("; ", done.Select(d => $"{d.ProjectId} {d.Month}: {d.Outcome}"));
        if (done.Any(d => d.Outcome == "retry"))
        {
            throw new SummaryDeliveryException($"some summaries are tried again at the next run: {line}");
        }

        logger.SummaryRun(line, timer.IsPastDue);
    }
}

/// <summary>A run left some summaries for the next run.</summary>
public sealed class SummaryDeliveryException(string message) : Exception(message);
