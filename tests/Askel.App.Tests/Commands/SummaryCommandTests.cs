using Askel.App.Commands;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.Testing;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Commands;

/// <summary><c>askel summary rebuild</c> against Azurite, with the app's own composition and settings.</summary>
public sealed class SummaryCommandTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private AskelAppFactory _app = null!;

    public async Task InitializeAsync() => _app = await AskelAppFactory.CreateAsync(output);

    public async Task DisposeAsync()
    {
        output.WriteLine(_output.ToString());
        output.WriteLine(_error.ToString());
        _output.Dispose();
        _error.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Rebuild_ReadsTheProjectsParticipants_AndRestoresItsCounts()
    {
        var project = _app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        var participants = _app.Services.GetRequiredService<ParticipantService>();
        await participants.EnrolAsync(project, new Enrolment("Aino", "Virtanen", "fi", null, "040 123 4567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await participants.EnrolAsync(project, new Enrolment("Olli", "Laine", "fi", "olli@example.fi", null, IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        var summaries = _app.Services.GetRequiredService<SummaryService>();
        Assert.Equal(2, (await summaries.BuildAsync(project, "2026-11", CancellationToken.None)).Starts.InMonth);
        await WipeAsync("demo"); // as if the counts were lost
        Assert.Equal(0, (await summaries.BuildAsync(project, "2026-11", CancellationToken.None)).Starts.InMonth);

        var code = await SummaryCommand.RunAsync(["rebuild", "demo"], _output, _error, await SettingsAsync());

        Assert.Equal(0, code);
        var lines = Lines();
        Assert.Matches(@"^demo: rebuilt from 2 participant\(s\), [1-9]\d* event\(s\)$", lines[0]);
        Assert.Matches(@"^1 project\(s\) rebuilt: 2 participant\(s\) and [1-9]\d* event\(s\) read$", lines[^1]);
        var rebuilt = await summaries.BuildAsync(project, "2026-11", CancellationToken.None);
        Assert.Equal(2, rebuilt.Starts.InMonth);
        Assert.Equal(2, rebuilt.Capture.Single(c => c.Form == SummaryEvents.EntryForm).DueInMonth);
        Assert.Empty(_error.ToString());
    }

    [Fact]
    public async Task RebuildAll_DoesEveryProject()
    {
        var code = await SummaryCommand.RunAsync(["rebuild", "--all"], _output, _error, await SettingsAsync());

        Assert.Equal(0, code);
        var lines = Lines();
        Assert.Contains("demo: rebuilt from 0 participant(s), 0 event(s)", lines);
        Assert.Contains("demo-eura: rebuilt from 0 participant(s), 0 event(s)", lines);
        Assert.Equal("2 project(s) rebuilt: 0 participant(s) and 0 event(s) read", lines[^1]);
    }

    [Fact]
    public async Task AnUnknownProject_Is2_NamingTheProjects()
    {
        var code = await SummaryCommand.RunAsync(["rebuild", "nope"], _output, _error, await SettingsAsync());

        Assert.Equal(2, code);
        Assert.Contains("there is no project 'nope' (projects: demo, demo-eura; or --all)", _error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("rebuild")]
    [InlineData("rebuild", "--everything")]
    [InlineData("rebuild", "demo", "demo-eura")]
    [InlineData("delete", "demo")]
    public async Task BadUsage_Is2_WithTheUsage(params string[] args)
    {
        var code = await SummaryCommand.RunAsync(args, _output, _error);

        Assert.Equal(2, code);
        Assert.Contains(SummaryCommand.Usage, _error.ToString(), StringComparison.Ordinal);
        Assert.Empty(_output.ToString());
    }

    private async Task<IReadOnlyDictionary<string, string?>> SettingsAsync() => new Dictionary<string, string?>
    {
        ["AzureWebJobsStorage"] = (await Azurite.AccountAsync()).ConnectionString,
        ["Askel:Runtime:StoragePrefix"] = _app.StoragePrefix,
        ["Askel:DataPath"] = _app.DataPath,
    };

    private string[] Lines() => _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task WipeAsync(string projectId)
    {
        var table = _app.Services.GetRequiredService<SummaryStore>().Table;
        await foreach (var row in table.QueryAsync<TableEntity>(r => r.PartitionKey == projectId, select: ["PartitionKey", "RowKey"]))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }
    }
}
