using System.Globalization;
using Askel.App.Audit;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.Runtime.Engine;
using Azure;
using Azure.Data.Tables;

namespace Askel.App.Cooperation;

/// <summary>
/// A project's employer register and event log: one row per employer (partition: the project; row: the business id) in
/// the employers table and one per event in the events table, audited, and counted in the project's monthly summary as
/// they are saved. An edit counts as its difference, in the months its old and new versions are counted in.
/// </summary>
public sealed class CooperationRegister(TableServiceClient service, EngineOptions options, SummaryStore summary, AuditLog audit, ILogger<CooperationRegister> logger)
{
    /// <summary>The employers table.</summary>
    public TableClient Employers { get; } = service.GetTableClient(options.StoragePrefix + "employers");

    /// <summary>The events table.</summary>
    public TableClient Events { get; } = service.GetTableClient(options.StoragePrefix + "events");

    /// <summary>Creates the tables if needed.</summary>
    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await Employers.CreateIfNotExistsAsync(cancellationToken);
        await Events.CreateIfNotExistsAsync(cancellationToken);
    }

    /// <summary>What saving an entry came to.</summary>
    public enum Outcome
    {
        /// <summary>Saved, new or changed.</summary>
        Saved,

        /// <summary>The register already said the same (a double tap, a post retried): nothing changed.</summary>
        Unchanged,

        /// <summary>A new employer whose business id the register already holds with other details: edit that one instead.</summary>
        Exists,
    }

    /// <summary>The project's employers, by name.</summary>
    public async Task<IReadOnlyList<Employer>> EmployersAsync(string projectId, CancellationToken cancellationToken)
    {
        var employers = new List<Employer>();
        await foreach (var row in Employers.QueryAsync<TableEntity>(r => r.PartitionKey == projectId, cancellationToken: cancellationToken))
        {
            employers.Add(EmployerOf(row));
        }

        return [.. employers.OrderBy(e => e.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>The project's events, latest first.</summary>
    public async Task<IReadOnlyList<CooperationEvent>> EventsAsync(string projectId, CancellationToken cancellationToken)
    {
        var events = new List<CooperationEvent>();
        await foreach (var row in Events.QueryAsync<TableEntity>(r => r.PartitionKey == projectId, cancellationToken: cancellationToken))
        {
            events.Add(EventOf(row));
        }

        return [.. events.OrderByDescending(e => e.Date).ThenBy(e => e.Title, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>The project's event <paramref name="eventId"/>, or null.</summary>
    public async Task<CooperationEvent?> EventAsync(string projectId, string eventId, CancellationToken cancellationToken)
    {
        var row = await Events.GetEntityIfExistsAsync<TableEntity>(projectId, eventId, cancellationToken: cancellationToken);
        return row.HasValue ? EventOf(row.Value!) : null;
    }

    /// <summary>
    /// Saves a checked entry (see <see cref="EmployerEntry.Check"/>) as <paramref name="coordinator"/>: registers a new
    /// employer or changes the one being edited, and counts the difference in the summary.
    /// </summary>
    public async Task<(Outcome Outcome, Employer Employer)> SaveAsync(Project project, EmployerEntry entry, string coordinator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(entry);
        var wanted = entry.ToEmployer(project.Id, 1, coordinator);
        var key = entry.Editing.Length > 0 ? entry.Editing : wanted.BusinessId;
        while (true)
        {
            var stored = await Employers.GetEntityIfExistsAsync<TableEntity>(project.Id, key, cancellationToken: cancellationToken);
            var before = stored.HasValue ? EmployerOf(stored.Value!) : null;
            if (before is not null && before.SaysSameAs(wanted) && before.BusinessId == wanted.BusinessId)
            {
                return (Outcome.Unchanged, before);
            }

            if (before is not null && entry.Editing.Length == 0)
            {
                return (Outcome.Exists, before);
            }

            // The business id is the row's key: an edit keeps it (the form shows it read-only).
            var saved = wanted with { BusinessId = key, Version = (before?.Version ?? 0) + 1 };
            try
            {
                await (before is null
                    ? Employers.AddEntityAsync(RowOf(saved), cancellationToken)
                    : Employers.UpdateEntityAsync(RowOf(saved), stored.Value!.ETag, TableUpdateMode.Replace, cancellationToken));
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                continue; // saved by someone else meanwhile: compare with theirs
            }

            await audit.RecordAsync(coordinator, "save-employer", project.Id, null, $"{saved.BusinessId} v{saved.Version}", cancellationToken);
            await summary.ApplyAfterChangeAsync(project.Id, SummaryEvents.Of(saved, before), logger, cancellationToken);
            return (Outcome.Saved, saved);
        }
    }

    /// <summary>Saves a checked entry (see <see cref="EventEntry.Check"/>) as <paramref name="coordinator"/>, as for an employer.</summary>
    public async Task<(Outcome Outcome, CooperationEvent Event)> SaveAsync(Project project, EventEntry entry, string coordinator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(entry);
        var wanted = entry.ToEvent(project.Id, 1, coordinator);
        while (true)
        {
            var stored = await Events.GetEntityIfExistsAsync<TableEntity>(project.Id, entry.Key, cancellationToken: cancellationToken);
            var before = stored.HasValue ? EventOf(stored.Value!) : null;
            if (before is not null && before.SaysSameAs(wanted))
            {
                return (Outcome.Unchanged, before);
            }

            var saved = wanted with { Version = (before?.Version ?? 0) + 1 };
            try
            {
                await (before is null
                    ? Events.AddEntityAsync(RowOf(saved), cancellationToken)
                    : Events.UpdateEntityAsync(RowOf(saved), stored.Value!.ETag, TableUpdateMode.Replace, cancellationToken));
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                continue;
            }

            await audit.RecordAsync(coordinator, "save-event", project.Id, null, $"{saved.Kind} v{saved.Version}", cancellationToken);
            await summary.ApplyAfterChangeAsync(project.Id, SummaryEvents.Of(saved, before), logger, cancellationToken);
            return (Outcome.Saved, saved);
        }
    }

    /// <summary>The summary events of the register as it stands, for a rebuild of the project's summary.</summary>
    public async IAsyncEnumerable<SummaryEvent> SummaryEventsAsync(string projectId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var employer in await EmployersAsync(projectId, cancellationToken))
        {
            yield return SummaryEvents.Of(employer);
        }

        foreach (var happened in await EventsAsync(projectId, cancellationToken))
        {
            yield return SummaryEvents.Of(happened);
        }
    }

    /// <summary>The employer's row in the employers table (the summary benchmark seeds its table with it).</summary>
    public static TableEntity RowOf(Employer employer) => new(employer.ProjectId, employer.BusinessId)
    {
        ["Name"] = employer.Name,
        ["Size"] = employer.Size,
        ["Sector"] = employer.Sector,
        ["ContactPerson"] = employer.ContactPerson,
        ["Cooperation"] = string.Join(' ', employer.Cooperation),
        ["Since"] = employer.Since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["Version"] = employer.Version,
        ["RecordedBy"] = employer.RecordedBy,
    };

    private static Employer EmployerOf(TableEntity row) => new(
        row.PartitionKey, row.RowKey, row.GetString("Name") ?? "", row.GetString("Size") ?? "", row.GetString("Sector") ?? "", row.GetString("ContactPerson") ?? "",
        (row.GetString("Cooperation") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        DateOnly.ParseExact(row.GetString("Since"), "yyyy-MM-dd", CultureInfo.InvariantCulture), row.GetInt32("Version") ?? 1, row.GetString("RecordedBy") ?? "");

    /// <summary>The event's row in the events table (the summary benchmark seeds its table with it).</summary>
    public static TableEntity RowOf(CooperationEvent happened) => new(happened.ProjectId, happened.Id)
    {
        ["Date"] = happened.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["Kind"] = happened.Kind,
        ["Title"] = happened.Title,
        ["Organiser"] = happened.Organiser,
        ["Attendance"] = happened.Attendance,
        ["Version"] = happened.Version,
        ["RecordedBy"] = happened.RecordedBy,
    };

    private static CooperationEvent EventOf(TableEntity row) => new(
        row.PartitionKey, row.RowKey, DateOnly.ParseExact(row.GetString("Date"), "yyyy-MM-dd", CultureInfo.InvariantCulture), row.GetString("Kind") ?? "",
        row.GetString("Title") ?? "", row.GetString("Organiser") ?? "", row.GetInt32("Attendance") ?? 0, row.GetInt32("Version") ?? 1, row.GetString("RecordedBy") ?? "");
}
