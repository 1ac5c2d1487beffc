using Askel.Runtime.Client;
using Askel.Runtime.Tests.Durable;
using Askel.Runtime.Tests.Engine;

namespace Askel.Runtime.Tests.Guarantees;

/// <summary>
/// Guarantee 1 for events: an event told to an instance is applied, whenever it arrives. The hard moment is the end
/// of an execution: an event that comes while the orchestrator is finishing a step and continuing as new must not be
/// lost with the old execution (the Durable Task SDK's <c>preserveUnprocessedEvents</c> alone loses some).
/// </summary>
public sealed class NoLostSignalsTests
{
    private static readonly DateTimeOffset Start = new(2027, 3, 15, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task FormToldRightAfterTheStart_IsAppliedForEveryInstance()
    {
        await using var f = await DurableFixture.StartAsync(Start, new DurableFixtureOptions(TimeControlled: true), TestWorkflows.FormChase());
        var ids = Enumerable.Range(1, 150).Select(i => $"p-{i}").ToArray();

        await Parallel.ForEachAsync(ids, async (id, ct) =>
        {
            await f.Workflows.StartAsync("chase", id, [], ct);
            await f.Workflows.RaiseAsync(id, new FormSubmitted("exit-form", "participant", "v1", FormSubmitted.IdFor("exit-form")), ct);
        });
        await f.SettleAsync();

        var outcomes = new List<string>();
        foreach (var id in ids)
        {
            var status = (await f.Workflows.StatusAsync(id, CancellationToken.None))!;
            outcomes.Add($"{id}: {status.Status} {status.Outcome}");
        }

        Assert.All(outcomes, o => Assert.EndsWith("Completed collected", o, StringComparison.Ordinal));
        foreach (var id in ids)
        {
            Assert.Empty(await f.Inbox.TakeAsync(id, [], CancellationToken.None)); // an applied signal does not stay behind
        }
    }

    [Fact]
    public async Task TaskDoneForManyWaitingInstancesAtOnce_IsAppliedForEveryInstance()
    {
        await using var f = await DurableFixture.StartAsync(Start, new DurableFixtureOptions(TimeControlled: true), TestWorkflows.FormChase());
        var ids = Enumerable.Range(1, 100).Select(i => $"p-{i}").ToArray();
        await Parallel.ForEachAsync(ids, async (id, ct) => await f.Workflows.StartAsync("chase", id, [], ct));
        await f.SettleAsync();
        foreach (var days in new[] { 3, 4, 7, 7 })
        {
            f.Time.Advance(TimeSpan.FromDays(days));
            await f.SettleAsync();
        }

        await Parallel.ForEachAsync(ids, async (id, ct) => await f.Workflows.RaiseAsync(id, new TaskCompleted("reach", "unreachable", "coordinator", "t-" + id), ct));
        await f.SettleAsync();

        var outcomes = new List<string>();
        foreach (var id in ids)
        {
            var status = (await f.Workflows.StatusAsync(id, CancellationToken.None))!;
            outcomes.Add($"{id}: {status.Status} {status.Outcome}");
        }

        Assert.All(outcomes, o => Assert.EndsWith("Completed not-collected", o, StringComparison.Ordinal));
    }
}
