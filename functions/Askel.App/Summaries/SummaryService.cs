using Askel.App.Participants;
using Askel.App.Projects;

namespace Askel.App.Summaries;

/// <summary>
/// The monthly summary in the app: records facts as they happen, builds a month's summary from the kept counts,
/// and rebuilds the counts from the participants' rows.
/// </summary>
public sealed class SummaryService(SummaryStore store, OpenTasks tasks, ParticipantTables tables, TimeProvider time)
{
    /// <summary>Applies the participant's <paramref name="facts"/> (those their row holds) to the project's summary, each once.</summary>
    public async Task RecordAsync(Participant participant, CancellationToken cancellationToken, params SummaryFact[] facts)
    {
        ArgumentNullException.ThrowIfNull(participant);
        foreach (var fact in facts)
        {
            if (SummaryEvents.Of(participant, fact) is { } summaryEvent)
            {
                await store.ApplyAsync(participant.ProjectId, summaryEvent, cancellationToken);
            }
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

    /// <summary>Rebuilds the project's kept counts from every participant's row.</summary>
    public Task<(int Participants, int Events)> RebuildAsync(Project project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        return store.RebuildAsync(project.Id, tables.Participants.QueryAsync<Participant>(p => p.PartitionKey == project.Id, cancellationToken: cancellationToken), cancellationToken);
    }
}
