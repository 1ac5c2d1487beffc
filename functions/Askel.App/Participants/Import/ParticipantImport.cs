using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Askel.App.Audit;
using Askel.App.Forms;
using Askel.App.Projects;
using Askel.Runtime.Calendar;
using Askel.Runtime.Engine;
using Askel.Runtime.Storage;
using Azure;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Askel.App.Participants.Import;

/// <summary>One row of an import: what it would enrol, and why it will not (keys of the coordinator texts).</summary>
/// <param name="Line">The row's line in the file (the header is line 1).</param>
/// <param name="Enrolment">The participant as the row gives them.</param>
/// <param name="Problems">Why the row is not enrolled; none: it is.</param>
public sealed record ImportRow(int Line, Enrolment Enrolment, IReadOnlyList<string> Problems)
{
    /// <summary>Whether the row is enrolled on confirmation.</summary>
    public bool Importable => Problems.Count == 0;
}

/// <summary>What an import would do, before anything is written.</summary>
/// <param name="Id">The import's id (from the file's content: the same file is the same import).</param>
/// <param name="MissingColumns">Required columns the header lacks (<c>first-name</c>, <c>last-name</c>, <c>contact</c>); then no rows.</param>
/// <param name="Rows">Every data row with its problems.</param>
public sealed record ImportPreview(string Id, IReadOnlyList<string> MissingColumns, IReadOnlyList<ImportRow> Rows);

