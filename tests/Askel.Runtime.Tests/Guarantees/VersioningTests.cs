using Askel.Runtime.Durable;
using Askel.Runtime.Tests.Durable;
using Askel.Runtime.Tests.Engine;
using Askel.Testing;

namespace Askel.Runtime.Tests.Guarantees;

/// <summary>
/// Orchestration versioning: an instance started on one version of the orchestrator's code goes on under the next
/// release, and moves to its version when it next continues as new — the only point where its history starts afresh.
/// </summary>
public sealed class VersioningTests
{
    private static readonly DateTimeOffset Start = new(2027, 3, 15, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task StartedOnOneVersion_TheNextCodeCarriesItOn_AndItMovesToTheNextVersionWhenItContinuesAsNew()
    {
        // Two steps per execution, so that the one it starts with ends within the test: the start, then the second attempt.
        var chase = TestWorkflows.FormChase(attempts: ["P0D via sms", "P3D via sms", "P6D via sms"]);
        var code = new DurableWorkflowOptions { StepsPerExecution = 2 };
        await using var f = await DurableFixture.StartAsync(Start, new DurableFixtureOptions(TimeControlled: true, Code: code), chase);
        await f.Workflows.StartAsync("chase", "p1", [], CancellationToken.None);
        await f.SettleAsync();
        Assert.Equal(WorkflowOrchestrator.CurrentVersion, await f.OrchestrationVersionAsync("p1"));

        // The next release of the code is deployed while the instance waits for its second attempt.
        await f.ReplaceWorkersAsync(code with { Version = "2" });
        f.Time.Advance(TimeSpan.FromDays(4));
        await f.SettleAsync();

        // The execution that began on the old version took its second step under the new code and handed over.
        Assert.Equal(2, f.Effects.For("p1").Count);
        Assert.Equal("2", await f.OrchestrationVersionAsync("p1"));
        f.Time.Advance(TimeSpan.FromDays(3));
        await f.SettleAsync();
        Assert.Equal(["sms", "sms", "sms"], f.Effects.For("p1").Select(e => e.Payload["channel"]!.GetValue<string>()));
    }

    [Fact]
    public void TheVersionInstancesStartOn_IsTheOneHostJsonGivesTheDurableExtension()
    {
        using var host = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repository.Path("host.json")));
        var durable = host.RootElement.GetProperty("extensions").GetProperty("durableTask");

        Assert.Equal(WorkflowOrchestrator.CurrentVersion, durable.GetProperty("defaultVersion").GetString());
        Assert.Equal("CurrentOrOlder", durable.GetProperty("versionMatchStrategy").GetString());
    }
}
