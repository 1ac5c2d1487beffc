using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Storage;
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

            // Past retention every participant goes; before it, only erased ones whose workflow may still need purging.
            var rows = await ParticipantRowsAsync(project.Id, erasedOnly: !expired, cancellationToken);
            foreach (var participant in rows)
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

    // Keys and the erasure mark only: a run reads no one's details. A comparison on a property a row lacks is false,
    // so "erased at or after 1601" selects the erased rows in the table service, not here.
    private async Task<IReadOnlyList<Participant>> ParticipantRowsAsync(string projectId, bool erasedOnly, CancellationToken cancellationToken)
    {
        var filter = erasedOnly
            ? TableClient.CreateQueryFilter($"PartitionKey eq {projectId} and ErasedAt ge {new DateTimeOffset(1601, 1, 1, 0, 0, 0, TimeSpan.Zero)}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {projectId}");
        var rows = new List<Participant>();
        await foreach (var row in tables.Participants.QueryAsync<Participant>(
            filter, select: [nameof(Participant.PartitionKey), nameof(Participant.RowKey), nameof(Participant.ErasedAt)], cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    // Once no participant is left, the project's audit log goes too (it names coordinators and participant ids). The
    // summary's month counts and deliveries name no one and stay: they are the project's report, not personal data.
    private async Task<bool> CloseProjectAsync(string projectId, CancellationToken cancellationToken) =>
        await tables.Audit.DeleteAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {projectId}"), cancellationToken) > 0;

    [LoggerMessage(EventId = 1900, Level = LogLevel.Information,
        Message = "Retention run: {Purged} participants' records destroyed, {Stopping} workflows told to stop first, {Finished} erasures finished, {Held} projects past retention on legal hold, {Closed} projects closed; more left: {More}")]
    private static partial void RunDone(ILogger logger, int purged, int stopping, int finished, int held, int closed, bool more);
}
