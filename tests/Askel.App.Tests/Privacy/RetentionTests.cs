using Askel.App.Participants;
using Askel.App.Privacy;
using Askel.App.Projects;
using Askel.Testing;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Privacy;

/// <summary>
/// The daily retention run on the app's virtual clock: the demo project keeps its records 5 years from the end of the
/// year it ends, the EURA demo project the same but under a legal hold.
/// </summary>
public sealed class RetentionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeZoneInfo Helsinki = TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki");
    private AskelAppFactory _app = null!;
    private Project _demo = null!, _held = null!;

    public async Task InitializeAsync()
    {
        var loaded = ProjectCatalog.Load(Repository.Path("workflows"), _ => true);
        _demo = loaded.Find("demo")! with { Retention = new ProjectRetention(5, null, LegalHold: false) };
        _held = loaded.Find("demo-eura")! with { Retention = new ProjectRetention(5, null, LegalHold: true) };
        var catalog = ProjectCatalog.Of(_demo, _held);
        _app = new AskelAppFactory(output, (await Azurite.AccountAsync()).ConnectionString) { TestServices = services => services.AddSingleton(catalog) };
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task RecordsGoTheDayAfterRetentionEnds_NeverBefore_NeverUnderALegalHold_AndTheRunLogsCountsOnly()
    {
        var participants = _app.Services.GetRequiredService<ParticipantService>();
        var gone = await participants.EnrolAsync(_demo, new Enrolment("Ilmari", "Poistuva", "fi", "ilmari@example.org", "0401112223", false), "coordinator@askel.local", CancellationToken.None);
        var held = await participants.EnrolAsync(_held, new Enrolment("Helmi", "Pysyvä", "fi", "helmi@example.org", null, false), "coach@askel.local", CancellationToken.None);
        await participants.ListAsync(_demo.Id, "coordinator@askel.local", CancellationToken.None); // an audit record of the project, not of one participant
        await _app.Services.SettleAsync();
        var run = _app.Services.GetRequiredService<RetentionRun>();
        Assert.Equal(new DateOnly(2032, 12, 31), _demo.KeptUntil); // ends 2027-12-31: 5 years from 31 December 2027

        SetClock(_demo.KeptUntil, 23, 59);
        await _app.RunTimerAsync("retention-daily"); // the last day records must be kept: nothing goes
        var keptOnTheLastDay = await RowsNamingAsync(gone.Id);
        SetClock(_demo.KeptUntil.AddDays(1), 0, 30);
        var first = await run.RunAsync(CancellationToken.None); // the workflow still waits: told to stop first
        await _app.Services.SettleAsync();
        var second = await run.RunAsync(CancellationToken.None);
        var third = await run.RunAsync(CancellationToken.None);

        Assert.Contains(keptOnTheLastDay, r => r.Contains("participants", StringComparison.Ordinal));
        Assert.Contains(_app.Logs.Lines, l => l.Contains("Retention run: 0 participants' records destroyed, 0 workflows told to stop first", StringComparison.Ordinal));
        Assert.Equal(new RetentionCounts(0, 1, 0, 1, 0, false), first);
        Assert.Equal(new RetentionCounts(1, 0, 0, 1, 0, false), second);
        Assert.Equal(new RetentionCounts(0, 0, 0, 1, 1, false), third);
        Assert.Empty(await RowsNamingAsync(gone.Id));
        Assert.NotEmpty(await RowsNamingAsync(held.Id));
        Assert.Empty(_app.Services.GetRequiredService<ParticipantTables>().Audit.Query<TableEntity>(e => e.PartitionKey == _demo.Id));
        Assert.NotNull(await _app.Services.GetRequiredService<ParticipantTables>().FindParticipantAsync(_held.Id, held.Id, CancellationToken.None));
        var lines = _app.Logs.Lines.Where(l => l.Contains("Retention run", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, lines.Count);
        Assert.All(lines, l => Assert.DoesNotContain("Ilmari", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain(gone.Id, l, StringComparison.Ordinal));
    }

    [Fact]
    public void KeptUntil_CountsFromTheLastPaymentWhenLater()
    {
        var later = _demo with { Retention = new ProjectRetention(5, new DateOnly(2028, 3, 15), false) };

        Assert.Equal(new DateOnly(2033, 12, 31), later.KeptUntil);
        Assert.Equal(new DateOnly(2037, 12, 31), (_demo with { Retention = ProjectRetention.Default }).KeptUntil);
    }

    private void SetClock(DateOnly day, int hour, int minute) =>
        _app.Time.SetUtcNow(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(new TimeOnly(hour, minute)), Helsinki));

    // Rows of this app's tables that mention the participant, as "table: partition/row".
    private async Task<List<string>> RowsNamingAsync(string participantId) =>
        [.. (await AppTables.RowsContainingAsync(_app.Services.GetRequiredService<TableServiceClient>(), _app.StoragePrefix, [participantId], StringComparison.Ordinal))
            .Select(r => $"{_app.StoragePrefix}{r.Table}: {r.Row}")];
}
