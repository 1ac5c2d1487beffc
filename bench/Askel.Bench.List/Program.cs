using System.Diagnostics;
using System.Globalization;
using Askel.App.Audit;
using Askel.App.Coordinator;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Bench;
using Askel.Runtime.Engine;
using Askel.Runtime.Storage;
using Azure.Data.Tables;
using Microsoft.Extensions.Primitives;

// Askel.Bench.List: the data path of a coordinator's caseload list of one big project — the project's participants
// (ParticipantService.ListAsync: kept in memory and brought up to date with the rows changed since, audited), filtered,
// searched and sorted (ParticipantListQuery), one page of 50 taken — against a bare scan of the same partition (every
// column, nothing done with the rows), in the same run, against one in-memory Azurite started here. Before every run,
// 10 rows change as workflows and other instances change them, and the list must show those changes (else it fails).
// A first list in a fresh instance (a whole read) is measured too. The page's 50 workflow statuses are not part of it
// (they cost the same at any size).
var participantsCount = 10_000;
var runs = 30;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--participants" when Arguments.PositiveAfter(args, i, out var n):
            participantsCount = n;
            i++;
            break;
        case "--runs" when Arguments.PositiveAfter(args, i, out var r):
            runs = r;
            i++;
            break;
        default:
            Console.Error.WriteLine("usage: Askel.Bench.List [--participants N] [--runs N]");
            return 2;
    }
}

var ct = CancellationToken.None;
var now = new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero);
Console.WriteLine(Inv($"Askel.Bench.List: 1 project, {participantsCount} participants, {runs} runs of each list after a warm-up, {Environment.ProcessorCount} cores, .NET {Environment.Version}"));
await using var azurite = await AzuriteServer.StartAsync(AzuritePorts.Free(), dataPath: null, [AppContext.BaseDirectory, Directory.GetCurrentDirectory()], ct);
Console.WriteLine(Inv($"load average at start: {StorageProcess.LoadAverage()} (the machine is shared)"));
var service = new TableServiceClient(azurite.Account.ConnectionString);
var options = new EngineOptions { StoragePrefix = "bench" };
var tables = new ParticipantTables(service, options);
await tables.CreateAsync(ct);
var time = new FixedTime(now);
// ListAsync needs only the tables and the audit log; the workflow parts of the service are never called here.
var participants = new ParticipantService(tables, null!, null!, new AuditLog(tables, time), null!, null!, time);
var project = new Project("bench-list", "Benchmark project", "participant", new DateOnly(2027, 12, 31), null, ["coordinator01@kunta.example", "coordinator02@kunta.example"], []);

var seed = Stopwatch.StartNew();
var rows = Seed(project.Id, participantsCount, now);
await Parallel.ForEachAsync(rows.Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 4 },
    async (chunk, token) => await tables.Participants.SubmitTransactionAsync(chunk.Select(p => new TableTransactionAction(TableTransactionActionType.Add, p)), token));
Console.WriteLine(Inv($"seed: {rows.Count} participants in {seed.Elapsed.TotalSeconds:0.0} s"));

var lists = new (string Name, Func<string, StringValues> Query, bool Posted)[]
{
    ("newest first", _ => StringValues.Empty, false),
    ("filtered+sorted", name => name switch { "language" => "sv", "state" => "active", "sort" => "name", "page" => "3", _ => StringValues.Empty }, false),
    ("searched", name => name == "q" ? "jarvinen" : StringValues.Empty, true),
};

async Task<double> BareScanAsync()
{
    var clock = Stopwatch.StartNew();
    var count = 0;
    await foreach (var _ in tables.Participants.QueryAsync<TableEntity>(e => e.PartitionKey == project.Id, cancellationToken: ct))
    {
        count++;
    }

    return clock.Elapsed.TotalMilliseconds;
}

IReadOnlyList<Participant> lastRead = [];
async Task<double> ListAsync((string Name, Func<string, StringValues> Query, bool Posted) list, ParticipantService service)
{
    var clock = Stopwatch.StartNew();
    var query = ParticipantListQuery.From(list.Query, list.Posted);
    lastRead = await service.ListAsync(project.Id, "coordinator01@kunta.example", ct);
    var found = query.Apply(lastRead, project, now);
    _ = found.Skip((query.Page - 1) * CoordinatorPages.ParticipantsPerPage).Take(CoordinatorPages.ParticipantsPerPage).ToList();
    return clock.Elapsed.TotalMilliseconds;
}

