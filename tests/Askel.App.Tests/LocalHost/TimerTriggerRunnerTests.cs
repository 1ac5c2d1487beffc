using System.Threading.Channels;
using Askel.App.LocalHost;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Askel.App.Tests.LocalHost;

public sealed class TimerTriggerRunnerTests : IDisposable
{
    private static readonly TimerTrigger EveryFiveMinutes = new("timer", "0 */5 * * * *", RunOnStartup: false);
    private readonly Channel<TimerInfo> _fired = Channel.CreateUnbounded<TimerInfo>();
    private readonly CancellationTokenSource _stop = new();
    private int _count;

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    [Fact]
    public async Task RunAsync_VirtualClock_FiresAtEachOccurrenceAndNeverBefore()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        var loop = Runner(clock).RunAsync(_stop.Token);

        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, _count);

        clock.Advance(TimeSpan.FromSeconds(1));
        var first = await NextAsync();
        Assert.False(first.IsPastDue);
        Assert.Equal(new DateTime(2026, 11, 23, 8, 10, 0, DateTimeKind.Utc), first.ScheduleStatus!.Next);

        clock.Advance(TimeSpan.FromMinutes(5));
        var second = await NextAsync();
        Assert.Equal(new DateTime(2026, 11, 23, 8, 5, 0, DateTimeKind.Utc), second.ScheduleStatus!.Last);
        Assert.Equal(2, _count);
        Assert.False(loop.IsFaulted);
    }

    [Fact]
    public async Task RunAsync_WokenAfterManyOccurrences_FiresOnceAsPastDue_ThenGoesOnFromNow()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        _ = Runner(clock).RunAsync(_stop.Token);

        clock.Advance(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(2));
        var late = await NextAsync();
        clock.Advance(TimeSpan.FromMinutes(3));
        var next = await NextAsync();

        Assert.True(late.IsPastDue);
        Assert.Equal(new DateTime(2026, 11, 23, 11, 5, 0, DateTimeKind.Utc), late.ScheduleStatus!.Next);
        Assert.False(next.IsPastDue);
        Assert.Equal(2, _count);
    }

    [Fact]
    public async Task RunAsync_FunctionFails_TheScheduleGoesOn()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        var loop = Runner(clock, fail: true).RunAsync(_stop.Token);

        clock.Advance(TimeSpan.FromMinutes(5));
        await NextAsync();
        clock.Advance(TimeSpan.FromMinutes(5));
        await NextAsync();

        Assert.Equal(2, _count);
        Assert.False(loop.IsCompleted);
    }

    [Fact]
    public void Constructor_ScheduleNotNcrontab_ThrowsNamingFunctionAndFormat()
    {
        var error = Assert.Throws<FunctionsMetadataException>(() =>
            new TimerTriggerRunner("bad", new TimerTrigger("timer", "every five minutes", false), (_, _) => Task.CompletedTask, TimeProvider.System, NullLogger.Instance));

        Assert.Contains("6-field NCRONTAB", error.Message, StringComparison.Ordinal);
        Assert.Contains("'bad'", error.Message, StringComparison.Ordinal);
    }

    private TimerTriggerRunner Runner(TimeProvider clock, bool fail = false) =>
        new("tick", EveryFiveMinutes, (timer, _) =>
        {
            Interlocked.Increment(ref _count);
            _fired.Writer.TryWrite(timer);
            return fail ? Task.FromException(new InvalidOperationException("told to fail")) : Task.CompletedTask;
        }, clock, NullLogger.Instance);

    // Bounded, so a missing run fails the test instead of hanging it.
    private async Task<TimerInfo> NextAsync() => await _fired.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
}
