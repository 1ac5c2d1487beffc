using Askel.Runtime.Definitions;
using Askel.Runtime.Tests.Engine;
using Askel.Testing;

namespace Askel.Runtime.Tests.Guarantees;

/// <summary>Guarantee 4: an instance runs the version it started with; editing a definition never touches it.</summary>
public sealed class PinnedDefinitionsTests
{
    [Fact]
    public async Task NewVersionPublished_RunningInstanceKeepsItsOwn_NewOneGetsTheNew()
    {
        var v1 = TestWorkflows.FormChase(version: "v1", attempts: ["P0D via sms", "P3D via sms"]);
        var v2 = TestWorkflows.FormChase(version: "v2", attempts: ["P0D via email", "P1D via email"]);
        var f = await EngineFixture.CreateAsync(v1);
        await f.Engine.StartAsync("chase", "old", [], CancellationToken.None);

        f.Publish(v2);
        await f.Engine.StartAsync("chase", "new", [], CancellationToken.None);
        f.Time.Advance(TimeSpan.FromDays(4));
        await f.Engine.ProcessDueAsync(CancellationToken.None);

        Assert.Equal(["sms", "sms"], f.Effects.For("old").Select(e => e.Payload["channel"]!.GetValue<string>()));
        Assert.Equal(["email", "email"], f.Effects.For("new").Select(e => e.Payload["channel"]!.GetValue<string>()));
        Assert.Equal("v1", (await f.Store.LoadAsync("old", CancellationToken.None))!.State.Version);
    }

    [Fact]
    public async Task PinnedVersion_ReloadsFromStorageInAFreshProcess()
    {
        var v1 = TestWorkflows.FormChase(version: "v1");
        var f = await EngineFixture.CreateAsync(v1);
        await f.Engine.StartAsync("chase", "p-1", [], CancellationToken.None);
        var account = await Azurite.AccountAsync();
        string? reloadedFrom = null;

        // A new process: nothing cached, and the file now holds another version.
        var fresh = new DefinitionStore(
            account.CreateTableServiceClient().GetTableClient(f.Prefix + "definitions"),
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
    }
}
