using Askel.App.Guidance;
using Askel.App.Participants;
using Askel.App.Projects;

namespace Askel.App.Summaries;

/// <summary>
/// The monthly summary in the app: records facts as they happen, builds a month's summary from the kept counts,
/// and rebuilds the counts from the participants' rows.
/// </summary>
public sealed class SummaryService(
    SummaryStore store, OpenTasks tasks, ParticipantTables tables, GuidanceTally guidance, Cooperation.CooperationRegister cooperation, Plans plans, TimeProvider time, ILogger<SummaryService> logger)
{
    /// <summary>
    /// Applies every fact the participant's row holds to the project's summary, each once (a fact applied before is
    /// one read). Called after each change to the row, so a fact that became countable only later (a leaving date
    /// set after a task was closed) is counted then. The participant's change is already stored: when the summary
    /// cannot be written it is logged, not thrown, and <c>./askel summary rebuild</c> repairs it.
    /// </summary>
    public async Task RecordAsync(Participant participant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        foreach (var fact in SummaryEvents.FactsOf(participant))
        {
            if (SummaryEvents.Of(participant, fact) is not { } summaryEvent)
            {
                continue;
            }

            await store.ApplyAfterChangeAsync(participant.ProjectId, summaryEvent, logger, cancellationToken);
        }
    }

    /// <summary>The project's summary of <paramref name="month"/> (<c>yyyy-MM</c>), as of now.</summary>
    public async Task<MonthlySummary> BuildAsync(Project project, string month, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        var months = await store.MonthsAsync(project.Id, cancellationToken);
        var outstanding = await store.OutstandingAsync(project.Id, SummaryCalculator.EndOf(month), cancellationToken);
        var open = await tasks.ListAsync(project.Id + ".", null, cancellationToken);
        return SummaryCalculator.Build(project, month, months.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal), outstanding, open, time.GetUtcNow());
    }

    /// <summary>Rebuilds the project's kept counts from every participant's row, guidance contact, satisfaction vote, employer, event and plan version.</summary>
    public Task<(int Participants, int Events)> RebuildAsync(Project project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        return store.RebuildAsync(
            project.Id, tables.Participants.QueryAsync<Participant>(p => p.PartitionKey == project.Id, cancellationToken: cancellationToken),
            ProjectEventsAsync(project.Id, cancellationToken), cancellationToken);
    }

    // The events of the project's own records: guidance contacts and votes, employers and events, then every plan version (a participant's row holds their consents' and placements' counts).
    private async IAsyncEnumerable<SummaryEvent> ProjectEventsAsync(string projectId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var summaryEvent in guidance.SummaryEventsAsync(projectId, cancellationToken))
        {
            yield return summaryEvent;
        }

        await foreach (var summaryEvent in cooperation.SummaryEventsAsync(projectId, cancellationToken))
        {
            yield return summaryEvent;
        }

        await foreach (var summaryEvent in plans.SummaryEventsAsync(projectId, cancellationToken))
        {
            yield return summaryEvent;
        }
    }
}
