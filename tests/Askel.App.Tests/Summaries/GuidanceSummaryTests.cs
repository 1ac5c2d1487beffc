using System.Text.Json;
using Askel.App.Guidance;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.App.Summaries.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Summaries;

/// <summary>
/// Anonymous guidance in the monthly summary: contacts counted in the month of their date, by trait, and satisfaction taps,
/// against hand-counted figures, the same after a rebuild from the guidance and satisfaction tables, and shown as the
/// summary's guidance table.
/// </summary>
public sealed class GuidanceSummaryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AskelAppFactory _app = null!;

    public async Task InitializeAsync() => _app = await AskelAppFactory.CreateAsync(output); // now: 23 November 2026

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    [Fact]
    public async Task AMonthOfContacts_GivesTheHandCountedTable_AndARebuildTheSame()
    {
        var project = Get<ProjectCatalog>().Find("demo")!;
        var tally = Get<GuidanceTally>();
        (string Date, string Channel, string Topic, string Language, string Age, string Gender)[] contacts =
        [
            ("2026-10-30", "phone", "work", "fi", "", ""),           // October: counted up to November only
            ("2026-11-02", "walk-in", "work", "uk", "30-54", "woman"),
            ("2026-11-02", "walk-in", "housing", "uk", "", "woman"),
            ("2026-11-10", "pop-up", "work", "ar", "18-29", "man"),
            ("2026-11-20", "chat", "residence", "uk", "", ""),
        ];
        var keys = new List<string>();
        foreach (var c in contacts)
        {
            var key = Guid.NewGuid().ToString("N");
            keys.Add(key);
            await tally.RecordAsync(project, new GuidanceEntry(key, c.Date, c.Channel, c.Topic, c.Language, c.Age, c.Gender), "coordinator@askel.local", CancellationToken.None);
        }

        // A contact posted again (a double tap) is counted once.
        var c1 = contacts[1];
        await tally.RecordAsync(project, new GuidanceEntry(keys[1], c1.Date, c1.Channel, c1.Topic, c1.Language, c1.Age, c1.Gender), "coordinator@askel.local", CancellationToken.None);

        // Two taps on the service point's smiley page today.
        await tally.CountVoteAsync(project, null, 5, CancellationToken.None);
        await tally.CountVoteAsync(project, null, 2, CancellationToken.None);

        var november = await Get<SummaryService>().BuildAsync(project, "2026-11", CancellationToken.None);

        Assert.Equal(
            [
                new GuidanceLine("all", "contacts", 4, 5),
                new GuidanceLine("channel", "walk-in", 2, 2),
                new GuidanceLine("channel", "phone", 0, 1),
                new GuidanceLine("channel", "chat", 1, 1),
                new GuidanceLine("channel", "pop-up", 1, 1),
                new GuidanceLine("topic", "work", 2, 3),
                new GuidanceLine("topic", "residence", 1, 1),
                new GuidanceLine("topic", "housing", 1, 1),
                new GuidanceLine("language", "fi", 0, 1),
                new GuidanceLine("language", "uk", 3, 3),
                new GuidanceLine("language", "ar", 1, 1),
                new GuidanceLine("age", "18-29", 1, 1),
                new GuidanceLine("age", "30-54", 1, 1),
                new GuidanceLine("age", "unknown", 2, 3),
                new GuidanceLine("gender", "woman", 2, 2),
                new GuidanceLine("gender", "man", 1, 1),
                new GuidanceLine("gender", "unknown", 1, 2),
            ],
            november.Guidance);
        Assert.Equal(new SatisfactionLine(3.5, 2, 3.5, 2), november.GuidanceSatisfaction);

        var table = Assert.Single(SummaryTables.Of(november, "fi"), t => t.Id == "guidance");
        Assert.Equal("Kertaluonteinen ohjaus (anonyymi)", table.Title);
        Assert.Equal(
            ["Ohjauskontakteja 4 5", "Kanava: Käynti paikan päällä 2 2", "Kanava: Puhelin 0 1"],
            table.Rows.Take(3).Select(r => string.Join(' ', r.Select(cell => cell.Display("fi")))));
        Assert.Contains(table.Rows, r => r[0].Display("fi") == "Kieli: українська (uk)");
        Assert.Equal("Tyytyväisyys palvelupisteellä (1–5) 3,5 3,5", string.Join(' ', table.Rows[^2].Select(cell => cell.Display("fi"))));

        var kept = JsonSerializer.Serialize(await Get<SummaryStore>().MonthsAsync("demo", CancellationToken.None));
        await Get<SummaryService>().RebuildAsync(project, CancellationToken.None);
        Assert.Equal(kept, JsonSerializer.Serialize(await Get<SummaryStore>().MonthsAsync("demo", CancellationToken.None)));
    }
}
