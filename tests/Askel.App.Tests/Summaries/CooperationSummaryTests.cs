using Askel.App.Cooperation;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.App.Summaries.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Summaries;

/// <summary>
/// Employers and events in the monthly summary: counted in the month cooperation began or the event took place, by size,
/// kind of cooperation and kind of event, against the project's targets, the same after a rebuild, and shown as the
/// summary's employers and events tables and target lines.
/// </summary>
public sealed class CooperationSummaryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AskelAppFactory _app = null!;

    public async Task InitializeAsync() => _app = await AskelAppFactory.CreateAsync(output); // now: 23 November 2026

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    [Fact]
    public async Task AMonthOfEmployersAndEvents_GivesTheHandCountedTables_AgainstTargets_AndARebuildTheSame()
    {
        var demo = Get<ProjectCatalog>().Find("demo")!;
        var project = demo with
        {
            Targets = demo.Targets with { Employers = 4, EventAttendees = 100, EmployersBySize = new Dictionary<string, int> { ["micro"] = 2, ["large"] = 1 } },
        };
        var register = Get<CooperationRegister>();
        const string By = "coordinator@askel.local";
        (string Id, string Name, string Size, string[] Cooperation, string Since)[] employers =
        [
            ("0112038-9", "Leipomo", "micro", ["placement"], "2026-09-15"),            // before November: cumulative only
            ("1572860-0", "Kone", "large", ["recruitment", "visit"], "2026-11-03"),
            ("2545718-9", "Kahvila", "micro", ["placement", "training"], "2026-11-12"),
        ];
        foreach (var e in employers)
        {
            await register.SaveAsync(project, new EmployerEntry("", e.Id, e.Name, e.Size, "", "", e.Cooperation, e.Since), By, CancellationToken.None);
        }

        // The bakery turns out to be small, and its cooperation began in November: its counts move to November as small.
        await register.SaveAsync(project, new EmployerEntry("0112038-9", "0112038-9", "Leipomo", "small", "", "", ["placement"], "2026-11-20"), By, CancellationToken.None);

        (string Key, string Date, string Kind, int Attendance)[] events =
        [
            ("e1", "2026-10-08", "info-session", 25),
            ("e2", "2026-11-05", "job-fair", 60),
            ("e3", "2026-11-19", "info-session", 12),
        ];
        foreach (var e in events)
        {
            await register.SaveAsync(project, new EventEntry(e.Key, e.Date, e.Kind, "Tilaisuus", "Askel", e.Attendance.ToString(System.Globalization.CultureInfo.InvariantCulture)), By, CancellationToken.None);
        }

        // A repeat post of the job fair changes nothing.
        await register.SaveAsync(project, new EventEntry("e2", "2026-11-05", "job-fair", "Tilaisuus", "Askel", "60"), By, CancellationToken.None);

        var november = await Get<SummaryService>().BuildAsync(project, "2026-11", CancellationToken.None);

        Assert.Equal(
            [
                new CooperationLine("employers", 3, 3, 4),
                new CooperationLine("size/micro", 1, 1, 2),
                new CooperationLine("size/small", 1, 1, null),
                new CooperationLine("size/large", 1, 1, 1),
                new CooperationLine("cooperation/placement", 2, 2, null),
                new CooperationLine("cooperation/recruitment", 1, 1, null),
                new CooperationLine("cooperation/training", 1, 1, null),
                new CooperationLine("cooperation/visit", 1, 1, null),
            ],
            november.Employers);
        Assert.Equal(
            [
                new CooperationLine("events", 2, 3, null),
                new CooperationLine("kind/info-session", 1, 2, null),
                new CooperationLine("kind/job-fair", 1, 1, null),
                new CooperationLine("attendance", 72, 97, 100),
            ],
            november.Events);
        Assert.Equal(
            [
                new TargetLine("employers", 4, 3, IsShare: false),
                new TargetLine("employersBySize-micro", 2, 1, IsShare: false),
                new TargetLine("employersBySize-large", 1, 1, IsShare: false),
                new TargetLine("eventAttendees", 100, 97, IsShare: false),
            ],
            november.Targets.Where(t => t.Target.StartsWith("employ", StringComparison.Ordinal) || t.Target == "eventAttendees"));

        var tables = SummaryTables.Of(november, "fi");
        var employersTable = Assert.Single(tables, t => t.Id == "employers");
        Assert.Equal(["Yhteistyötyönantajia", "3", "3", "4"], employersTable.Rows[0].Select(c => c.Display("fi")));
        Assert.Equal(["Mikroyritys (alle 10 henkeä)", "1", "1", "2"], employersTable.Rows[1].Select(c => c.Display("fi")));
        var eventsTable = Assert.Single(tables, t => t.Id == "events");
        Assert.Equal(["Osallistujia tapahtumissa", "72", "97", "100"], eventsTable.Rows[^3].Select(c => c.Display("fi")));
        var targets = Assert.Single(tables, t => t.Id == "targets");
        Assert.Contains(targets.Rows, r => r[0].Display("fi") == "Työnantajia: suuret yritykset" && r[3].Display("fi") == "Kyllä");

        // September's row is left empty by the edit; a rebuild writes no empty month.
        var months = (await Get<SummaryStore>().MonthsAsync("demo", CancellationToken.None)).Where(m => m.Value.Count > 0).ToList();
        Assert.Equal(["2026-10", "2026-11"], months.Select(m => m.Key));
        await Get<SummaryService>().RebuildAsync(project, CancellationToken.None);
        var rebuilt = await Get<SummaryStore>().MonthsAsync("demo", CancellationToken.None);
        Assert.Equal(months.Select(m => m.Key), rebuilt.Keys);
        foreach (var (month, counts) in months)
        {
            Assert.Equal(counts.OrderBy(c => c.Key), rebuilt[month].OrderBy(c => c.Key));
        }
    }
}
