using Askel.App.CustomHandler;
using Cronos;

namespace Askel.App.LocalTriggers;

/// <summary>
/// Fires a timer function on its NCRONTAB schedule (UTC, seconds first), as the Functions host does,
/// reading time from a <see cref="TimeProvider"/> so a virtual clock can drive it.
/// </summary>
public sealed class TimerTriggerRunner
{
    private readonly FunctionDefinition _function;
    private readonly TimerTrigger _trigger;
    private readonly CronExpression _schedule;
    private readonly FunctionInvoker _invoker;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private DateTimeOffset? _last;

    /// <summary>Prepares the runner; the schedule is parsed here so a bad one fails at start-up.</summary>
    public TimerTriggerRunner(FunctionDefinition function, FunctionInvoker invoker, TimeProvider time, ILogger logger)
    {
        _function = function;
        _trigger = (TimerTrigger)function.Trigger;
        try
        {
            _schedule = CronExpression.Parse(_trigger.Schedule, CronFormat.IncludeSeconds);
        }
        catch (CronFormatException e)
        {
            throw new FunctionManifestException($"{function.Path}: schedule '{_trigger.Schedule}' is not a 6-field NCRONTAB expression: {e.Message}");
        }

        _invoker = invoker;
        _time = time;
        _logger = logger;
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

    /// <summary>Invokes the function for <paramref name="scheduled"/>; returns the time it fired at.</summary>
    private async Task<DateTimeOffset> FireAsync(DateTimeOffset scheduled, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var next = NextAfter(Later(scheduled, now));
        var pastDue = now - scheduled > TimeSpan.FromSeconds(1);
        _logger.TimerFired(_function.Name, scheduled, pastDue);
        var payload = new
        {
            Data = new Dictionary<string, object>
            {
                [_trigger.BindingName] = new
                {
                    Schedule = new { AdjustForDST = true },
                    ScheduleStatus = new { Last = _last ?? DateTimeOffset.MinValue, Next = next, LastUpdated = now },
                    IsPastDue = pastDue,
                },
            },
            Metadata = new Dictionary<string, object>
            {
                ["sys"] = new { MethodName = _function.Name, UtcNow = now, RandGuid = Guid.NewGuid() },
            },
        };
        _last = scheduled;
        try
        {
            await _invoker.InvokeAsync(_function.Name, payload, cancellationToken);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The handler did not answer (it is stopping or overloaded): the host logs it and waits for the next occurrence.
            _logger.TriggerLoopFailed(e, _function.Name);
        }

        return now;
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
