using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Askel.App.Audit;
using Askel.App.Cooperation;
using Askel.App.Guidance;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.Bench;
using Askel.Bench.Summary;
using Askel.Runtime.Engine;
using Askel.Runtime.Storage;
using Askel.Runtime.Definitions;
using Askel.Runtime.Durable;
using Askel.Runtime.Durable.Local;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

// Askel.Bench.Summary: the monthly summary of one big project read from the kept rows (the product's path)
// against a full scan of the project's participants folded in memory, in the same run, against one in-memory
// Azurite started here.
var settings = SummarySettings.Parse(args);
if (settings is null)
{
    Console.Error.WriteLine("usage: Askel.Bench.Summary [--participants N] [--runs N] [--seed-concurrency N] [--quick]");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;

// A fixed "now": the monthly run early on 2 March 2026; the summary is February's, the last of 24 months of
// enrolments (March 2024 – February 2026, Helsinki months).
var now = new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);
var month = SummaryCalculator.PreviousMonth(now);
var history = Seeder.Window;
Console.WriteLine(Inv($"Askel.Bench.Summary: 1 project, {settings.Participants} participants, {Seeder.Months} months ({SummaryEvents.MonthOf(history.From)} – {month}), summary of {month} as of {now:yyyy-MM-dd HH:mm}Z, {settings.Runs} runs after a warm-up, {Environment.ProcessorCount} cores, .NET {Environment.Version}"));
await using var azurite = await AzuriteServer.StartAsync(AzuritePorts.Free(), dataPath: null, [AppContext.BaseDirectory, Directory.GetCurrentDirectory()], ct);
var storageProcess = StorageProcess.Find();
Console.WriteLine(Inv($"load average at start: {StorageProcess.LoadAverage()} (the machine is shared)"));

