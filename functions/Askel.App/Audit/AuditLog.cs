using Askel.App.Participants;
using Askel.Runtime.Storage;
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
        var rowKey = TableRows.NewestFirst(now) + "-" + Guid.NewGuid().ToString("N")[..8];
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
    public Task<IReadOnlyList<AuditRecord>> ReadAsync(string projectId, string? participantId, int top, CancellationToken cancellationToken) =>
        SearchAsync(new AuditQuery(projectId, participantId, null, null, null), top, cancellationToken);

    /// <summary>
    /// The newest <paramref name="top"/> records that match every part of <paramref name="query"/> given, newest first
    /// within a project (the row key counts down); across projects, project by project.
    /// </summary>
    public async Task<IReadOnlyList<AuditRecord>> SearchAsync(AuditQuery query, int top, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = new List<string>();
        if (query.ProjectId is { } project)
        {
            parts.Add(TableClient.CreateQueryFilter($"PartitionKey eq {project}"));
        }

        if (query.ParticipantId is { } participant)
        {
            parts.Add(TableClient.CreateQueryFilter($"ParticipantId eq {participant}"));
        }

        if (query.Actor is { } actor)
        {
            parts.Add(TableClient.CreateQueryFilter($"Actor eq {actor}"));
        }

        if (query.From is { } from)
        {
            parts.Add(TableClient.CreateQueryFilter($"At ge {new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)}"));
        }

        if (query.To is { } to)
        {
            parts.Add(TableClient.CreateQueryFilter($"At lt {new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)}"));
        }

        var records = new List<AuditRecord>();
        await foreach (var entity in tables.Audit.QueryAsync<TableEntity>(parts.Count == 0 ? null : string.Join(" and ", parts), maxPerPage: Math.Clamp(top, 1, 1000), cancellationToken: cancellationToken))
        {
            records.Add(new AuditRecord(
                entity.GetDateTimeOffset("At") ?? default,
                entity.GetString("Actor") ?? "",
                entity.GetString("Action") ?? "",
                entity.GetString("ParticipantId") is { Length: > 0 } p ? p : null,
                entity.GetString("Detail") ?? "") { ProjectId = entity.PartitionKey });
            if (records.Count >= top)
            {
                break;
            }
        }

        return records;
    }
}

/// <summary>One audit record.</summary>
public sealed record AuditRecord(DateTimeOffset At, string Actor, string Action, string? ParticipantId, string Detail)
{
    /// <summary>The project it is about (<c>-</c> for instance API calls about no project).</summary>
    public string ProjectId { get; init; } = "";
}

/// <summary>What an admin searches the audit log for; a null part matches everything.</summary>
/// <param name="ProjectId">One project.</param>
/// <param name="ParticipantId">Records about one participant.</param>
/// <param name="Actor">Records of one user (a sign-in name, or <c>participant</c>).</param>
/// <param name="From">From this day on (UTC).</param>
/// <param name="To">Up to and including this day (UTC).</param>
public sealed record AuditQuery(string? ProjectId, string? ParticipantId, string? Actor, DateOnly? From, DateOnly? To);