/// <summary>
/// Enrols participants from the CSV or XLSX file a coordinator already keeps. A preview comes first and writes nothing
/// but the uploaded file, kept until it is confirmed (at most a day). On confirmation the file is checked again and
/// each valid row is enrolled with a key made from the file and its line: the import is resumable (a crash half-way,
/// confirmed again, enrols the rest) and a re-import of the same file enrols nobody twice; a row whose email address or
/// number is already in the project is skipped. Rows with problems are not enrolled; the coordinator fixes them in the
/// file and imports it again.
/// </summary>
public sealed class ParticipantImport(
    ParticipantService participants, DurableTaskClient client, TableServiceClient service, EngineOptions options, AuditLog audit, TimeProvider time)
{
    private static readonly TimeZoneInfo Zone = CalendarPolicy.Default.TimeZone;
    private static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    // Header names coordinators write (Finnish, Swedish, English), compared without case, spaces or punctuation.
    private static readonly Dictionary<string, string> HeaderNames = new(StringComparer.Ordinal)
    {
        ["etunimi"] = "first", ["firstname"] = "first", ["förnamn"] = "first", ["fornamn"] = "first",
        ["sukunimi"] = "last", ["lastname"] = "last", ["surname"] = "last", ["efternamn"] = "last",
        ["puhelin"] = "phone", ["puhelinnumero"] = "phone", ["matkapuhelin"] = "phone", ["phone"] = "phone", ["mobile"] = "phone", ["telefon"] = "phone", ["mobil"] = "phone",
        ["sähköposti"] = "email", ["email"] = "email", ["epost"] = "email", ["sähköpostiosoite"] = "email",
        ["kieli"] = "language", ["language"] = "language", ["språk"] = "language",
        ["aloituspäivä"] = "start", ["aloitus"] = "start", ["alkupäivä"] = "start", ["startdate"] = "start", ["startdatum"] = "start",
        ["koordinaattori"] = "coordinator", ["ohjaaja"] = "coordinator", ["coordinator"] = "coordinator", ["koordinator"] = "coordinator",
    };

    private static readonly Dictionary<string, string> LanguageNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["suomi"] = "fi", ["finnish"] = "fi", ["finska"] = "fi", ["ruotsi"] = "sv", ["svenska"] = "sv", ["swedish"] = "sv",
        ["englanti"] = "en", ["english"] = "en", ["engelska"] = "en", ["ukraina"] = "uk", ["ukrainian"] = "uk", ["українська"] = "uk",
        ["venäjä"] = "ru", ["russian"] = "ru", ["русский"] = "ru", ["arabia"] = "ar", ["arabic"] = "ar", ["العربية"] = "ar",
        ["somali"] = "so", ["soomaali"] = "so", ["persia"] = "fa", ["farsi"] = "fa", ["persian"] = "fa", ["فارسی"] = "fa",
    };

    /// <summary>Uploaded files waiting for confirmation, partitioned by project.</summary>
    public TableClient Pending { get; } = service.GetTableClient(options.StoragePrefix + "imports");

    /// <summary>The preview of <paramref name="content"/>, kept for confirmation; null when the file cannot be read as CSV or XLSX.</summary>
    public async Task<ImportPreview?> PreviewAsync(Project project, byte[] content, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(content);
        var preview = await CheckAsync(project, content, actor, cancellationToken);
        if (preview is null || preview.MissingColumns.Count > 0)
        {
            return preview;
        }

        await Pending.CreateIfNotExistsAsync(cancellationToken);
        await ForgetOldAsync(project, cancellationToken);
        var row = new TableEntity(project.Id, preview.Id) { ["By"] = actor, ["At"] = time.GetUtcNow() };
        ChunkedText.Write(row, "Content", Convert.ToBase64String(content));
        await Pending.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
        await audit.RecordAsync(actor, "import-preview", project.Id, null, $"{preview.Rows.Count} rows, {preview.Rows.Count(r => r.Importable)} valid", cancellationToken);
        return preview;
    }

    /// <summary>
    /// Starts enrolling the valid rows of a previewed file (checked again now) in the background, sending each the intake
    /// link unless <paramref name="sendIntake"/> is false (shown in a meeting instead); null when there is no such preview
    /// (any more). Confirming the same preview again starts nothing new.
    /// </summary>
    /// <returns>The rows being enrolled, and the rows skipped (problems, or in the project already).</returns>
    public async Task<(int Enrolling, int Skipped)?> ConfirmAsync(Project project, string id, bool sendIntake, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (await ReadPendingAsync(project, id, cancellationToken) is not { } content
            || await CheckAsync(project, content, actor, cancellationToken) is not { MissingColumns.Count: 0 } preview)
        {
            return null;
        }

        var lines = preview.Rows.Where(r => r.Importable).Select(r => r.Line).ToList();
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                ImportFunctions.Orchestrator, new ImportJob(project.Id, id, lines, sendIntake, actor), new StartOrchestrationOptions($"import:{project.Id}:{id}"), cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // Confirmed twice (a double click): the first confirmation's import is running or done.
        }

        return (lines.Count, preview.Rows.Count - lines.Count);
    }

    /// <summary>Enrols the job's lines of its file (the import's activity); a line enrolled before is found by its key.</summary>
    /// <returns>How many of the lines are enrolled now.</returns>
    internal async Task<int> EnrolLinesAsync(Project project, ImportJob job, CancellationToken cancellationToken)
    {
        if (await ReadPendingAsync(project, job.ImportId, cancellationToken, ignoreAge: true) is not { } content || ImportFile.Read(content) is not { } table)
        {
            return 0;
        }

        // The lines were valid when confirmed; checked again without the project's contacts, which now include earlier batches'.
        var preview = Rows(project, table, new HashSet<string>(StringComparer.Ordinal));
        var enrolled = 0;
        foreach (var row in preview.Where(r => r.Importable && job.Lines.Contains(r.Line)))
        {
            await participants.EnrolAsync(project, row.Enrolment with { IntakeInPerson = !job.SendIntake, Key = RowKey(job.ImportId, row.Line) }, job.Actor, cancellationToken);
            enrolled++;
        }

        return enrolled;
    }

    /// <summary>Forgets the import's file and audits it (the import's last activity).</summary>
    internal async Task FinishAsync(ImportJob job, CancellationToken cancellationToken)
    {
        await Pending.DeleteEntityAsync(job.ProjectId, job.ImportId, ETag.All, cancellationToken);
        await audit.RecordAsync(job.Actor, "import", job.ProjectId, null, $"{job.Lines[0]} enrolled", cancellationToken);
    }

    private async Task<byte[]?> ReadPendingAsync(Project project, string id, CancellationToken cancellationToken, bool ignoreAge = false)
    {
        try
        {
            var found = await Pending.GetEntityIfExistsAsync<TableEntity>(project.Id, id, cancellationToken: cancellationToken);
            return found.HasValue && found.Value!.GetDateTimeOffset("At") is { } at && (ignoreAge || time.GetUtcNow() - at <= KeptFor)
                ? Convert.FromBase64String(ChunkedText.Read(found.Value, "Content"))
                : null;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 400)
        {
            return null; // no import was ever previewed (no table), or the id is not a key
        }
    }

    private async Task<ImportPreview?> CheckAsync(Project project, byte[] content, string actor, CancellationToken cancellationToken)
    {
        if (content.Length > ImportFile.MaxBytes || ImportFile.Read(content) is not { } table)
        {
            return null;
        }

        var id = Convert.ToHexStringLower(SHA256.HashData(content))[..32];
        var column = ColumnsOf(table);
        var missing = new[] { ("first", "first-name"), ("last", "last-name") }.Where(c => !column.ContainsKey(c.Item1)).Select(c => c.Item2).ToList();
        if (!column.ContainsKey("phone") && !column.ContainsKey("email"))
        {
            missing.Add("contact");
        }

        if (missing.Count > 0)
        {
            return new ImportPreview(id, missing, []);
        }

        // The project's contacts, read once (an audited read of the list); then the file's own, row by row.
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var participant in await participants.ListAsync(project.Id, actor, cancellationToken))
        {
            taken.UnionWith(ContactKeys(participant.Email, participant.Phone));
        }

        return new ImportPreview(id, [], Rows(project, table, taken));
    }

    // Each row with its problems; taken: the contacts already in the project.
    private List<ImportRow> Rows(Project project, ImportTable table, HashSet<string> taken)
    {
        var column = ColumnsOf(table);
        var inFile = new HashSet<string>(StringComparer.Ordinal);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Zone).DateTime);
        var rows = new List<ImportRow>();
        foreach (var (line, cells) in table.Rows)
        {
            string Cell(string field) => column.TryGetValue(field, out var index) ? cells[index] : "";
            var languageText = Cell("language");
            var language = languageText.Length == 0 ? project.Offered[0] : LanguageNames.GetValueOrDefault(languageText, languageText.ToLowerInvariant());
            var enrolment = new Enrolment(Cell("first"), Cell("last"), language, Cell("email"), Cell("phone"), IntakeInPerson: false);
            var problems = ParticipantService.Check(enrolment, out var email, out var phone, project.Offered).ToList();
            if (new[] { Cell("first"), Cell("last"), Cell("email"), Cell("coordinator") }.Any(PlainText.LooksLikeFormula))
            {
                problems.Add("import-formula");
            }

            DateOnly? joined = null;
            if (Cell("start") is { Length: > 0 } start)
            {
                joined = StartDate(start);
                if (joined is not { } day || day > today || day.Year < 2000)
                {
                    problems.Add("import-start-invalid");
                }
            }

            string? coordinator = null;
            if (Cell("coordinator") is { Length: > 0 } named)
            {
                coordinator = project.Coordinators.FirstOrDefault(c => string.Equals(c, named, StringComparison.OrdinalIgnoreCase));
                if (coordinator is null)
                {
                    problems.Add("import-coordinator-unknown");
                }
            }

            var keys = ContactKeys(email, phone);
            if (problems.Count == 0 && keys.Any(taken.Contains))
            {
                problems.Add("import-already-enrolled");
            }
            else if (problems.Count == 0 && keys.Any(k => !inFile.Add(k)))
            {
                problems.Add("import-duplicate-in-file");
            }

            rows.Add(new ImportRow(line, enrolment with { JoinedOn = joined, Coordinator = coordinator }, problems));
        }

        return rows;
    }

    // Which column holds which field (the first, when a header is repeated).
    private static Dictionary<string, int> ColumnsOf(ImportTable table) =>
        table.Headers.Select((h, i) => (Field: HeaderNames.GetValueOrDefault(HeaderKey(h)), Index: i)).Where(c => c.Field is not null)
            .GroupBy(c => c.Field!).ToDictionary(g => g.Key, g => g.First().Index);

    // Uploads never confirmed hold names and numbers: gone after a day, checked whenever the project previews another.
    private async Task ForgetOldAsync(Project project, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - KeptFor;
        await foreach (var old in Pending.QueryAsync<TableEntity>(e => e.PartitionKey == project.Id && e.Timestamp < before, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await Pending.DeleteEntityAsync(old.PartitionKey, old.RowKey, ETag.All, cancellationToken);
        }
    }

    private static string[] ContactKeys(string? email, string? phone) =>
        [.. new[] { email is null ? null : "email|" + email.ToLowerInvariant(), phone is null ? null : "sms|" + phone }.OfType<string>()];

    private static string HeaderKey(string header) =>
        new([.. header.Trim().ToLowerInvariant().Where(c => char.IsLetter(c))]);

    // 3.2.2026, 03.02.2026, 2026-02-03, or an Excel date serial (an XLSX date cell).
    private static DateOnly? StartDate(string text) =>
        DateOnly.TryParseExact(text, ["d.M.yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
        : double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var serial) && serial is > 36526 and < 73051 ? DateOnly.FromDateTime(DateTime.FromOADate(serial))
        : null;

    private static string RowKey(string id, int line) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{id}:{line}")))[..32];
}