// One service client for every table, with the counting policy: its table clients share its pipeline.
var counter = new RequestCounter();
var clientOptions = new TableClientOptions();
clientOptions.AddPolicy(counter, HttpPipelinePosition.PerCall);
var service = new TableServiceClient(azurite.Account.ConnectionString, clientOptions);
var options = new EngineOptions { StoragePrefix = "bench" };
var participantTables = new ParticipantTables(service, options);
var summaryStore = new SummaryStore(service, options);
// No task is open in this project, so the workflow client (a task hub on the same Azurite) is never asked.
var hub = LocalTaskHub.AzureStorage(azurite.Account, new LocalTaskHubOptions { TaskHub = "bench" }, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
var definitions = new DefinitionStore(service.GetTableClient(options.DefinitionsTable), _ => null, (_, _) => throw new InvalidOperationException("no workflow runs here"));
var tasks = new OpenTasks(service, options, new DurableWorkflowClient(LocalTaskHub.ClientOf(hub, TimeProvider.System), definitions, new SignalInbox(service.GetTableClient("benchsignals")), new FixedTime(now)));
var guidance = new GuidanceTally(
    service, options, summaryStore, new AuditLog(participantTables, new FixedTime(now)), new FixedTime(now), Microsoft.Extensions.Logging.Abstractions.NullLogger<GuidanceTally>.Instance);
var cooperation = new CooperationRegister(
    service, options, summaryStore, new AuditLog(participantTables, new FixedTime(now)), Microsoft.Extensions.Logging.Abstractions.NullLogger<CooperationRegister>.Instance);
var plans = new Plans(
    participantTables, summaryStore, new AuditLog(participantTables, new FixedTime(now)), new FixedTime(now), Microsoft.Extensions.Logging.Abstractions.NullLogger<Plans>.Instance);
var summaries = new SummaryService(summaryStore, tasks, participantTables, guidance, cooperation, plans, new FixedTime(now), Microsoft.Extensions.Logging.Abstractions.NullLogger<SummaryService>.Instance);
await participantTables.Participants.CreateIfNotExistsAsync(ct);
await summaryStore.CreateAsync(ct);
await guidance.CreateAsync(ct);
await cooperation.CreateAsync(ct);
await participantTables.Plans.CreateIfNotExistsAsync(ct);
await service.CreateTableIfNotExistsAsync(options.TasksTable, ct); // as the runtime's setup does; no task is open

var project = new Project(
    "bench-project", "Benchmark project", "participant", new DateOnly(2027, 12, 31), "S30099", Seeder.Coordinators, ["manager@kunta.example"])
{
    Targets = new ProjectTargets(100_000, 0.5, 0.4, 0.8) { Employers = 150, EventAttendees = 20_000, EmployersBySize = new Dictionary<string, int> { ["micro"] = 60, ["large"] = 10 } },
};

// ---- Setup (timed, not compared): the participants, then the kept rows by the product's rebuild. ----
var participants = Seeder.Participants(project.Id, settings.Participants, now);
var planVersions = Seeder.PlanVersions(participants, now); // before the rows are written: each row takes its plan's last version
counter.Reset();
var seedClock = Stopwatch.StartNew();
await Parallel.ForEachAsync(
    participants.Chunk(100),
    new ParallelOptions { MaxDegreeOfParallelism = settings.SeedConcurrency, CancellationToken = ct },
    async (chunk, token) => await participantTables.Participants.SubmitTransactionAsync(chunk.Select(p => new TableTransactionAction(TableTransactionActionType.Add, p)), token));
seedClock.Stop();
var seedRequests = counter.Snapshot();
Console.WriteLine(Inv($"seed: {participants.Count} participants in {seedClock.Elapsed.TotalSeconds:0.0} s ({participants.Count / seedClock.Elapsed.TotalSeconds:0} rows/s; {seedRequests.Transactions} transactions of 100, {settings.SeedConcurrency} in flight)"));
Console.WriteLine(Inv($"      entry received {Share(participants.Count(p => p.EntryReceivedAt is not null), participants.Count)}, left {Share(participants.Count(p => p.LeftAt is not null), participants.Count)}, exit received {Share(participants.Count(p => p.ExitReceivedAt is not null), participants.Count(p => p.LeftAt is not null))} of leavers, six-month received {Share(participants.Count(p => p.SixMonthReceivedAt is not null), participants.Count(p => p.LeftAt is { } l && l.AddMonths(6) <= now))} of those who left ≥ 6 months ago"));
var contacts = Seeder.Guidance(project.Id, settings.Participants / 2);
await SeedAsync(guidance.Table, contacts, GuidanceTally.RowOf);
var employers = Seeder.Employers(project.Id, settings.Participants / 500);
await SeedAsync(cooperation.Employers, employers, CooperationRegister.RowOf);
var events = Seeder.Events(project.Id, settings.Participants / 200);
await SeedAsync(cooperation.Events, events, CooperationRegister.RowOf);
var votes = Seeder.Votes(project.Id, settings.Participants / 2, events);
await SeedAsync(guidance.Votes, votes, GuidanceTally.RowOf);
await SeedAsync(participantTables.Plans, planVersions, v => Plans.RowOf(project.Id, v));
Console.WriteLine(Inv($"      and {contacts.Count} anonymous guidance contacts, {votes.Count} satisfaction taps, {employers.Count} employers, {events.Count} events, {planVersions.Count} plan versions"));

// The project's own records, written as the app writes them, in transactions of 100.
Task SeedAsync<T>(TableClient table, IEnumerable<T> records, Func<T, TableEntity> rowOf) =>
    Parallel.ForEachAsync(
        records.Chunk(100),
        new ParallelOptions { MaxDegreeOfParallelism = settings.SeedConcurrency, CancellationToken = ct },
        async (chunk, token) => await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, rowOf(r))), token));

participants.Clear(); // the measured phases read storage only
participants.TrimExcess();
GC.Collect();

counter.Reset();
var rebuildClock = Stopwatch.StartNew();
var rebuilt = await summaries.RebuildAsync(project, ct);
rebuildClock.Stop();
var rebuildRequests = counter.Snapshot();
var keptMonths = await summaryStore.MonthsAsync(project.Id, ct);
var keptOutstanding = await summaryStore.OutstandingAsync(project.Id, SummaryCalculator.EndOf(month), ct);
Console.WriteLine(Inv($"rebuild (SummaryService.RebuildAsync, the rebuild command): {rebuilt.Participants} participants, {rebuilt.Events} events in {rebuildClock.Elapsed.TotalSeconds:0.0} s — {rebuildRequests.Reads} reads ({rebuildRequests.ResponseBytes / 1048576.0:0.0} MiB), {rebuildRequests.Transactions} transactions"));
Console.WriteLine(Inv($"      kept rows: {keptMonths.Count} months, {keptOutstanding.Count} owed forms, {rebuilt.Events} event ids"));

