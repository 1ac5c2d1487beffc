using Askel.App.Participants;
using Askel.App.Projects;
using Azure;
using Azure.Data.Tables;

namespace Askel.App.Privacy;

/// <summary>What one retention run did, in counts only.</summary>
/// <param name="Purged">Participants whose records were destroyed.</param>
/// <param name="Stopping">Participants whose still-running workflow was told to stop (purged on a later run).</param>
/// <param name="ErasuresFinished">Erased participants whose workflow has stopped since, and whose history was purged.</param>
/// <param name="ProjectsHeld">Projects past their retention kept by a legal hold.</param>
/// <param name="ProjectsClosed">Projects whose last records (their audit log) were destroyed.</param>
/// <param name="More">The run reached its limit: the next run goes on.</param>
public sealed record RetentionCounts(int Purged, int Stopping, int ErasuresFinished, int ProjectsHeld, int ProjectsClosed, bool More);

/// <summary>
/// The daily retention run: destroys the records of projects whose retention has ended (<see cref="Project.KeptUntil"/>,
/// never before, never under a legal hold), a participant at a time, their own row last, at most
/// <see cref="MaxParticipantsPerRun"/> participants a run, so a run cut short is finished by the next one; and finishes
/// erasures whose workflow was still running when the participant was erased. Logs counts only.
/// </summary>
public sealed partial class RetentionRun(ProjectCatalog projects, ParticipantTables tables, ParticipantRecords records, TimeProvider time, ILogger<RetentionRun> logger)
{
    /// <summary>How many participants one run handles at most (a day's bounded batch).</summary>
    public const int MaxParticipantsPerRun = 1000;

    /// <summary>Runs once.</summary>
    public async Task<RetentionCounts> RunAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Askel.Runtime.Calendar.CalendarPolicy.Default.TimeZone).DateTime);
        var (purged, stopping, finished, held, closed, budget) = (0, 0, 0, 0, 0, MaxParticipantsPerRun);
        foreach (var project in projects.All)
        {
            var expired = today > project.KeptUntil;
            if (project.Retention.LegalHold)
            {
                held += expired ? 1 : 0;
                continue;
            }

            var rows = await ParticipantRowsAsync(project.Id, cancellationToken);
            foreach (var participant in rows.Where(p => expired || p.ErasedAt is not null))
            {
                if (budget-- <= 0)
                {
                    break;
                }

                if (expired)
                {
                    switch (await records.PurgeAsync(project.Id, participant.Id, cancellationToken))
                    {
                        case PurgeOutcome.Purged:
                            purged++;
                            break;
                        case PurgeOutcome.WorkflowStopping:
                            stopping++;
                            break;
                    }
                }
                else if (await records.FinishErasureAsync(participant, cancellationToken))
                {
                    finished++;
                }
            }

            if (expired && rows.Count == 0 && await CloseProjectAsync(project.Id, cancellationToken))
            {
                closed++;
            }
        }

        var counts = new RetentionCounts(purged, stopping, finished, held, closed, budget < 0);
        RunDone(logger, purged, stopping, finished, held, closed, counts.More);
        return counts;
    }

    // Keys and the erasure mark only: a run reads no one's details.
    private async Task<IReadOnlyList<Participant>> ParticipantRowsAsync(string projectId, CancellationToken cancellationToken)
    {
        var rows = new List<Participant>();
        await foreach (var row in tables.Participants.QueryAsync<Participant>(
            p => p.PartitionKey == projectId, select: [nameof(Participant.PartitionKey), nameof(Participant.RowKey), nameof(Participant.ErasedAt)], cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    // Once no participant is left, the project's audit log goes too (it names coordinators and participant ids). The
    // summary's month counts and deliveries name no one and stay: they are the project's report, not personal data.
    private async Task<bool> CloseProjectAsync(string projectId, CancellationToken cancellationToken)
    {
        var keys = new List<TableEntity>();
        try
        {
            await foreach (var row in tables.Audit.QueryAsync<TableEntity>(r => r.PartitionKey == projectId, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                keys.Add(row);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The table was never made: nothing to destroy.
        }

        foreach (var row in keys)
        {
            await tables.Audit.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
        }

        return keys.Count > 0;
    }

    [LoggerMessage(EventId = 1900, Level = LogLevel.Information,
        Message = "Retention run: {Purged} participants' records destroyed, {Stopping} workflows told to stop first, {Finished} erasures finished, {Held} projects past retention on legal hold, {Closed} projects closed; more left: {More}")]
    private static partial void RunDone(ILogger logger, int purged, int stopping, int finished, int held, int closed, bool more);
}
