using System.Globalization;
using Askel.App.Audit;
using Askel.App.Participants;
using Askel.Runtime.Engine;
using Askel.Runtime.Storage;
using Azure;
using Azure.Data.Tables;

namespace Askel.App.Cooperation;

/// <summary>
/// A participant's part in the project's cooperation: placed at an employer of the register (a work try-out, an
/// apprenticeship, a job) from a day, or named as an attendee of an event of the log.
/// </summary>
/// <param name="ParticipantId">The participant.</param>
/// <param name="Kind"><see cref="Participations.Placement"/> or <see cref="Participations.Attendance"/>.</param>
/// <param name="SubjectId">The employer's business id, or the event's key.</param>
/// <param name="Since">The day the placement began, or the event's day.</param>
/// <param name="RecordedBy">Who recorded it.</param>
/// <param name="RecordedAt">When.</param>
public sealed record Participation(string ParticipantId, string Kind, string SubjectId, DateOnly Since, string RecordedBy, DateTimeOffset RecordedAt)
{
    /// <summary>What the monthly summary counts of it, as kept on the participant's row.</summary>
    public CountedParticipation Counted => new(Kind, Since, RecordedAt.UtcTicks);
}

/// <summary>
/// Which participants were placed at which employers and attended which events: one row per participant and employer or
/// event in the participations table (partition: the project; row: <c>{participant}|{kind}|{subject}</c>), so the register
/// counts its participants with one read of the project and a participant's own rows are one prefix. These rows tie a
/// person to an employer: they are the participant's data (audited, in their export, deleted with their identity).
/// </summary>
public sealed class Participations(
    TableServiceClient service, EngineOptions options, ParticipantTables tables, Summaries.SummaryStore summary, AuditLog audit, TimeProvider time, ILogger<Participations> logger)
{
    /// <summary>The kinds of participation.</summary>
    public const string Placement = "placement", Attendance = "attendance";

    /// <summary>The participations table.</summary>
    public TableClient Table { get; } = service.GetTableClient(options.StoragePrefix + "participations");

    /// <summary>Creates the table if needed.</summary>
    public Task CreateAsync(CancellationToken cancellationToken) => Table.CreateIfNotExistsAsync(cancellationToken);

    /// <summary>Records that the participant was placed at an employer or attended an event; a repeat records nothing more.</summary>
    /// <returns>False when it was recorded before.</returns>
    public async Task<bool> RecordAsync(Participant participant, string kind, string subjectId, DateOnly since, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var participation = new Participation(participant.Id, kind, subjectId, since, actor, time.GetUtcNow());
        var row = new TableEntity(participant.ProjectId, Key(participant.Id, kind, subjectId))
        {
            ["Since"] = since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["RecordedBy"] = actor,
            ["RecordedAt"] = participation.RecordedAt,
        };
        try
        {
            await Table.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }

        await audit.RecordAsync(actor, "record-" + kind, participant.ProjectId, participant.Id, subjectId, cancellationToken);
        var counted = participation.Counted;
        await tables.UpdateParticipantAsync(participant.ProjectId, participant.Id, p => CountedFacts.Set(p, [.. CountedFacts.Participations(p), counted]), cancellationToken);
        await summary.ApplyAfterChangeAsync(participant.ProjectId, Summaries.SummaryEvents.Of(participant.Id, counted), logger, cancellationToken);
        return true;
    }

    /// <summary>Takes back a participation recorded by mistake.</summary>
    /// <returns>False when there was none.</returns>
    public async Task<bool> RemoveAsync(Participant participant, string kind, string subjectId, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(participant.ProjectId, Key(participant.Id, kind, subjectId), cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return false;
        }

        try
        {
            await Table.DeleteEntityAsync(row.Value!, row.Value!.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false; // taken back (or recorded again) meanwhile
        }

        await audit.RecordAsync(actor, "remove-" + kind, participant.ProjectId, participant.Id, subjectId, cancellationToken);
        var counted = ParticipationOf(row.Value!).Counted;
        await tables.UpdateParticipantAsync(participant.ProjectId, participant.Id, p => CountedFacts.Set(p, CountedFacts.Participations(p).Where(c => c != counted)), cancellationToken);
        await summary.ApplyAfterChangeAsync(participant.ProjectId, Summaries.SummaryEvents.Of(participant.Id, counted, removed: true), logger, cancellationToken);
        return true;
    }

    /// <summary>The participant's placements and attended events, the earliest first.</summary>
    public async Task<IReadOnlyList<Participation>> OfParticipantAsync(string projectId, string participantId, CancellationToken cancellationToken) =>
        [.. (await Table.ReadAllAsync(TableRows.KeyPrefix(projectId, participantId + "|"), null, cancellationToken)).Select(ParticipationOf).OrderBy(p => p.Since)];

    /// <summary>How many participants each employer (by business id) or event (by key) of the project has.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(string projectId, string kind, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<TableEntity>(r => r.PartitionKey == projectId, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (ParticipationOf(row) is { } participation && participation.Kind == kind)
            {
                counts[participation.SubjectId] = counts.GetValueOrDefault(participation.SubjectId) + 1;
            }
        }

        return counts;
    }

    /// <summary>Deletes the participant's participations (erasure and the retention run's purge).</summary>
    public Task ForgetAsync(string projectId, string participantId, CancellationToken cancellationToken) =>
        Table.DeleteAllAsync(TableRows.KeyPrefix(projectId, participantId + "|"), cancellationToken);

    private static string Key(string participantId, string kind, string subjectId) => $"{participantId}|{kind}|{subjectId}";

    private static Participation ParticipationOf(TableEntity row)
    {
        var parts = row.RowKey.Split('|', 3);
        return new(
            parts[0], parts[1], parts[2],
            row.GetString("Since") is { } since ? DateOnly.ParseExact(since, "yyyy-MM-dd", CultureInfo.InvariantCulture) : default,
            row.GetString("RecordedBy") ?? "", row.GetDateTimeOffset("RecordedAt") ?? default);
    }
}
