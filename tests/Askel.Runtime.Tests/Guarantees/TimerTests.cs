using Askel.Runtime.Client;
using Askel.Runtime.Tests.Durable;
using Askel.Runtime.Tests.Engine;

namespace Askel.Runtime.Tests.Guarantees;

/// <summary>
/// Guarantee 3 on the task hub: a wait of any length asks the hub for a durable timer at exactly its due time, and
/// the step after it runs at that time, never before; a timer the instance no longer needs never acts. (How late the
/// real hub delivers a due timer is measured in bench/, not here.)
/// </summary>
public sealed class TimerTests
{
    private static readonly DateTimeOffset Start = new(2027, 3, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly DurableFixtureOptions Timed = new(TimeControlled: true);

    [Theory]
    [InlineData("PT1M")]
    [InlineData("P1D")]
    [InlineData("P30D")]
    [InlineData("P8M")]
    public async Task Wait_AnyLength_FiresAtItsDueTimeNeverBefore(string duration)
    {
        await using var f = await DurableFixture.StartAsync(Start, Timed, TestWorkflows.Wait(duration));
        await f.Workflows.StartAsync("waiter", "p-1", [], CancellationToken.None);
        await f.SettleAsync();
        var due = (await f.Workflows.StatusAsync("p-1", CancellationToken.None))!.NextTimer!.Due;
        Assert.Equal(due, f.NextTimerDue);

        f.Time.SetUtcNow(due - TimeSpan.FromMilliseconds(1));
        await f.SettleAsync();
        Assert.Empty(f.Effects.Ids("p-1"));

        f.Time.SetUtcNow(due);
        await f.SettleAsync();

        Assert.Equal(["p-1.2.send"], f.Effects.Ids("p-1"));
        var history = await f.Workflows.HistoryAsync("p-1", CancellationToken.None);
        Assert.Equal(due, Assert.Single(history, h => h.Kind == "message").At);
    }

    [Fact]
    public async Task OnTheMachinesClock_NoStepRunsBeforeItsDueTime()
    {
        // The real backend, on real time: it hides a timer's message for whole seconds, so a timer due at a fraction of
        // a second fires up to a second early unless the orchestrator waits it out. Twelve dues a twelfth of a second
        // apart, far enough ahead that every timer is set before it is due.
        await using var f = await DurableFixture.StartAsync(TimeProvider.System.GetUtcNow(), TestWorkflows.Wait("PT1S"));
        var start = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(3);
        var dues = new Dictionary<string, DateTimeOffset>();
        for (var i = 0; i < 12; i++)
        {
            f.Time.SetUtcNow(start + TimeSpan.FromMilliseconds(83 * i));
            await f.Workflows.StartAsync("waiter", $"p-{i}", [], CancellationToken.None);
            dues[$"p-{i}"] = f.Time.GetUtcNow() + TimeSpan.FromSeconds(1);
        }

        foreach (var (id, due) in dues)
        {
            await f.Effects.WaitForAsync(e => e.Id == $"{id}.2.send"); // real time: as patient as every other wait on the hub
            var sent = f.Effects.CarriedOutAt($"{id}.2.send");
            Assert.True(sent >= due, $"{id}: sent {(due - sent).TotalMilliseconds:0} ms before it was due");
        }
    }

    [Fact]
    public async Task Wait_SixMonthsFromMidMarch_IsTheSameLocalTimeInSeptember()
    {
        await using var f = await DurableFixture.StartAsync(Start, Timed, TestWorkflows.Wait("P6M"));

        await f.Workflows.StartAsync("waiter", "p-1", [], CancellationToken.None);
        await f.SettleAsync();

        Assert.Equal(new DateTimeOffset(2027, 9, 15, 9, 0, 0, TimeSpan.Zero), f.NextTimerDue);
    }

    [Fact]
    public async Task TimersOfAnAnsweredStep_NeverAct()
    {
        await using var f = await DurableFixture.StartAsync(Start, Timed, TestWorkflows.FormChase());
        await f.Workflows.StartAsync("chase", "p-1", [], CancellationToken.None);
        await f.SettleAsync();
        await f.Workflows.RaiseAsync("p-1", new FormSubmitted("exit-form", "participant", "v1", "s-1"), CancellationToken.None);
        await f.SettleAsync();

        f.Time.Advance(TimeSpan.FromDays(40)); // past every attempt and the expiry the instance had asked for
        await f.SettleAsync();

        Assert.Equal(["p-1.1.a1"], f.Effects.Ids("p-1"));
        Assert.Equal("collected", (await f.Workflows.StatusAsync("p-1", CancellationToken.None))!.Outcome);
    }
}
