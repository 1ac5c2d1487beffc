using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Definitions;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;

namespace Askel.App.Summaries;

/// <summary>
/// Records what the workflows establish about participants, once their steps have committed. Two facts change a
/// participant's row: being told to have left (the leaving date), and the exit form asked of someone never marked as
/// left, which means the coaching reached the project's end and they left when it ended — so a participant who never
/// answers is still an exit with an exit form due, and the capture rate counts them. The first leaving date stands.
/// </summary>
public sealed class ParticipantFacts(ParticipantTables tables, ProjectCatalog projects, FormCatalog forms, SummaryService summary) : IFactRecorder
{
    /// <inheritdoc/>
    public async Task RecordAsync(IReadOnlyList<WorkflowFact> facts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facts);
        foreach (var fact in facts)
        {
            if (Participant.ParseInstanceId(fact.InstanceId) is not { } ids || projects.Find(ids.ProjectId) is not { } project)
            {
                continue; // an instance of no participant (a test's, a removed project's) has nobody to record it for
            }

            var leftAt = fact.Kind switch
            {
                FactKind.Left when fact.LeftOn is { } on => new DateTimeOffset(on.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                FactKind.FormAsked when AsksExit(fact) => project.EndsAt,
                _ => (DateTimeOffset?)null,
            };
            if (leftAt is null || await tables.FindParticipantAsync(ids.ProjectId, ids.ParticipantId, cancellationToken) is not { } participant)
            {
                continue;
            }

            // Recorded again after a crash, it changes nothing: the first date stands (no write) and the summary counts once.
            var updated = participant.LeftAt is null
                ? await tables.UpdateParticipantAsync(ids.ProjectId, ids.ParticipantId, p => p.LeftAt ??= leftAt, cancellationToken)
                : participant;
            await summary.RecordAsync(updated, cancellationToken);
        }
    }

    // An exit form of Askel's own, or one kept elsewhere (EURA) whose step says reports: exit.
    private bool AsksExit(WorkflowFact fact) =>
        fact.Form is { } form
            ? forms.Find(form) is { } definition && FormResponses.Reports(definition) == ReportedForm.Exit
            : fact.Reports == ReportedForm.Exit;
}
