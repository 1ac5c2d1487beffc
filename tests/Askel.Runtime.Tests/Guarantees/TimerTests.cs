using System.Text.Json.Nodes;
using Askel.Runtime.Tests.Engine;

namespace Askel.Runtime.Tests.Guarantees;

/// <summary>Guarantee 3: timers of any length fire no earlier than due and within one tick after; a cancelled one never acts.</summary>
public sealed class TimerTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(15); // workflow-tick's schedule

    [Theory]
    [InlineData("PT1M")]
    [InlineData("PT1H")]
    [InlineData("P1D")]
    [InlineData("P30D")]
    [InlineData("P6M")]
    [InlineData("P8M")]
    public async Task Wait_AnyLength_FiresNotBeforeDueAndWithinOneTick(string duration)
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.Wait(duration));
        f.Effects.Clock = f.Time;
        await f.Engine.StartAsync("waiter", "p-1", [], CancellationToken.None);
        var due = (await f.Store.LoadAsync("p-1", CancellationToken.None))!.State.Timers.Single().Due;

        f.Time.SetUtcNow(due - Tick);
        await f.Engine.ProcessDueAsync(CancellationToken.None);
        f.Time.Advance(Tick - TimeSpan.FromMilliseconds(1));
        await f.Engine.ProcessDueAsync(CancellationToken.None);
        Assert.Empty(f.Effects.Dispatched);

        f.Time.Advance(Tick);
        await f.Engine.ProcessDueAsync(CancellationToken.None);

        var (_, at) = Assert.Single(f.Effects.Dispatched);
        Assert.InRange(at, due, due + Tick);
    }

    [Fact]
    public async Task Wait_SixMonthsFromMidMarch_IsTheSameLocalTimeInSeptember()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.Wait("P6M"));
        f.Time.SetUtcNow(new DateTimeOffset(2027, 3, 15, 9, 0, 0, TimeSpan.Zero));

        await f.Engine.StartAsync("waiter", "p-1", [], CancellationToken.None);

        Assert.Equal(new DateTimeOffset(2027, 9, 15, 9, 0, 0, TimeSpan.Zero), (await f.Store.LoadAsync("p-1", CancellationToken.None))!.State.Timers.Single().Due);
    }

    [Fact]
    public async Task CancelledTimer_NeverActs()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.FormChase());
        await f.Engine.StartAsync("chase", "p-1", [], CancellationToken.None);
        await f.Engine.RaiseEventAsync("p-1", "form:exit-form", new JsonObject(), "s-1", CancellationToken.None);

        f.Time.Advance(TimeSpan.FromDays(40));
        var handled = await f.Engine.ProcessDueAsync(CancellationToken.None);

        Assert.Equal(0, handled);
        Assert.Single(f.Effects.Dispatched);
    }
}
