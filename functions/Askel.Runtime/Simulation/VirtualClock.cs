namespace Askel.Runtime.Simulation;

/// <summary>
/// A clock that only moves when told to: <see cref="Advance"/> or <see cref="SetUtcNow"/>. Thread-safe, and
/// never moves backwards. Used by <see cref="Simulator"/> to run months of a workflow in seconds.
/// </summary>
/// <remarks>
/// Only time reads are virtual (<see cref="GetUtcNow"/>, <see cref="GetTimestamp"/>); timers created through
/// <see cref="TimeProvider.CreateTimer"/> still run on real time. The workflow engine creates none; the
/// instance store's bound on how long a completion waits to ride along is real time on purpose.
/// </remarks>
public sealed class VirtualClock : TimeProvider
{
    private long _utcTicks;

    /// <summary>A clock that starts at <paramref name="start"/>.</summary>
    public VirtualClock(DateTimeOffset start) => _utcTicks = start.UtcTicks;

    /// <summary>Always UTC, so nothing depends on the machine's time zone.</summary>
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    /// <inheritdoc />
    public override long GetTimestamp() => Interlocked.Read(ref _utcTicks);

    /// <summary>Moves the clock forward by <paramref name="delta"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative.</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        Interlocked.Add(ref _utcTicks, delta.Ticks);
    }

    /// <summary>Sets the clock to <paramref name="value"/>, which must not be earlier than now.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is earlier than the clock.</exception>
    public void SetUtcNow(DateTimeOffset value)
    {
        while (true)
        {
            var current = Interlocked.Read(ref _utcTicks);
            if (value.UtcTicks < current)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"The clock is at {new DateTimeOffset(current, TimeSpan.Zero):o} and never moves backwards.");
            }

            if (Interlocked.CompareExchange(ref _utcTicks, value.UtcTicks, current) == current)
            {
                return;
            }
        }
    }
}
