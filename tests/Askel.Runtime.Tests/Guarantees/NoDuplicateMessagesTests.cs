using System.Text.Json.Nodes;
using Askel.Runtime.Engine;
using Askel.Runtime.Store;
using Askel.Runtime.Tests.Engine;
using Askel.Testing;
using Azure.Data.Tables;

namespace Askel.Runtime.Tests.Guarantees;

/// <summary>Guarantee 2: concurrent workers and redelivered events never send the same message twice, and lose no update.</summary>
public sealed class NoDuplicateMessagesTests
{
    [Fact]
    public async Task FourWorkersOnTheSameShards_EveryMessageSentExactlyOnce()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.FormChase());
        var account = await Azurite.AccountAsync();
        // Each worker has its own clients, as separate processes would.
        var workers = Enumerable.Range(0, 4)
            .Select(_ => f.NewEngine(store: new InstanceStore(new TableClient(account.ConnectionString, f.Prefix + "instances"))))
            .ToArray();
        var ids = Enumerable.Range(1, 40).Select(i => $"p-{i}").ToArray();
        await Parallel.ForEachAsync(ids, async (id, ct) => await workers[id.GetHashCode(StringComparison.Ordinal) & 3].StartAsync("chase", id, [], ct));

        foreach (var days in new[] { 3, 4, 7, 7 })
        {
            f.Time.Advance(TimeSpan.FromDays(days));
            await Task.WhenAll(workers.Select(w => w.ProcessDueAsync(CancellationToken.None)));
        }

        var sent = f.Effects.Dispatched.Select(d => d.Effect.Id).ToArray();
        Assert.Equal(ids.Length * 5, sent.Length); // four attempts and one task each
        Assert.Equal(sent.Length, sent.Distinct().Count());
    }

    [Fact]
    public async Task ManyTransitionsAtOnceInOneWorker_EachReturnsWithItsCompletionStored_NothingIsSentAgain()
    {
        // Completions ride along in other commits to their shard here; each call still returns only
        // once its own effect's completion is stored, so no lease can run out on a sent message.
        var f = await EngineFixture.CreateAsync(TestWorkflows.FormChase());
        var ids = Enumerable.Range(1, 64).Select(i => $"p-{i}").ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
        {
            Assert.Equal(ApplyStatus.Applied, (await f.Engine.StartAsync("chase", id, [], ct)).Status);
            Assert.Empty(await f.Store.PendingEffectsAsync(id, ct));
        });

        f.Time.Advance(TimeSpan.FromMinutes(3)); // past every lease
        await f.Engine.ProcessDueAsync(CancellationToken.None);

        var sent = f.Effects.Dispatched.Select(d => d.Effect.Id).ToArray();
        Assert.Equal(ids.Length, sent.Length);
        Assert.Equal(sent.Length, sent.Distinct().Count());
    }

    [Fact]
    public async Task ConcurrentEventsForOneInstance_AllAppliedNoneLost()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.WaitForEvent());
        await f.Engine.StartAsync("listener", "p-1", [], CancellationToken.None);
        var workers = Enumerable.Range(0, 4).Select(_ => f.NewEngine()).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            workers[i % 4].RaiseEventAsync("p-1", $"channel:c{i}", new JsonObject { ["state"] = "ok" }, $"e-{i}", CancellationToken.None)));

        var channels = (await f.Store.LoadAsync("p-1", CancellationToken.None))!.State.Data["channels"]!.AsObject();
        Assert.Equal(12, channels.Count);
    }

    [Fact]
    public async Task SubmissionDeliveredTwiceAtOnce_StoredOnceAndMovesOnOnce()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.FormChase());
        await f.Engine.StartAsync("chase", "p-1", [], CancellationToken.None);
        var workers = Enumerable.Range(0, 4).Select(_ => f.NewEngine()).ToArray();

        var outcomes = await Task.WhenAll(workers.Select(w =>
            w.RaiseEventAsync("p-1", "form:exit-form", new JsonObject { ["responseId"] = "r-1" }, "submission-r-1", CancellationToken.None)));

        Assert.Single(outcomes, o => o.Status == ApplyStatus.Applied);
        var history = await f.Store.HistoryAsync("p-1", CancellationToken.None);
        Assert.Single(history, h => h.Kind == "form");
        Assert.Single(history, h => h.Kind == "completed");
    }
}
