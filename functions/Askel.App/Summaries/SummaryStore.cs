using System.Globalization;
using System.Text.Json;
using Askel.App.Participants;
using Askel.Runtime.Engine;
using Askel.Runtime.Storage;
using Azure;
using Azure.Data.Tables;

namespace Askel.App.Summaries;

/// <summary>
/// A project's summary kept as it happens, in the summaries table (partition: the project): one row of counts
/// per month (<c>month|yyyy-MM</c>), one row per form a participant still owes (<c>due|dueTime|form|participant</c>) and
/// one row per applied event (<c>event|id</c>). Reading a summary reads the month rows and the owed forms only,
/// so its cost grows with the project's months, not with its participants.
/// </summary>
public sealed partial class SummaryStore(TableServiceClient service, EngineOptions options)
{
    private const string MonthPrefix = "month|", DuePrefix = "due|", EventPrefix = "event|";

    /// <summary>The summaries table.</summary>
    public TableClient Table { get; } = service.GetTableClient(options.StoragePrefix + "summaries");

    /// <summary>Creates the table if needed.</summary>
    public Task CreateAsync(CancellationToken cancellationToken) => Table.CreateIfNotExistsAsync(cancellationToken);

    /// <summary>
    /// Applies an event once: its counts, due and received forms and its id go in one transaction of the project's
    /// partition, so a repeat (a retry, a crash replayed, a second instance) finds the id and changes nothing.
    /// </summary>
    /// <returns>False when the event had been applied before.</returns>
    public async Task<bool> ApplyAsync(string projectId, SummaryEvent summaryEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summaryEvent);
        // Most repeats are a participant's facts recorded again after a later change: one read says so.
        if ((await Table.GetEntityIfExistsAsync<TableEntity>(projectId, EventPrefix + summaryEvent.Id, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue)
        {
            return false;
        }

        for (var attempt = 0; ; attempt++)
        {
            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, new TableEntity(projectId, EventPrefix + summaryEvent.Id)) };
            foreach (var month in summaryEvent.Counts.GroupBy(c => c.Month))
            {
                var existing = await Table.GetEntityIfExistsAsync<TableEntity>(projectId, MonthPrefix + month.Key, cancellationToken: cancellationToken);
                var counts = existing.HasValue ? ReadCounts(existing.Value!) : new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var count in month)
                {
                    SummaryFold.Add(counts, count);
                }

                var row = MonthRow(projectId, month.Key, counts);
                actions.Add(existing.HasValue
                    ? new(TableTransactionActionType.UpdateReplace, row, existing.Value!.ETag)
                    : new(TableTransactionActionType.Add, row));
            }

            foreach (var due in summaryEvent.Due)
            {
                actions.Add(new(TableTransactionActionType.UpsertReplace, DueRow(projectId, due)));
            }

