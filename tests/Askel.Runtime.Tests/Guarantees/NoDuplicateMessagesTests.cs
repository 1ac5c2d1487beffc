using Askel.Runtime.Client;
using Askel.Runtime.Tests.Durable;
using Askel.Runtime.Tests.Engine;

namespace Askel.Runtime.Tests.Guarantees;

/// <summary>
/// Guarantees 2 and 5 on the task hub: two workers sharing one hub (as two processes would) carry out every message
/// once and apply every event once; an event told twice, or many at once, is applied exactly once each.
/// </summary>
public sealed class NoDuplicateMessagesTests
{
    private static readonly DateTimeOffset Start = new(2027, 3, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly DurableFixtureOptions TwoWorkers = new(TimeControlled: true, Workers: 2);

    [Fact]
    public async Task TwoWorkersOnOneHub_EveryMessageOnce_EveryEventOnce()
    {
        await using var f = await DurableFixture.StartAsync(Start, TwoWorkers, TestWorkflows.FormChase());
        var ids = Enumerable.Range(1, 40).Select(i => $"p-{i}").ToArray();
        await Parallel.ForEachAsync(ids, async (id, ct) => await f.Workflows.StartAsync("chase", id, [], ct));
        await f.SettleAsync();

        // Every third participant answers after the second reminder; the rest reach the coordinator's task.
        var answering = ids.Where((_, i) => i % 3 == 0).ToArray();
        foreach (var days in new[] { 3, 4 })
        {
            f.Time.Advance(TimeSpan.FromDays(days));
            await f.SettleAsync();
        }

        await Parallel.ForEachAsync(answering, async (id, ct) =>
        {
            // Told twice, as a double submit would: the same id is applied once.
            await f.Workflows.RaiseAsync(id, new FormSubmitted("exit-form", "participant", "v1", FormSubmitted.IdFor("exit-form")), ct);
            await f.Workflows.RaiseAsync(id, new FormSubmitted("exit-form", "participant", "v1", FormSubmitted.IdFor("exit-form")), ct);
        });
        foreach (var days in new[] { 7, 7 })
        {
            f.Time.Advance(TimeSpan.FromDays(days));
            await f.SettleAsync();
        }

        var sent = f.Effects.All;
        var expected = (answering.Length * 3) + ((ids.Length - answering.Length) * 5); // three attempts; or four and a task
        Assert.Equal(expected, sent.Count);
        Assert.Equal(sent.Count, sent.Distinct().Count());
        foreach (var id in answering)
        {
            var history = await f.Workflows.HistoryAsync(id, CancellationToken.None);
            Assert.Single(history, h => h.Kind == "form");
            Assert.Equal("collected", (await f.Workflows.StatusAsync(id, CancellationToken.None))!.Outcome);
        }
    }

    [Fact]
    public async Task ManyEventsForOneInstanceAtOnce_AllAppliedNoneLost()
    {
        await using var f = await DurableFixture.StartAsync(Start, TwoWorkers, TestWorkflows.WaitForEvent());
        await f.Workflows.StartAsync("listener", "p-1", [], CancellationToken.None);
        await f.SettleAsync();

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            f.Workflows.RaiseAsync("p-1", new ChannelChanged($"c{i}", "ok", "test", $"e-{i}"), CancellationToken.None)));
        await f.SettleAsync();

        var channels = (await f.Workflows.StatusAsync("p-1", CancellationToken.None))!.Data["channels"]!.AsObject();
        Assert.Equal(12, channels.Count);
    }
}
