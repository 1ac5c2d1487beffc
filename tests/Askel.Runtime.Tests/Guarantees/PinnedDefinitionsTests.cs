using Askel.Runtime.Definitions;
using Askel.Runtime.Tests.Durable;
using Askel.Runtime.Tests.Engine;
using Askel.Testing;

namespace Askel.Runtime.Tests.Guarantees;

/// <summary>Guarantee 4: an instance runs the version it started with; editing a definition never touches it.</summary>
public sealed class PinnedDefinitionsTests
{
    private static readonly DateTimeOffset Start = new(2027, 3, 15, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task NewVersionPublished_RunningInstanceKeepsItsOwn_NewOneGetsTheNew()
    {
        var v1 = TestWorkflows.FormChase(version: "v1", attempts: ["P0D via sms", "P3D via sms"]);
        var v2 = TestWorkflows.FormChase(version: "v2", attempts: ["P0D via email", "P1D via email"]);
        await using var f = await DurableFixture.StartAsync(Start, new DurableFixtureOptions(TimeControlled: true), v1, v2);
        await f.Workflows.StartAsync("chase", "old", [], CancellationToken.None);
        await f.SettleAsync();

        f.Publish(v2);
        await f.Workflows.StartAsync("chase", "new", [], CancellationToken.None);
        f.Time.Advance(TimeSpan.FromDays(4));
        await f.SettleAsync();

        Assert.Equal(["sms", "sms"], f.Effects.For("old").Select(e => e.Payload["channel"]!.GetValue<string>()));
        Assert.Equal(["email", "email"], f.Effects.For("new").Select(e => e.Payload["channel"]!.GetValue<string>()));
        Assert.Equal("v1", (await f.Workflows.StatusAsync("old", CancellationToken.None))!.Version);
        // Each message names the version whose texts it is sent with.
        Assert.All(f.Effects.For("old"), e => Assert.Equal("v1", e.Payload["version"]!.GetValue<string>()));
        Assert.All(f.Effects.For("new"), e => Assert.Equal("v2", e.Payload["version"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PinnedVersion_ReloadsFromStorageInAFreshProcess()
    {
        var v1 = TestWorkflows.FormChase(version: "v1");
        var account = await Azurite.AccountAsync();
        var table = account.CreateTableServiceClient().GetTableClient(Azurite.UniqueName("pin"));
        await table.CreateIfNotExistsAsync();
        await new DefinitionStore(table, _ => v1, (_, _) => v1).PinAsync(v1, CancellationToken.None);
        string? reloadedFrom = null;

        // A new process: nothing cached, and the file now holds another version.
        var fresh = new DefinitionStore(
            table,
            _ => TestWorkflows.FormChase(version: "v2"),
            (source, file) => { reloadedFrom = source; return v1; });
        var pinned = await fresh.PinnedAsync("chase", "v1", CancellationToken.None);

        Assert.Same(v1, pinned);
        Assert.Equal(v1.Source, reloadedFrom);
    }

    [Fact]
    public async Task PinnedYaml_ReloadsThroughTheRealLoaderAfterTheFileChanged()
    {
        var folder = Repository.Path("workflows");
        var original = WorkflowCatalog.Load(folder).Get("form-chase-example");
        var account = await Azurite.AccountAsync();
        var table = account.CreateTableServiceClient().GetTableClient(Azurite.UniqueName("pin"));
        await table.CreateIfNotExistsAsync();
        await new DefinitionStore(table, _ => original, (s, f) => WorkflowLoader.LoadPinned(s, f).Definition!).PinAsync(original, CancellationToken.None);

        // A fresh process whose file now says something else.
        var edited = WorkflowLoader.LoadPinned(original.Source.Replace("P10D", "P12D", StringComparison.Ordinal), "form-chase-example.yaml").Definition!;
        var fresh = new DefinitionStore(table, _ => edited, (s, f) => WorkflowLoader.LoadPinned(s, f).Definition!);
        var pinned = await fresh.PinnedAsync("form-chase-example", original.Version, CancellationToken.None);

        Assert.NotEqual(original.Version, edited.Version);
        Assert.Equal(original.Version, pinned.Version);
        Assert.Equal(original.Source, pinned.Source);
        Assert.Equal(original.Steps.Keys, pinned.Steps.Keys);
        // The forms' and messages' texts are pinned with it: what a running instance sends does not change with the files.
        Assert.NotEmpty(original.Resources);
        Assert.Equal(original.Resources.OrderBy(r => r.Key, StringComparer.Ordinal), pinned.Resources.OrderBy(r => r.Key, StringComparer.Ordinal));
    }
}
