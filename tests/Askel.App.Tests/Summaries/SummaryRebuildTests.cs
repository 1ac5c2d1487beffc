using System.Text.Json;
using System.Text.Json.Nodes;
using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Summaries;

/// <summary>The summary kept as things happen (through the real services) equals the one rebuilt from the participants' rows.</summary>
public sealed class SummaryRebuildTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AskelAppFactory _app = null!;

    public async Task InitializeAsync() => _app = await AskelAppFactory.CreateAsync(output);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    [Fact]
    public async Task RebuiltFromHistory_EqualsIncremental_IncludingLateFormsRetriesAndAProjectEndStandingInForLeaving()
    {
        var project = Get<ProjectCatalog>().Find("demo")!;
        var participants = Get<ParticipantService>();
        var aino = await EnrolAsync(project, "Aino", "coordinator@askel.local");
        var bashir = await EnrolAsync(project, "Bashir", "coach@askel.local");
        var chen = await EnrolAsync(project, "Chen", "coordinator@askel.local");
        var dana = await EnrolAsync(project, "Dana", "coordinator@askel.local");

        await SubmitAsync(aino, "esf-entry", """{"gender":"woman","birthDate":"2003-05-01","labourStatus":"unemployed","unemployedMonths":"6-12","education":"basic"}""");
        await SubmitAsync(chen, "esf-entry", """{"gender":"man","birthDate":"1960-01-31","labourStatus":"employed","education":"master"}""");
        _app.Time.Advance(TimeSpan.FromDays(40));
        await participants.MarkLeftAsync(aino, new DateOnly(2027, 1, 2), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync(); // the workflow applies the leaving and records its date before the exit form can come
        await SubmitAsync(aino, "esf-exit", """{"working":"employee","qualification":"yes","satisfaction":4}""");
        await participants.MarkLeftAsync(bashir, new DateOnly(2027, 1, 3), "coach@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
        await SubmitAsync(bashir, "esf-exit", """{"working":"no","jobSearching":"yes","studying":"no","satisfaction":2}""");
        _app.Time.Advance(TimeSpan.FromDays(3));
        // Bashir's entry form comes after his exit form: the status change is still counted, once.
        await SubmitAsync(bashir, "esf-entry", """{"gender":"non-binary","birthDate":"1985-02-02","labourStatus":"inactive","education":"vocational"}""");
        // Dana was never marked as left: her exit form means she left when the project ended.
        await SubmitAsync(dana, "esf-exit", """{"working":"self-employed","satisfaction":5}""");
        // Every fact recorded again (a retry, a replayed crash) changes nothing.
        foreach (var participant in new[] { aino, bashir, chen, dana })
        {
            var row = (await participants.FindAsync("demo", participant.Id, CancellationToken.None))!;
            await Get<SummaryService>().RecordAsync(row, CancellationToken.None);
        }

        var incremental = await SnapshotAsync();
        var rebuilt = await Get<SummaryService>().RebuildAsync(project, CancellationToken.None);

        Assert.Equal((4, 13), rebuilt); // 4 enrolled, 3 entry forms, 3 left, 3 exit forms
        Assert.Equal(incremental, await SnapshotAsync());
        var months = await Get<SummaryStore>().MonthsAsync("demo", CancellationToken.None);
        Assert.Equal(["2026-11", "2027-01", "2027-12"], months.Keys);
        Assert.Equal(4, months["2026-11"][SummaryKeys.Starts]);
        Assert.Equal(3, months["2026-11"][SummaryKeys.EntryReceived]);
        Assert.Equal(1, months["2026-11"][SummaryKeys.Output("long-term-unemployed", "woman")]); // 6–12 months at 23
        Assert.Equal(1, months["2026-11"][SummaryKeys.Output("55-plus", "man")]);
        Assert.Equal(1, months["2026-11"][SummaryKeys.Output("isced-3-4", "non-binary")]);
        Assert.Equal(2, months["2027-01"][SummaryKeys.Exits]);
        Assert.Equal(1, months["2027-01"][SummaryKeys.Transition("long-term-unemployed", "employed")]);
        Assert.Equal(1, months["2027-01"][SummaryKeys.Transition("inactive", "job-searching")]);
        Assert.Equal(6, months["2027-01"][SummaryKeys.SatisfactionSum]);
        Assert.Equal(1, months["2027-12"][SummaryKeys.ExitOutcome("employed")]); // self-employed counts as employed (ESF+)…
        Assert.Equal(1, months["2027-12"][SummaryKeys.ExitSelfEmployed]);            // …and as an entrepreneur apart
        var owed = await Get<SummaryStore>().OutstandingAsync("demo", DateTimeOffset.MaxValue, CancellationToken.None);
        Assert.Equal(
            new[] { "entry " + dana.Id, "six-month " + aino.Id, "six-month " + bashir.Id, "six-month " + dana.Id }.Order(StringComparer.Ordinal),
            owed.Select(o => $"{o.Form} {o.ParticipantId}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AFormClosedByTheCoordinator_IsNoLongerOwed_AndCountsAsClosed_AndTheRebuildAgrees()
    {
        var project = Get<ProjectCatalog>().Find("demo")!;
        var participants = Get<ParticipantService>();
        var eino = await EnrolAsync(project, "Eino", "coordinator@askel.local");
        await SubmitAsync(eino, "esf-entry", """{"gender":"man","birthDate":"1980-03-03","labourStatus":"unemployed","unemployedMonths":"under-6","education":"basic"}""");
        await participants.MarkLeftAsync(eino, new DateOnly(2026, 11, 23), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
        var store = Get<SummaryStore>();
        var inSevenMonths = _app.Time.GetUtcNow().AddMonths(7);
        Assert.Equal(["exit", "six-month"], (await store.OutstandingAsync("demo", inSevenMonths, CancellationToken.None)).Select(o => o.Form));
        // Only what fell due is read: the six-month form of someone who left today is not due yet.
        Assert.Equal(["exit"], (await store.OutstandingAsync("demo", _app.Time.GetUtcNow().AddDays(1), CancellationToken.None)).Select(o => o.Form));

        // The exit form is chased for 28 days without an answer; the coordinator then finds them unreachable.
        await ProcessDaysAsync(30);

        var row = (await participants.FindAsync("demo", eino.Id, CancellationToken.None))!;
        Assert.Null(await participants.CompleteTaskAsync(project, row, "exit-task", "unreachable", "no answer on three calls", "coordinator@askel.local", CancellationToken.None));

        Assert.Equal(["six-month"], (await store.OutstandingAsync("demo", inSevenMonths, CancellationToken.None)).Select(o => o.Form));
        var months = await store.MonthsAsync("demo", CancellationToken.None);
        Assert.Equal(1, months["2026-11"][SummaryKeys.Closed("exit")]);
        var summary = await Get<SummaryService>().BuildAsync(project, "2026-11", CancellationToken.None);
        Assert.Equal((1, 0, 1), summary.Capture.Single(c => c.Form == "exit") is var exit ? (exit.DueTotal, exit.ReceivedTotal, exit.ClosedTotal) : default);
        Assert.Empty(summary.Overdue);
        var incremental = await SnapshotAsync();
        await Get<SummaryService>().RebuildAsync(project, CancellationToken.None);
        Assert.Equal(incremental, await SnapshotAsync());
    }

    [Fact]
    public async Task EuraDataEnteredByTheProject_CountsAsReceived_NotAsClosed()
    {
        var project = Get<ProjectCatalog>().Find("demo-eura")!;
        var participants = Get<ParticipantService>();
        var olena = await EnrolAsync(project, "Olena", "coach@askel.local");
        await ProcessDaysAsync(16); // the EURA entry is chased for 14 days, then the coordinator's task opens

        var row = (await participants.FindAsync("demo-eura", olena.Id, CancellationToken.None))!;
        Assert.Null(await participants.CompleteTaskAsync(project, row, "eura-entry-task", "entered-by-project", null, "coach@askel.local", CancellationToken.None));

        var months = await Get<SummaryStore>().MonthsAsync("demo-eura", CancellationToken.None);
        Assert.Equal(1, months["2026-11"][SummaryKeys.EntryReceived]);
        Assert.False(months["2026-11"].ContainsKey(SummaryKeys.Closed("entry")));
        Assert.Empty(await Get<SummaryStore>().OutstandingAsync("demo-eura", DateTimeOffset.MaxValue, CancellationToken.None));
    }

    [Fact]
    public async Task AFactThatBecomesCountableLater_IsCountedWhenTheRowNextChanges_AsTheRebuildCountsIt()
    {
        var project = Get<ProjectCatalog>().Find("demo")!;
        var summaries = Get<SummaryService>();
        // The exit task closed as unreachable before any leaving date was known: nothing to settle yet.
        var row = new Participant
        {
            PartitionKey = "demo", RowKey = "late0leaver1", EnrolledBy = "coordinator@askel.local", EnrolledAt = _app.Time.GetUtcNow(),
            TaskOutcomes = """{"exit-task":{"outcome":"unreachable","form":"exit"}}""",
        };
        await Get<ParticipantTables>().Participants.AddEntityAsync(row);
        await summaries.RecordAsync(row, CancellationToken.None);
        Assert.False((await Get<SummaryStore>().MonthsAsync("demo", CancellationToken.None))["2026-11"].ContainsKey(SummaryKeys.Closed("exit")));

        // The six-month form arrives: the project's end stands in for leaving, and the closed exit form is counted now.
        await Get<ParticipantService>().FormReceivedAsync(project, row, SummaryFact.SixMonthReceived, p => p.SixMonthReceivedAt = _app.Time.GetUtcNow(), CancellationToken.None);

        var months = await Get<SummaryStore>().MonthsAsync("demo", CancellationToken.None);
        Assert.Equal(1, months["2027-12"][SummaryKeys.Closed("exit")]);
        Assert.Equal(1, months["2027-12"][SummaryKeys.SixMonthReceived]);
        Assert.DoesNotContain(await Get<SummaryStore>().OutstandingAsync("demo", DateTimeOffset.MaxValue, CancellationToken.None), o => o.Form == "exit");
        var incremental = await SnapshotAsync();
        await summaries.RebuildAsync(project, CancellationToken.None);
        Assert.Equal(incremental, await SnapshotAsync());
    }

    [Fact]
    public async Task SomeoneStillInCoachingWhenTheProjectEnds_LeavesThen_AndTheirExitFormIsDue()
    {
        var project = Get<ProjectCatalog>().Find("demo")!;
        var ville = await EnrolAsync(project, "Ville", "coordinator@askel.local");
        await SubmitAsync(ville, "esf-entry", """{"gender":"man","birthDate":"1975-06-06","labourStatus":"inactive","education":"college"}""");

        // Never marked as left: coaching ends at the project's end (31 Dec 2027) and the exit form is asked.
        await ProcessDaysAsync(405, step: 5);

        var row = (await Get<ParticipantService>().FindAsync("demo", ville.Id, CancellationToken.None))!;
        Assert.Equal(project.EndsAt, row.LeftAt);
        var months = await Get<SummaryStore>().MonthsAsync("demo", CancellationToken.None);
        Assert.Equal(1, months[SummaryEvents.MonthOf(project.EndsAt)][SummaryKeys.Exits]);
        var summary = await Get<SummaryService>().BuildAsync(project, SummaryEvents.MonthOf(project.EndsAt), CancellationToken.None);
        Assert.Equal((1, 0), summary.Capture.Single(c => c.Form == "exit") is var exit ? (exit.DueTotal, exit.ReceivedTotal) : default);
    }

    [Fact]
    public async Task EventsOfOneProject_AppliedConcurrently_AreAllCounted_AndARepeatIsRefused()
    {
        var store = Get<SummaryStore>();
        var events = Enumerable.Range(0, 24).Select(i => new SummaryEvent(
            $"p{i}:enrolled", [new("2026-11", SummaryKeys.Starts, 1), new("2026-11", SummaryKeys.StartsBy("c@x"), 1)], [new("entry", $"p{i}", "c@x", _app.Time.GetUtcNow())], [])).ToList();

        var applied = await Task.WhenAll(events.Select(e => Task.Run(() => store.ApplyAsync("concurrent", e, CancellationToken.None))));
        var again = await store.ApplyAsync("concurrent", events[3], CancellationToken.None);

        Assert.All(applied, Assert.True);
        Assert.False(again);
        var months = await store.MonthsAsync("concurrent", CancellationToken.None);
        Assert.Equal(24, months["2026-11"][SummaryKeys.Starts]);
        Assert.Equal(24, (await store.OutstandingAsync("concurrent", DateTimeOffset.MaxValue, CancellationToken.None)).Count);
    }

    private async Task ProcessDaysAsync(int days, int step = 1)
    {
        for (var day = 0; day < days; day += step)
        {
            _app.Time.Advance(TimeSpan.FromDays(step));
            await _app.Services.SettleAsync();
        }
    }

    private async Task<Participant> EnrolAsync(Project project, string firstName, string coordinator) =>
        await Get<ParticipantService>().EnrolAsync(project, new Enrolment(firstName, "Testinen", "fi", $"{firstName.ToLowerInvariant()}@example.org", null, IntakeInPerson: false), coordinator, CancellationToken.None);

    private async Task SubmitAsync(Participant participant, string form, string answers) =>
        await Get<FormResponses>().SubmitAsync(
            participant, Get<FormCatalog>().Find(form)!, (JsonObject)JsonNode.Parse(answers)!, assisted: false, "participant", _app.Time.GetUtcNow(), CancellationToken.None);

    private async Task<string> SnapshotAsync()
    {
        var store = Get<SummaryStore>();
        return JsonSerializer.Serialize(new
        {
            months = await store.MonthsAsync("demo", CancellationToken.None),
            owed = await store.OutstandingAsync("demo", DateTimeOffset.MaxValue, CancellationToken.None),
        });
    }
}