// A fresh instance's first list: every row read.
async Task<double> FirstListAsync() =>
    await ListAsync(lists[0], new ParticipantService(tables, null!, null!, new AuditLog(tables, time), null!, null!, time));

// Ten rows change (as a form arriving or another instance would change them); the list must show each change.
var changes = new Random(7);
var marks = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
async Task ChangeRowsAsync(int run)
{
    marks.Clear();
    for (var i = 0; i < 10; i++)
    {
        var id = changes.Next(participantsCount).ToString("D8", CultureInfo.InvariantCulture);
        var mark = now.AddMinutes(run * 10 + i);
        await tables.UpdateParticipantAsync(project.Id, id, p => p.LastContactAt = mark, ct);
        marks[id] = mark;
    }
}

bool ShowsChanges() => lastRead.Count(p => marks.TryGetValue(p.Id, out var mark) && p.LastContactAt == mark) == marks.Count;

// Warm-up (five rounds, so that the seed is older than the few seconds the list reads again), then the phases
// interleaved run by run, so that load from elsewhere falls on all alike.
for (var round = 0; round < 5; round++)
{
    await BareScanAsync();
    await FirstListAsync();
    foreach (var list in lists)
    {
        await ListAsync(list, participants);
    }
}

var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal) { ["bare scan"] = [], ["first list"] = [] };
foreach (var list in lists)
{
    samples[list.Name] = [];
}

for (var run = 0; run < runs; run++)
{
    samples["bare scan"].Add(await BareScanAsync());
    samples["first list"].Add(await FirstListAsync());
    await ChangeRowsAsync(run);
    foreach (var list in lists)
    {
        samples[list.Name].Add(await ListAsync(list, participants));
        if (list == lists[0] && !ShowsChanges())
        {
            Console.Error.WriteLine(Inv($"run {run}: the list does not show the rows changed before it"));
            return 1;
        }
    }
}

Console.WriteLine();
Console.WriteLine("| list             | p50 ms  | p95 ms  | max ms  |");
Console.WriteLine("|------------------|---------|---------|---------|");
foreach (var (name, values) in samples)
{
    Console.WriteLine(Inv($"| {name,-16} | {Percentile(values, 0.5),7:0.0} | {Percentile(values, 0.95),7:0.0} | {values.Max(),7:0.0} |"));
}

var worst = lists.Max(l => Percentile(samples[l.Name], 0.95));
Console.WriteLine();
Console.WriteLine(Inv($"list/bare-scan p95 ratio: {worst / Percentile(samples["bare scan"], 0.95):0.00} (a list kept up to date over reading every row)"));
Console.WriteLine(Inv($"worst list p95: {worst:0} ms (goal: under 300 ms at 10,000 participants) — {(worst < 300 ? "met" : "not met")}"));
return 0;

static double Percentile(List<double> values, double share)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(share * sorted.Count) - 1)];
}

static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

static List<Participant> Seed(string projectId, int count, DateTimeOffset now)
{
    string[] first = ["Aino", "Eino", "Helmi", "Väinö", "Sofia", "Leo", "Amira", "Mohamed", "Olena", "Dmytro", "Fatima", "Juha"];
    string[] last = ["Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Hämäläinen", "Laine", "Järvinen", "Ali", "Ahmed", "Shevchenko"];
    string[] languages = ["fi", "fi", "fi", "sv", "en", "uk", "ru", "ar", "so", "fa"];
    var rng = new Random(20261204);
    return [.. Enumerable.Range(0, count).Select(i => new Participant
    {
        PartitionKey = projectId,
        RowKey = i.ToString("D8", CultureInfo.InvariantCulture),
        FirstName = first[rng.Next(first.Length)],
        LastName = last[rng.Next(last.Length)],
        Language = languages[rng.Next(languages.Length)],
        Email = $"p{i}@example.org",
        Phone = $"+35840{i:D7}",
        EnrolledBy = $"coordinator0{1 + (i % 2)}@kunta.example",
        EnrolledAt = now.AddDays(-rng.Next(700)),
        LeftAt = rng.Next(3) == 0 ? now.AddDays(-rng.Next(300)) : null,
        EntryReceivedAt = rng.Next(10) < 9 ? now.AddDays(-rng.Next(690)) : null,
    })];
}

/// <summary>A clock stopped at the benchmark's "now".</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
