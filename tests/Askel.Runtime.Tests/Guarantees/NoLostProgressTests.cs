using System.Text.Json.Nodes;
using Askel.Runtime.Engine;
using Askel.Runtime.Store;
using Askel.Runtime.Tests.Engine;
using Askel.Testing;
using Azure.Core;
using Azure.Data.Tables;
using Xunit.Abstractions;

namespace Askel.Runtime.Tests.Guarantees;

/// <summary>
/// Guarantee 1: a crash between any two storage calls loses no event, timer or submission; after a
/// restart every instance ends where it would have ended without the crash. Guarantee 2's boundary:
/// the only repeat a crash may cause is re-dispatching an effect whose completion was not recorded.
/// </summary>
public sealed class NoLostProgressTests(ITestOutputHelper output)
{
    private static readonly string[] Instances = ["p-1", "p-2", "p-3"];

    [Fact]
    public async Task CrashAtEveryStorageCall_RestartEndsEveryInstanceAsWithoutTheCrash()
    {
        var reference = await RunAsync(failAt: 0, afterSend: false);
        Assert.True(reference.Calls > 20, $"the scenario makes {reference.Calls} storage calls");
        Assert.Null(reference.Failed);

        var crashes = 0;
        foreach (var afterSend in new[] { false, true })
        {
            for (var failAt = 1; failAt <= reference.Calls; failAt++)
            {
                var run = await RunAsync(failAt, afterSend);
                Assert.True(run.Failed is not null, $"no crash at call {failAt}");
                crashes++;

                Assert.Equal(reference.Final, run.Final);
                Assert.Equal(reference.Effects.Distinct().Order(), run.Effects.Distinct().Order());
                var repeated = run.Effects.GroupBy(e => e).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
                if (repeated.Length > 0)
                {
                    // The documented window: the effect was carried out, then the crash hit the call recording it.
                    Assert.True(run.Failed!.StartsWith("DELETE", StringComparison.Ordinal) && run.Failed.Contains("x|", StringComparison.Ordinal),
                        $"effects {string.Join(", ", repeated)} repeated after a crash at {run.Failed}");
                    Assert.Single(repeated);
                }
            }
        }

        output.WriteLine($"{crashes} crash points checked against {reference.Calls} storage calls");
    }

    private static async Task<Outcome> RunAsync(int failAt, bool afterSend)
    {
        var workflow = TestWorkflows.FormChase();
        var fixture = await EngineFixture.CreateAsync(workflow);
        var faults = new FaultInjectionPolicy(failAt, afterSend);
        var options = new TableClientOptions();
        options.AddPolicy(faults, HttpPipelinePosition.PerCall);
        var account = await Azurite.AccountAsync();
        var faulty = new TableClient(account.ConnectionString, fixture.Prefix + "instances", options);
        var engine = fixture.NewEngine(store: new InstanceStore(faulty));
        var crashed = false;

        // Each step is what a caller does; after a crash the "restarted" process retries it, as an
        // HTTP client or a redelivered queue message would, with the same ids.
        async Task Step(Func<WorkflowEngine, Task> action)
        {
            try
            {
                await action(engine);
            }
            catch (SimulatedCrashException) when (!crashed)
            {
                crashed = true;
                engine = fixture.NewEngine();
                await action(engine);
            }
        }

        var shards = Instances.Select(Shards.Of).Distinct().ToArray();
        async Task Tick(TimeSpan advance)
        {
            fixture.Time.Advance(advance);
            foreach (var shard in shards)
            {
                await Step(e => e.ProcessShardAsync(shard, CancellationToken.None));
            }
        }

        foreach (var id in Instances)
        {
            await Step(e => e.StartAsync("chase", id, new JsonObject { ["language"] = "fi" }, CancellationToken.None));
        }

        await Tick(TimeSpan.FromDays(1));
        await Step(e => e.RaiseEventAsync("p-2", "form:exit-form", new JsonObject { ["filledBy"] = "participant" }, "submit-p-2", CancellationToken.None));
        foreach (var day in new[] { 2, 4, 7, 8 })
        {
            await Tick(TimeSpan.FromDays(day));
        }

        await Step(e => e.RaiseEventAsync("p-1", "task:reach", new JsonObject { ["outcome"] = "unreachable" }, "task-p-1", CancellationToken.None));
        await Step(e => e.RaiseEventAsync("p-3", "task:reach", new JsonObject { ["outcome"] = "filled-together" }, "task-p-3", CancellationToken.None));
        await Tick(TimeSpan.FromDays(1)); // past every effect lease: whatever a crash left pending is sent now

        var final = new List<string>();
        foreach (var id in Instances)
        {
            var state = (await fixture.Store.LoadAsync(id, CancellationToken.None))!.State;
            var pending = await fixture.Store.PendingEffectsAsync(id, CancellationToken.None);
            final.Add($"{id}:{state.Status}:{state.Step}:{state.Outcome}:{state.Timers.Count}:{pending.Count}:{string.Join(',', state.Data.Select(p => p.Key).Order())}");
        }

        return new Outcome(faults.Calls, faults.Failed, string.Join(" | ", final), fixture.Effects.Dispatched.Select(d => d.Effect.Id).ToArray());
    }

    private sealed record Outcome(int Calls, string? Failed, string Final, string[] Effects);
}