// ---- Measured: the two ways to the same MonthlySummary, alternating, after one warm-up each. ----
async Task<MonthlySummary> SummaryAsync() => await summaries.BuildAsync(project, month, ct);

async Task<MonthlySummary> FullScanAsync()
{
    var fold = new SummaryFold();
    var rows = participantTables.Participants.QueryAsync<Participant>(
        TableClient.CreateQueryFilter($"PartitionKey eq {project.Id}"), select: FullScan.Columns, cancellationToken: ct);
    await foreach (var participant in rows)
    {
        fold.Add(participant);
    }

    await foreach (var guidanceEvent in guidance.SummaryEventsAsync(project.Id, ct))
    {
        fold.Add(guidanceEvent);
    }

    await foreach (var cooperationEvent in cooperation.SummaryEventsAsync(project.Id, ct))
    {
        fold.Add(cooperationEvent);
    }

    await foreach (var planEvent in plans.SummaryEventsAsync(project.Id, ct))
    {
        fold.Add(planEvent);
    }

    var open = await tasks.ListAsync(project.Id + ".", null, ct);
    return SummaryCalculator.Build(project, month, fold.Months, fold.Outstanding, open, now);
}

var me = Process.GetCurrentProcess();
var measured = new Dictionary<string, List<Sample>> { ["summary"] = [], ["full-scan"] = [] };
string? expected = null;
MonthlySummary? figures = null;
for (var round = 0; round <= settings.Runs; round++)
{
    foreach (var (name, build) in new (string, Func<Task<MonthlySummary>>)[] { ("summary", SummaryAsync), ("full-scan", FullScanAsync) })
    {
        counter.Reset();
        me.Refresh();
        var cpu = me.TotalProcessorTime;
        var storageCpu = StorageProcess.Cpu(storageProcess);
        var clock = Stopwatch.StartNew();
        var summary = await build();
        clock.Stop();
        me.Refresh();
        var sample = new Sample(clock.Elapsed.TotalMilliseconds, counter.Snapshot(), (me.TotalProcessorTime - cpu).TotalMilliseconds, (StorageProcess.Cpu(storageProcess) - storageCpu).TotalMilliseconds);

        // Both must give the same figures, every time.
        var canonical = Figures.Canonical(summary);
        if (expected is null)
        {
            expected = canonical;
            figures = summary;
        }
        else if (canonical != expected)
        {
            Console.Error.WriteLine(Inv($"MISMATCH: {name} (round {round}) gave other figures than the first summary: {Figures.FirstDifference(expected, canonical)}"));
            return 1;
        }

        if (round > 0)
        {
            measured[name].Add(sample);
        }

        Console.WriteLine(Inv($"  {(round == 0 ? "warm-up" : $"run {round}"),-8} {name,-10} {sample.Milliseconds,10:0.0} ms  {sample.Requests.Reads,5} reads  {sample.Requests.ResponseBytes / 1024.0,10:0.0} KiB"));
    }
}

