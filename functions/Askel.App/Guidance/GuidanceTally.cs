using System.Globalization;
using Askel.App.Audit;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.Runtime.Calendar;
using Askel.Runtime.Engine;
using Azure;
using Azure.Data.Tables;

namespace Askel.App.Guidance;

/// <summary>
/// The tally of anonymous guidance: one row per contact in the guidance table (partition: the project; row: the
/// contact's key), audited, and one row per one-tap satisfaction vote in the satisfaction table; each counted in the
/// project's monthly summary as it is recorded.
/// </summary>
public sealed class GuidanceTally(TableServiceClient service, EngineOptions options, SummaryStore summary, AuditLog audit, TimeProvider time, ILogger<GuidanceTally> logger)
{
    /// <summary>The guidance table: a row per contact.</summary>
    public TableClient Table { get; } = service.GetTableClient(options.StoragePrefix + "guidance");

    /// <summary>The satisfaction table: a row per counted one-tap vote (its day and score).</summary>
    public TableClient Votes { get; } = service.GetTableClient(options.StoragePrefix + "satisfaction");

    /// <summary>Creates the tables if needed.</summary>
    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await Table.CreateIfNotExistsAsync(cancellationToken);
        await Votes.CreateIfNotExistsAsync(cancellationToken);
    }

    /// <summary>
    /// Records a checked entry (see <see cref="GuidanceEntry.Check"/>) given by <paramref name="coordinator"/>. A repeat of
    /// the same key (a double tap, a post retried) records nothing more and returns the contact first recorded.
    /// </summary>
    public async Task<GuidanceContact> RecordAsync(Project project, GuidanceEntry entry, string coordinator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(entry);
        var contact = new GuidanceContact(
            entry.Key, project.Id, DateOnly.ParseExact(entry.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture), entry.Channel, entry.Topic, entry.Language,
            entry.AgeGroup.Length == 0 ? null : entry.AgeGroup, entry.Gender.Length == 0 ? null : entry.Gender, coordinator, time.GetUtcNow());
        try
        {
            await Table.AddEntityAsync(RowOf(contact), cancellationToken);
            await audit.RecordAsync(coordinator, "record-guidance", project.Id, null, $"{contact.Channel}: {contact.Topic}", cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            contact = ContactOf((await Table.GetEntityAsync<TableEntity>(project.Id, entry.Key, cancellationToken: cancellationToken)).Value);
        }

        await summary.ApplyAfterChangeAsync(project.Id, SummaryEvents.Of(contact), logger, cancellationToken);
        return contact;
    }

    /// <summary>Counts a one-tap satisfaction vote of <paramref name="score"/> (1–5) given today, for the service point's guidance or the event <paramref name="eventId"/>.</summary>
    public async Task CountVoteAsync(Project project, string? eventId, int score, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        var vote = new SatisfactionVote(Guid.NewGuid().ToString("N"), project.Id, CalendarPolicy.Default.DayOf(time.GetUtcNow()), score, eventId);
        await Votes.AddEntityAsync(RowOf(vote), cancellationToken);
        await summary.ApplyAfterChangeAsync(project.Id, SummaryEvents.Of(vote), logger, cancellationToken);
    }

    /// <summary>The summary events of every contact and vote of the project, for a rebuild of its summary.</summary>
    public async IAsyncEnumerable<SummaryEvent> SummaryEventsAsync(string projectId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var contact in OfProjectAsync(projectId, cancellationToken))
        {
            yield return SummaryEvents.Of(contact);
        }

        await foreach (var row in Votes.QueryAsync<TableEntity>(r => r.PartitionKey == projectId, cancellationToken: cancellationToken))
        {
            yield return SummaryEvents.Of(new SatisfactionVote(
                row.RowKey, row.PartitionKey, DateOnly.ParseExact(row.GetString("Date"), "yyyy-MM-dd", CultureInfo.InvariantCulture), row.GetInt32("Score") ?? 0, row.GetString("EventId")));
        }
    }

    /// <summary>Every contact of the project.</summary>
    public async IAsyncEnumerable<GuidanceContact> OfProjectAsync(string projectId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in Table.QueryAsync<TableEntity>(r => r.PartitionKey == projectId, cancellationToken: cancellationToken))
        {
            yield return ContactOf(row);
        }
    }

    /// <summary>The contact's row in the guidance table (the summary benchmark seeds its table with it).</summary>
    public static TableEntity RowOf(GuidanceContact contact) => new(contact.ProjectId, contact.Id)
    {
        ["Date"] = contact.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["Channel"] = contact.Channel,
        ["Topic"] = contact.Topic,
        ["Language"] = contact.Language,
        ["AgeGroup"] = contact.AgeGroup,
        ["Gender"] = contact.Gender,
        ["Coordinator"] = contact.Coordinator,
        ["RecordedAt"] = contact.RecordedAt,
    };

    /// <summary>The vote's row in the satisfaction table (the summary benchmark seeds its table with it).</summary>
    public static TableEntity RowOf(SatisfactionVote vote) => new(vote.ProjectId, vote.Id)
    {
        ["Date"] = vote.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["Score"] = vote.Score,
        ["EventId"] = vote.EventId,
    };

    private static GuidanceContact ContactOf(TableEntity row) => new(
        row.RowKey, row.PartitionKey, DateOnly.ParseExact(row.GetString("Date"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        row.GetString("Channel") ?? "", row.GetString("Topic") ?? "", row.GetString("Language") ?? "", row.GetString("AgeGroup"), row.GetString("Gender"),
        row.GetString("Coordinator") ?? "", row.GetDateTimeOffset("RecordedAt") ?? default);
}