            foreach (var settled in summaryEvent.Settled)
            {
                var key = DueKey(settled);
                var owed = await Table.GetEntityIfExistsAsync<TableEntity>(projectId, key, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
                if (owed.HasValue)
                {
                    actions.Add(new(TableTransactionActionType.Delete, owed.Value!, owed.Value!.ETag));
                }
            }

            try
            {
                await Table.SubmitTransactionAsync(actions, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 0 && e.Status == 409)
            {
                return false;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404 && attempt < 20)
            {
                // A month row or an owed form changed under us (another event of the same project): read again.
            }
            catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode == "TableNotFound")
            {
                await CreateAsync(cancellationToken);
            }
        }
    }

    /// <summary>
    /// Applies an event whose change is already stored (a participant's row, a guidance contact, an employer): when
    /// storage fails, the change stands and the failure is logged, not thrown; <c>./askel summary rebuild</c> repairs the count.
    /// </summary>
    public async Task ApplyAfterChangeAsync(string projectId, SummaryEvent summaryEvent, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summaryEvent);
        try
        {
            await ApplyAsync(projectId, summaryEvent, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            NotCounted(logger, summaryEvent.Id, projectId, e.Status, e);
        }
    }

    [LoggerMessage(EventId = 1410, Level = LogLevel.Error, Message = "The summary event {EventId} of project {ProjectId} was not counted (storage answered {Status}); run ./askel summary rebuild {ProjectId}")]
    private static partial void NotCounted(ILogger logger, string eventId, string projectId, int status, Exception exception);

    /// <summary>Every month's counts of a project, by month (<c>yyyy-MM</c>).</summary>
    public async Task<SortedDictionary<string, IReadOnlyDictionary<string, long>>> MonthsAsync(string projectId, CancellationToken cancellationToken)
    {
        var months = new SortedDictionary<string, IReadOnlyDictionary<string, long>>(StringComparer.Ordinal);
        await foreach (var row in QueryAsync(projectId, MonthPrefix, cancellationToken))
        {
            months[row.RowKey[MonthPrefix.Length..]] = ReadCounts(row);
        }

        return months;
    }

    /// <summary>
    /// The forms a project's participants still owe that fell due before <paramref name="dueBefore"/>, earliest first.
    /// Owed rows are keyed by due time, so forms not due yet (the six-month forms of recent leavers) are not read,
    /// and a form leaves the list when it arrives or a coordinator closes its task: what is read is the chase in
    /// progress and the tasks still waiting for a coordinator, not the project's history.
    /// </summary>
    public async Task<IReadOnlyList<OutstandingForm>> OutstandingAsync(string projectId, DateTimeOffset dueBefore, CancellationToken cancellationToken)
    {
        var owed = new List<OutstandingForm>();
        var end = DuePrefix + dueBefore.UtcDateTime.ToString(DueTimeFormat, CultureInfo.InvariantCulture);
        await foreach (var row in Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {projectId} and RowKey ge {DuePrefix} and RowKey lt {end}"), cancellationToken: cancellationToken))
        {
            owed.Add(new(row.GetString("Form"), row.GetString("ParticipantId"), row.GetString("Coordinator") ?? "", row.GetDateTimeOffset("DueAt") ?? default));
        }

        return [.. owed.OrderBy(o => o.DueAt)];
    }

    /// <summary>What the summary keeps of one participant: the forms they owe, and the ids of their events it has counted.</summary>
    public async Task<(IReadOnlyList<OutstandingForm> Owed, IReadOnlyList<string> Counted)> OfParticipantAsync(string projectId, string participantId, CancellationToken cancellationToken)
    {
        var rows = await Table.ReadAllAsync(ParticipantRows(projectId, participantId), null, cancellationToken);
        return (
            [.. rows.Where(r => r.RowKey.StartsWith(DuePrefix, StringComparison.Ordinal))
                .Select(r => new OutstandingForm(r.GetString("Form"), participantId, r.GetString("Coordinator") ?? "", r.GetDateTimeOffset("DueAt") ?? default))],
            [.. rows.Where(r => r.RowKey.StartsWith(EventPrefix, StringComparison.Ordinal)).Select(r => r.RowKey[EventPrefix.Length..])]);
    }

    /// <summary>
    /// Forgets one participant's rows (forms owed, events counted) when their records are destroyed; the month counts,
    /// which name no one, stay.
    /// </summary>
    public Task ForgetParticipantAsync(string projectId, string participantId, CancellationToken cancellationToken) =>
        Table.DeleteAllAsync(ParticipantRows(projectId, participantId), cancellationToken);

    // The owed rows name the participant in a column; the event ids begin with their id (SummaryEvents).
    private static string ParticipantRows(string projectId, string participantId)
    {
        var events = EventPrefix + participantId + ":";
        return TableClient.CreateQueryFilter(
            $"PartitionKey eq {projectId} and ((RowKey ge {DuePrefix} and RowKey lt {"due}"} and ParticipantId eq {participantId}) or (RowKey ge {events} and RowKey lt {EventPrefix + participantId + ";"}))");
    }

    /// <summary>
    /// Rebuilds a project's summary from its participants' rows and its own events, such as guidance contacts (the history): the events every row implies are
    /// folded in memory, then written over the kept rows. Run it when the summary is suspect (a crash between a
    /// participant's change and its event) or after a counting rule changed; live events during the rebuild may
    /// be lost, so run it outside working hours.
    /// </summary>
    /// <returns>How many participants and events were read.</returns>
    public async Task<(int Participants, int Events)> RebuildAsync(
        string projectId, IAsyncEnumerable<Participant> participants, IAsyncEnumerable<SummaryEvent> projectEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participants);
        ArgumentNullException.ThrowIfNull(projectEvents);
        var fold = new SummaryFold();
        await foreach (var participant in participants.WithCancellation(cancellationToken))
        {
            fold.Add(participant);
        }

        await foreach (var projectEvent in projectEvents.WithCancellation(cancellationToken))
        {
            fold.Add(projectEvent);
        }

        await CreateAsync(cancellationToken);
        var stale = new List<TableEntity>();
        await foreach (var row in Table.QueryAsync<TableEntity>(r => r.PartitionKey == projectId, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            // Only what the fold makes: other rows of the partition (the summary's deliveries) are not the history's to replace.
            if (row.RowKey.StartsWith(MonthPrefix, StringComparison.Ordinal) || row.RowKey.StartsWith(DuePrefix, StringComparison.Ordinal) || row.RowKey.StartsWith(EventPrefix, StringComparison.Ordinal))
            {
                stale.Add(row);
            }
        }

        var fresh = fold.Months.Select(m => MonthRow(projectId, m.Key, m.Value))
            .Concat(fold.Outstanding.Select(o => DueRow(projectId, o)))
            .Concat(fold.EventIds.Select(id => new TableEntity(projectId, EventPrefix + id)))
            .ToList();
        var keep = fresh.Select(r => r.RowKey).ToHashSet(StringComparer.Ordinal);
        await SubmitAllAsync(stale.Where(r => !keep.Contains(r.RowKey)).Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);
        await SubmitAllAsync(fresh.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken);
        return (fold.Participants, fold.EventIds.Count);
    }

    // Transactions of 100, eight in flight: a rebuild of 100,000 participants writes some 4,000.
    private Task SubmitAllAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            actions.Chunk(100),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (chunk, token) => await Table.SubmitTransactionAsync(chunk, token));

    /// <summary>A project's rows whose key starts with <paramref name="prefix"/> (month rows, deliveries), in key order.</summary>
    internal AsyncPageable<TableEntity> QueryAsync(string projectId, string prefix, CancellationToken cancellationToken) =>
        Table.QueryAsync<TableEntity>(TableRows.KeyPrefix(projectId, prefix), cancellationToken: cancellationToken);

    private static TableEntity MonthRow(string projectId, string month, IReadOnlyDictionary<string, long> counts) =>
        new(projectId, MonthPrefix + month) { ["Counts"] = JsonSerializer.Serialize(counts.Where(c => c.Value != 0).OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary()) };

    private static TableEntity DueRow(string projectId, OutstandingForm due) =>
        new(projectId, DueKey(due)) { ["Form"] = due.Form, ["ParticipantId"] = due.ParticipantId, ["Coordinator"] = due.Coordinator, ["DueAt"] = due.DueAt };

    private const string DueTimeFormat = "yyyyMMddHHmmss";

    private static string DueKey(OutstandingForm due) =>
        $"{DuePrefix}{due.DueAt.UtcDateTime.ToString(DueTimeFormat, CultureInfo.InvariantCulture)}|{due.Form}|{due.ParticipantId}";

    private static Dictionary<string, long> ReadCounts(TableEntity row) =>
        JsonSerializer.Deserialize<Dictionary<string, long>>(row.GetString("Counts") ?? "{}") ?? new(StringComparer.Ordinal);
}