var f = figures!;
Console.WriteLine();
Console.WriteLine(Inv($"figures of {f.Month} (identical both ways): starts {f.Starts.InMonth}/{f.Starts.Cumulative}, exits {f.Exits.InMonth}/{f.Exits.Cumulative}, capture {string.Join(", ", f.Capture.Select(c => Inv($"{c.Form} {c.ReceivedTotal}/{c.DueTotal} ({c.Overdue} overdue)")))},"));
Console.WriteLine(Inv($"  participants indicator {f.Indicators[0].Total}, exit employed {f.ExitOutcomes[0].Cumulative}, six-month employed {f.SixMonthOutcomes[0].Cumulative}, satisfaction {f.Satisfaction.AverageCumulative:0.00} ({f.Satisfaction.AnswersCumulative} answers), {f.Coordinators.Count} coordinators, {f.Overdue.Count} overdue forms"));
Console.WriteLine();
Console.WriteLine(Inv($"{"path",-10} {"median ms",10} {"min ms",9} {"max ms",9} {"reads",7} {"other req",10} {"KiB read",10} {"bench CPU ms",13} {"Azurite CPU ms",15}"));
Console.WriteLine(new string('-', 99));
foreach (var (name, samples) in measured)
{
    var requests = samples[^1].Requests;
    Console.WriteLine(Inv($"{name,-10} {Median(samples.Select(s => s.Milliseconds)),10:0.0} {samples.Min(s => s.Milliseconds),9:0.0} {samples.Max(s => s.Milliseconds),9:0.0} {requests.Reads,7} {requests.Other,10} {requests.ResponseBytes / 1024.0,10:0.0} {Median(samples.Select(s => s.BenchCpuMs)),13:0.0} {(storageProcess is null ? "n/a" : Median(samples.Select(s => s.StorageCpuMs)).ToString("0.0", CultureInfo.InvariantCulture)),15}"));
}

Console.WriteLine("(median of the runs; requests and bytes of the last run — they are the same every run; reads = GET requests = response pages)");

// Where the summary's reads go (one more run of each part, after the measured ones).
var parts = new List<string>();
foreach (var (name, read) in new (string, Func<Task<int>>)[]
{
    ("month rows", async () => (await summaryStore.MonthsAsync(project.Id, ct)).Count),
    ("owed forms", async () => (await summaryStore.OutstandingAsync(project.Id, SummaryCalculator.EndOf(month), ct)).Count),
    ("open tasks", async () => (await tasks.ListAsync(project.Id + ".", null, ct)).Count),
})
{
    counter.Reset();
    var clock = Stopwatch.StartNew();
    var rows = await read();
    clock.Stop();
    var requests = counter.Snapshot();
    parts.Add(Inv($"{name} {clock.Elapsed.TotalMilliseconds:0.0} ms ({rows} rows, {requests.Reads} reads, {requests.ResponseBytes / 1024.0:0.0} KiB)"));
}

Console.WriteLine("summary's parts: " + string.Join("; ", parts));
Console.WriteLine(Inv($"load average at end: {StorageProcess.LoadAverage()}"));
var summaryMs = Median(measured["summary"].Select(s => s.Milliseconds));
var fullMs = Median(measured["full-scan"].Select(s => s.Milliseconds));
var summaryReads = measured["summary"][^1].Requests.Total;
var fullReads = measured["full-scan"][^1].Requests.Total;
Console.WriteLine(Inv($"full-scan/summary: {fullMs / summaryMs:0.0}× the time, {fullReads / (double)summaryReads:0.0}× the requests"));
Console.WriteLine(Inv($"summary/full-scan ratio: {summaryMs / fullMs:0.00#} (time; storage requests {summaryReads / (double)fullReads:0.00#})"));
return 0;

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static string Share(int part, int whole) => whole == 0 ? "n/a" : (part / (double)whole).ToString("0.0 %", CultureInfo.InvariantCulture);

static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

namespace Askel.Bench.Summary
{
    /// <summary>Command-line settings.</summary>
    internal sealed record SummarySettings(int Participants, int Runs, int SeedConcurrency)
    {
        public static SummarySettings? Parse(string[] args)
        {
            var participants = 100_000;
            var runs = 5;
            var seedConcurrency = 4;
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--quick":
                        participants = 10_000;
                        runs = 3;
                        break;
                    case "--participants" when Arguments.PositiveAfter(args, i, out var n):
                        participants = n;
                        i++;
                        break;
                    case "--runs" when Arguments.PositiveAfter(args, i, out var r):
                        runs = r;
                        i++;
                        break;
                    case "--seed-concurrency" when Arguments.PositiveAfter(args, i, out var c):
                        seedConcurrency = c;
                        i++;
                        break;
                    default:
                        return null;
                }
            }

