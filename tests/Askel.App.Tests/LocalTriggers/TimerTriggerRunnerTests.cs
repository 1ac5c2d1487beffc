using Askel.App.CustomHandler;
using Askel.App.LocalTriggers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Askel.App.Tests.LocalTriggers;

public sealed class TimerTriggerRunnerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly FunctionAppFolder _folder = new FunctionAppFolder().With("tick", FunctionAppFolder.Timer("0 */5 * * * *"));
    private readonly RecordingHandler _tick = new("tick");
    private readonly CancellationTokenSource _stop = new();
    private AskelAppFactory _app = null!;

    public async Task InitializeAsync() => _app = await AskelAppFactory.CreateAsync(output, _folder.Root, _tick);

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _stop.Dispose();
        await _app.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task RunAsync_VirtualClock_FiresAtEachOccurrenceAndNeverBefore()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        var loop = Runner(clock).RunAsync(_stop.Token);

        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Empty(_tick.Invocations);

        clock.Advance(TimeSpan.FromSeconds(1));
        var first = await _tick.NextAsync();
        var timer = first.Data["timer"];
        Assert.False(timer.GetProperty("IsPastDue").GetBoolean());
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 10, 0, TimeSpan.Zero), timer.GetProperty("ScheduleStatus").GetProperty("Next").GetDateTimeOffset());
        Assert.Equal("tick", first.Metadata["sys"].GetProperty("MethodName").GetString());

        clock.Advance(TimeSpan.FromMinutes(5));
        await _tick.NextAsync();
        Assert.Equal(2, _tick.Invocations.Count);
        Assert.False(loop.IsFaulted);
    }

    [Fact]
    public async Task RunAsync_WokenAfterManyOccurrences_FiresOnceAsPastDue_ThenGoesOnFromNow()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        _ = Runner(clock).RunAsync(_stop.Token);

        clock.Advance(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(2));
        var late = await _tick.NextAsync();
        clock.Advance(TimeSpan.FromMinutes(3));
        var next = await _tick.NextAsync();

        Assert.True(late.Data["timer"].GetProperty("IsPastDue").GetBoolean());
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 11, 5, 0, TimeSpan.Zero), late.Data["timer"].GetProperty("ScheduleStatus").GetProperty("Next").GetDateTimeOffset());
        Assert.False(next.Data["timer"].GetProperty("IsPastDue").GetBoolean());
        Assert.Equal(2, _tick.Invocations.Count);
    }

    [Fact]
    public async Task RunAsync_WokenLate_FiresTheMissedOccurrenceAsPastDue()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        _ = Runner(clock).RunAsync(_stop.Token);

        clock.Advance(TimeSpan.FromMinutes(7));

        var late = await _tick.NextAsync();
        Assert.True(late.Data["timer"].GetProperty("IsPastDue").GetBoolean());
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 10, 0, TimeSpan.Zero), late.Data["timer"].GetProperty("ScheduleStatus").GetProperty("Next").GetDateTimeOffset());
    }

    [Fact]
    public void Constructor_ScheduleNotNcrontab_ThrowsNamingFileAndFormat()
    {
        using var folder = new FunctionAppFolder(withAppFunctions: false).With("bad", FunctionAppFolder.Timer("every five minutes"));
        var function = FunctionManifest.Load(folder.Root).Functions.Single();

        var error = Assert.Throws<FunctionManifestException>(() => new TimerTriggerRunner(function, null!, TimeProvider.System, NullLogger.Instance));

        Assert.Contains("6-field NCRONTAB", error.Message, StringComparison.Ordinal);
        Assert.Contains("function.json", error.Message, StringComparison.Ordinal);
    }

    private TimerTriggerRunner Runner(TimeProvider clock)
    {
        var function = FunctionManifest.Load(_folder.Root).Functions.Single(f => f.Name == "tick");
        return new TimerTriggerRunner(function, new FunctionInvoker(_app.CreateClient(), NullLogger<FunctionInvoker>.Instance), clock, NullLogger.Instance);
    }
}
