using Cronos;
using Microsoft.Azure.Functions.Worker;

namespace Askel.App.LocalHost;

/// <summary>
/// Fires a timer function on its NCRONTAB schedule (UTC, seconds first), as the Functions host does,
/// reading time from a <see cref="TimeProvider"/> so a virtual clock can drive it.
/// </summary>
public sealed class TimerTriggerRunner
{
    private readonly string _function;
    private readonly TimerTrigger _trigger;
    private readonly CronExpression _schedule;
    private readonly Func<TimerInfo, CancellationToken, Task> _fire;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private DateTimeOffset? _last;

    /// <summary>Prepares the runner; the schedule is parsed here so a bad one fails at start-up.</summary>
    /// <param name="function">The function's name.</param>
    /// <param name="trigger">Its schedule.</param>
    /// <param name="fire">Runs the function once.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where firing and failures are told.</param>
    public TimerTriggerRunner(string function, TimerTrigger trigger, Func<TimerInfo, CancellationToken, Task> fire, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        _function = function;
        _trigger = trigger;
        _schedule = Parse(function, trigger);
        _fire = fire;
        _time = time;
        _logger = logger;
    }

    /// <summary>Checks at start-up that <paramref name="function"/> takes a <see cref="TimerInfo"/> and has a schedule the runner reads.</summary>
    /// <exception cref="FunctionsMetadataException">It does not.</exception>
    public static void Check(FunctionMethod function, TimerTrigger trigger)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(trigger);
        if (function.TriggerParameter.ParameterType != typeof(TimerInfo))
        {
            throw function.Unservable(function.TriggerParameter, "is the timer trigger; take TimerInfo");
        }

        if (function.Parameters.FirstOrDefault(p => p != function.TriggerParameter && p.ParameterType != typeof(CancellationToken)) is { } extra)
        {
            throw function.Unservable(extra, "is neither the timer nor a cancellation token");
        }

        _ = Parse(function.Name, trigger);
    }

    private static CronExpression Parse(string function, TimerTrigger trigger)
    {
        try
        {
            return CronExpression.Parse(trigger.Schedule, CronFormat.IncludeSeconds);
        }
        catch (CronFormatException e)
        {
            throw new FunctionsMetadataException($"Function '{function}': schedule '{trigger.Schedule}' is not a 6-field NCRONTAB expression: {e.Message}");
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after) =>
        _schedule.GetNextOccurrence(after, TimeZoneInfo.Utc) ?? DateTimeOffset.MaxValue;

    /// <summary>
    /// Fires on every occurrence until cancelled. A late wake fires the missed occurrence once, as past due,
    /// then goes on from now — as the Functions host does after downtime, instead of replaying every occurrence missed.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var start = _time.GetUtcNow();
        if (_trigger.RunOnStartup)
        {
            await FireAsync(start, cancellationToken);
        }

        var next = NextAfter(start);
        while (!cancellationToken.IsCancellationRequested && next != DateTimeOffset.MaxValue)
        {
            var wait = next - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken);
            }

            var firedAt = await FireAsync(next, cancellationToken);
            next = NextAfter(Later(next, firedAt));
        }
    }

    /// <summary>Runs the function for <paramref name="scheduled"/>; returns the time it fired at.</summary>
    private async Task<DateTimeOffset> FireAsync(DateTimeOffset scheduled, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var pastDue = now - scheduled > TimeSpan.FromSeconds(1);
        _logger.TimerFired(_function, scheduled, pastDue);
        var timer = new TimerInfo
        {
            IsPastDue = pastDue,
            ScheduleStatus = new ScheduleStatus
            {
                Last = (_last ?? DateTimeOffset.MinValue).UtcDateTime,
                Next = NextAfter(Later(scheduled, now)).UtcDateTime,
                LastUpdated = now.UtcDateTime,
            },
        };
        _last = scheduled;
        try
        {
            await _fire(timer, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // As the Functions host: a failed run is logged and the schedule goes on.
            _logger.TimerFunctionFailed(e, _function);
        }

        return now;
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
