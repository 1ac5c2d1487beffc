using System.Globalization;
using Askel.App.Participants;
using Azure.Data.Tables;

namespace Askel.App.Audit;

/// <summary>
/// Every read and change of participant data, by whom and when — one row per access in the audit
/// table, partitioned by project, newest first (the row key counts down), kept as long as the project's records.
/// </summary>
public sealed class AuditLog(ParticipantTables tables, TimeProvider time)
{
    /// <summary>Records that <paramref name="actor"/> did <paramref name="action"/> to a participant's data.</summary>
    /// <param name="actor">The sign-in name, or <c>participant</c> for the person themselves.</param>
    /// <param name="action">What happened, e.g. <c>view-timeline</c>, <c>enrol</c>, <c>submit-form</c>.</param>
    /// <param name="projectId">The project.</param>
    /// <param name="participantId">Whose data, or null for a project-wide read (the list).</param>
    /// <param name="detail">What exactly (a form name, an outcome), never the data itself.</param>
    public async Task RecordAsync(string actor, string action, string projectId, string? participantId, string? detail, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rowKey = (DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        await tables.Audit.AddEntityAsync(
            new TableEntity(projectId, rowKey)
            {
                ["At"] = now,
                ["Actor"] = actor,
                ["Action"] = action,
                ["ParticipantId"] = participantId ?? "",
                ["Detail"] = detail ?? "",
            },
            cancellationToken);
    }

    /// <summary>The newest <paramref name="top"/> records of a project, optionally of one participant.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadAsync(string projectId, string? participantId, int top, CancellationToken cancellationToken)
    {
        var filter = participantId is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {projectId}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {projectId} and ParticipantId eq {participantId}");
        var records = new List<AuditRecord>();
        await foreach (var entity in tables.Audit.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(top, 1000), cancellationToken: cancellationToken))
        {
            records.Add(new AuditRecord(
                entity.GetDateTimeOffset("At") ?? default,
                entity.GetString("Actor") ?? "",
                entity.GetString("Action") ?? "",
                entity.GetString("ParticipantId") is { Length: > 0 } p ? p : null,
                entity.GetString("Detail") ?? ""));
            if (records.Count >= top)
            {
                break;
            }
        }

        return records;
    }
}

/// <summary>One audit record.</summary>
public sealed record AuditRecord(DateTimeOffset At, string Actor, string Action, string? ParticipantId, string Detail);