            return new SummarySettings(participants, runs, seedConcurrency);
        }
    }

    /// <summary>One measured build: wall time, its storage requests, and CPU of this process and of Azurite.</summary>
    internal sealed record Sample(double Milliseconds, RequestCounts Requests, double BenchCpuMs, double StorageCpuMs);

    /// <summary>The full-scan baseline's query: every participant row of the project, only the columns the fold reads.</summary>
    internal static class FullScan
    {
        public static readonly IEnumerable<string> Columns =
        [
            "PartitionKey", "RowKey", "EnrolledBy", "EnrolledAt", "LeftAt", "EntryReceivedAt", "ExitReceivedAt", "SixMonthReceivedAt",
            "StatusAtEntry", "StatusAtExit", "StatusAtSixMonths", "Reported", "TaskOutcomes", "PlanReviewAt", "PlanSavedAt", "PlanCoordinator", "CountedConsents", "CountedParticipations",
        ];
    }

    /// <summary>A clock stopped at the benchmark's "now".</summary>
    internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>
    /// Participants of one project with realistic facts, from a fixed seed: enrolled evenly over 24 Helsinki months,
    /// ~95 % entry form received, ~70 % left, ~80 % of leavers' exit forms received, ~60 % of six-month forms received
    /// for those who left at least six months before "now".
    /// </summary>
    internal static class Seeder
    {
        public const int Months = 24;

        public static readonly IReadOnlyList<string> Coordinators = [.. Enumerable.Range(1, 12).Select(i => string.Create(CultureInfo.InvariantCulture, $"coordinator{i:D2}@kunta.example"))];

        // 1 March 2024 00:00 to 1 March 2026 00:00 in Helsinki (UTC+2 in winter).
        public static (DateTimeOffset From, DateTimeOffset To) Window => (new(2024, 2, 29, 22, 0, 0, TimeSpan.Zero), new(2026, 2, 28, 22, 0, 0, TimeSpan.Zero));

        private static readonly string[] FirstNames = ["Aino", "Eino", "Helmi", "Väinö", "Sofia", "Leo", "Olivia", "Oliver", "Amira", "Mohamed", "Olena", "Dmytro", "Fatima", "Hassan", "Maria", "Juha"];
        private static readonly string[] LastNames = ["Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen", "Järvinen", "Ali", "Ahmed", "Shevchenko", "Kovalenko"];
        private static readonly string[] Languages = ["fi", "fi", "fi", "fi", "sv", "en", "uk", "ru", "ar", "so", "fa"];
        private const string IdLetters = "abcdefghijkmnpqrstuvwxyz23456789";

        /// <summary>Anonymous guidance contacts spread over the window's days, every trait drawn from its list; a third without age or gender.</summary>
        public static List<GuidanceContact> Guidance(string projectId, int count)
        {
            var rng = new Random(20261206);
            return [.. Enumerable.Range(0, count).Select(i => new GuidanceContact(
                Inv($"{i:x32}"), projectId, AnyDay(rng), Pick(rng, GuidanceContact.Channels), Pick(rng, GuidanceContact.Topics),
                Pick(rng, Languages), rng.NextDouble() < 0.33 ? null : Pick(rng, GuidanceContact.AgeGroups), rng.NextDouble() < 0.33 ? null : Pick(rng, GuidanceContact.Genders),
                Pick(rng, Coordinators), Window.From))];
        }

        /// <summary>One-tap satisfaction votes spread over the window's days, mostly satisfied; every fifth on one of the events.</summary>
        public static List<SatisfactionVote> Votes(string projectId, int count, IReadOnlyList<CooperationEvent> events)
        {
            var rng = new Random(20261207);
            return [.. Enumerable.Range(0, count).Select(i => new SatisfactionVote(
                Inv($"{i:x32}"), projectId, AnyDay(rng), Weighted(rng, (5, 40), (4, 30), (3, 15), (2, 10), (1, 5)), i % 5 == 0 && events.Count > 0 ? Pick(rng, events).Id : null))];
        }

        /// <summary>Employers with valid business ids, every size and kind of cooperation drawn from its list, their cooperation begun on a day of the window.</summary>
        public static List<Employer> Employers(string projectId, int count)
        {
            var rng = new Random(20261208);
            var employers = new Dictionary<string, Employer>(StringComparer.Ordinal);
            while (employers.Count < count)
            {
                // Seven digits and the check digit that makes them a Y-tunnus (a remainder of 1 has none: drawn again).
                var digits = Inv($"{rng.Next(10_000_000):0000000}");
                if (Enumerable.Range(0, 10).Select(d => BusinessIds.Normalise(Inv($"{digits}-{d}"))).FirstOrDefault(n => n is not null) is not { } id)
                {
                    continue;
                }

                employers[id] = new Employer(
                    projectId, id, Inv($"Yritys {employers.Count}"), Pick(rng, Employer.Sizes), "", "",
                    [.. Employer.CooperationTypes.Where(_ => rng.NextDouble() < 0.4).DefaultIfEmpty(Employer.CooperationTypes[0])], AnyDay(rng), 1, Pick(rng, Coordinators));
            }

            return [.. employers.Values];
        }

        /// <summary>Events on days of the window, of every kind, with 0–150 attendees.</summary>
        public static List<CooperationEvent> Events(string projectId, int count)
        {
            var rng = new Random(20261209);
            return [.. Enumerable.Range(0, count).Select(i => new CooperationEvent(
                projectId, Inv($"{i:x32}"), AnyDay(rng), Pick(rng, CooperationEvent.Kinds), Inv($"Tapahtuma {i}"), "Askel", rng.Next(151), 1, Pick(rng, Coordinators)))];
        }

        // A Helsinki day of the window.
        private static DateOnly AnyDay(Random rng) =>
            DateOnly.FromDateTime(Window.From.AddHours(2).Date).AddDays(rng.Next((int)(Window.To - Window.From).TotalDays));

        /// <summary>
        /// Plans for ~90 % of them: made in their first two weeks, then reviewed every three months (now and then up to
        /// three weeks early or six weeks late) until they left or now. Each participant's row takes its last version, as a save does.
        /// </summary>
        public static List<Plan> PlanVersions(IReadOnlyList<Participant> participants, DateTimeOffset now)
        {
            var rng = new Random(20261206);
            var versions = new List<Plan>();
            foreach (var p in participants)
            {
                if (rng.NextDouble() >= 0.9)
                {
                    continue;
                }

                var end = p.LeftAt ?? now;
                var saved = p.EnrolledAt.AddDays(rng.Next(1, 15));
                for (var version = 1; saved < end; version++)
                {
                    var review = DateOnly.FromDateTime(saved.UtcDateTime).AddMonths(3);
                    var plan = new Plan(
                        p.Id, version, [new PlanGoal("work", "Työpaikka omalta alalta")], [new PlanStep("Hakemukset kolmeen paikkaan", "participant", review, false)],
                        review, p.EnrolledBy, p.EnrolledBy, saved, Inv($"bench-{version}"));
                    versions.Add(plan);
                    (p.PlanVersion, p.PlanReviewAt, p.PlanSavedAt, p.PlanCoordinator) = (version, Askel.App.Participants.Plans.AtStartOf(review), saved, plan.Coordinator);
                    saved = Askel.App.Participants.Plans.AtStartOf(review).AddDays(rng.Next(-20, 43)).AddHours(9);
                }
            }

            return versions;
        }

        public static List<Participant> Participants(string projectId, int count, DateTimeOffset now)
        {
            var rng = new Random(20260302);
            var (from, to) = Window;
            var span = (long)(to - from).TotalSeconds;
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var participants = new List<Participant>(count);
            for (var i = 0; i < count; i++)
            {
                string id;
                do
                {
                    id = string.Create(12, rng, (chars, r) =>
                    {
                        for (var c = 0; c < chars.Length; c++)
                        {
                            chars[c] = IdLetters[r.Next(IdLetters.Length)];
                        }
                    });
                }
                while (!ids.Add(id));

                var enrolledAt = from.AddSeconds(rng.NextInt64(span));
                var first = Pick(rng, FirstNames);
                var last = Pick(rng, LastNames);
                var p = new Participant
                {
                    PartitionKey = projectId,
                    RowKey = id,
                    FirstName = first,
                    LastName = last,
                    Language = Pick(rng, Languages),
                    Email = rng.NextDouble() < 0.85 ? Inv($"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}{rng.Next(1000)}@example.fi") : null,
                    Phone = rng.NextDouble() < 0.9 ? Inv($"+35840{rng.Next(1_000_000, 9_999_999)}") : null,
                    Intake = rng.NextDouble() < 0.8 ? "message" : "in-person",
                    EnrolledBy = Pick(rng, Coordinators),
                    EnrolledAt = enrolledAt,
                };
                var reported = new JsonObject();
                var outcomes = new JsonObject();

                // Entry form: ~95 %, within two weeks of enrolling (and before now).
                var entryAt = Within(rng, enrolledAt, TimeSpan.FromDays(14), now);
                if (rng.NextDouble() < 0.95)
                {
                    p.EntryReceivedAt = entryAt;
                    p.StatusAtEntry = Weighted(rng, ("unemployed", 40), ("long-term-unemployed", 25), ("inactive", 20), ("employed", 15));
                    var gender = Weighted(rng, ("woman", 48), ("man", 47), ("non-binary", 2), ("", 3));
                    if (gender.Length > 0)
                    {
                        reported["gender"] = gender;
                    }

                    var age = Weighted(rng, (16, 3), (18, 25), (30, 55), (55, 17));
                    var born = DateOnly.FromDateTime(enrolledAt.UtcDateTime).AddYears(-age - rng.Next(0, age == 16 ? 2 : age == 18 ? 12 : age == 30 ? 25 : 10)).AddDays(-rng.Next(365));
                    reported["birthDate"] = born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    reported["education"] = Weighted(rng, ("isced-0-2", 30), ("isced-3-4", 45), ("isced-5-8", 25));
                    foreach (var (key, share) in new[] { ("thirdCountryNational", 0.12), ("foreignBackground", 0.22), ("disability", 0.08), ("minority", 0.03), ("homeless", 0.02) })
                    {
                        reported[key] = rng.NextDouble() < share ? "yes" : "no";
                    }
                }
                else
                {
                    CloseTask(rng, outcomes, "entry-task", enrolledAt.AddDays(14), now, "not-starting");
                }

                // Leaving: ~70 %, after two weeks to ten months (not after now).
                var daysLeft = (now - enrolledAt).TotalDays;
                if (rng.NextDouble() < 0.72 && daysLeft > 14)
                {
                    var leftAt = enrolledAt.AddSeconds(rng.NextInt64((long)(14 * 86400), (long)(Math.Min(300, daysLeft) * 86400)));
                    p.LeftAt = leftAt;

                    // Exit form: ~80 % of leavers, within three weeks (and before now).
                    var exitAt = Within(rng, leftAt, TimeSpan.FromDays(21), now);
                    if (rng.NextDouble() < 0.8)
                    {
                        p.ExitReceivedAt = exitAt;
                        p.StatusAtExit = Weighted(rng, ("employed", 30), ("education", 15), ("job-searching", 35), ("no-change", 20));
                        reported["satisfaction"] = Weighted(rng, (1, 4), (2, 8), (3, 20), (4, 40), (5, 28));
                        reported["exitQualification"] = rng.NextDouble() < 0.2 ? "yes" : "no";
                    }
                    else
                    {
                        CloseTask(rng, outcomes, "exit-task", leftAt.AddDays(28), now, rng.NextDouble() < 0.3 ? "moved-away" : "unreachable");
                    }

                    // Six-month form: ~60 % of those who left six months before now, within three weeks of its due date.
                    var sixAt = Within(rng, leftAt.AddMonths(6), TimeSpan.FromDays(21), now);
                    if (leftAt.AddMonths(6) <= now && rng.NextDouble() < 0.6)
                    {
                        p.SixMonthReceivedAt = sixAt;
                        p.StatusAtSixMonths = Weighted(rng, ("employed", 55), ("not-employed", 45));
                        reported["sixMonthImproved"] = rng.NextDouble() < 0.3 ? "yes" : "no";
                    }
                    else
                    {
                        CloseTask(rng, outcomes, "six-month-task", leftAt.AddMonths(6).AddDays(28), now, "unreachable");
                    }
                }

                p.Reported = reported.ToJsonString();
                p.TaskOutcomes = outcomes.ToJsonString();
                participants.Add(p);
            }

            return participants;
        }

        // A form's chase ended unanswered at `taskOpenedAt` (its task opened): a coordinator closes ~90 % of such tasks
        // within three weeks, the rest still wait. A task not opened yet (the chase goes on) is left alone.
        // As the app writes a completed task: the outcome, and the form its step reports (a task named "<form>-task").
        private static void CloseTask(Random rng, JsonObject outcomes, string task, DateTimeOffset taskOpenedAt, DateTimeOffset now, string outcome)
        {
            if (taskOpenedAt.AddDays(21) < now && rng.NextDouble() < 0.9)
            {
                outcomes[task] = new JsonObject { ["outcome"] = outcome, ["reason"] = "", ["form"] = task[..^"-task".Length], ["received"] = false };
            }
        }

        // A moment up to `within` after `from`, not after `now`, in whole seconds.
        private static DateTimeOffset Within(Random rng, DateTimeOffset from, TimeSpan within, DateTimeOffset now) =>
            from.AddSeconds(rng.NextInt64((long)Math.Max(1, Math.Min(within.TotalSeconds, (now - from).TotalSeconds))));

        private static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

        private static T Weighted<T>(Random rng, params (T Value, int Weight)[] choices)
        {
            var roll = rng.Next(choices.Sum(c => c.Weight));
            foreach (var (value, weight) in choices)
            {
                if ((roll -= weight) < 0)
                {
                    return value;
                }
            }

            return choices[^1].Value;
        }

        private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A summary as comparable text: every figure, with ties among overdue forms (same due moment) put in one order.</summary>
    internal static class Figures
    {
        private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

        public static string Canonical(MonthlySummary summary) =>
            JsonSerializer.Serialize(
                summary with { Overdue = [.. summary.Overdue.OrderBy(o => o.DueAt).ThenBy(o => o.Form, StringComparer.Ordinal).ThenBy(o => o.ParticipantId, StringComparer.Ordinal)] },
                Indented);

        public static string FirstDifference(string expected, string actual)
        {
            var a = expected.Split('\n');
            var b = actual.Split('\n');
            for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
            {
                var x = i < a.Length ? a[i].Trim() : "(end)";
                var y = i < b.Length ? b[i].Trim() : "(end)";
                if (x != y)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"line {i + 1}: expected {x} but got {y}");
                }
            }

            return "(none)";
        }
    }

    /// <summary>
    /// Counts storage requests by kind (a query's every page is one GET), and the response bytes (buffered bodies),
    /// once per logical call: it sits before the retry policy, so a retry is not counted twice.
    /// </summary>
    internal sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private long _reads;
        private long _transactions;
        private long _other;
        private long _responseBytes;

        public override void OnSendingRequest(HttpMessage message)
        {
            var request = message.Request;
            if (request.Method == RequestMethod.Get)
            {
                Interlocked.Increment(ref _reads);
            }
            else if (request.Method == RequestMethod.Post && request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _transactions);
            }
            else
            {
                Interlocked.Increment(ref _other);
            }
        }

        public override void OnReceivedResponse(HttpMessage message)
        {
            if (message.Response.ContentStream is { CanSeek: true } body)
            {
                Interlocked.Add(ref _responseBytes, body.Length);
            }
        }

        public void Reset()
        {
            Interlocked.Exchange(ref _reads, 0);
            Interlocked.Exchange(ref _transactions, 0);
            Interlocked.Exchange(ref _other, 0);
            Interlocked.Exchange(ref _responseBytes, 0);
        }

        public RequestCounts Snapshot() =>
            new(Interlocked.Read(ref _reads), Interlocked.Read(ref _transactions), Interlocked.Read(ref _other), Interlocked.Read(ref _responseBytes));
    }

    /// <summary>Storage requests of a phase, and the bytes of their responses.</summary>
    internal readonly record struct RequestCounts(long Reads, long Transactions, long Other, long ResponseBytes)
    {
        public long Total => Reads + Transactions + Other;
    }
}
