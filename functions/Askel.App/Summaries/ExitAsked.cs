using System.Text.Json.Nodes;
using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Definitions;

namespace Askel.App.Summaries;

/// <summary>
/// The exit form asked of someone never marked as left means the workflow's coaching reached the project's end:
/// they left when the project ended. Recorded before the first exit message goes out, so a participant who never
/// answers is still an exit with an exit form due, and the capture rate counts them.
/// </summary>
public sealed class ExitAsked(ParticipantTables tables, ProjectCatalog projects, FormCatalog forms, SummaryService summary)
{
    /// <summary>The participant as it stands after noting the message (<paramref name="payload"/> of a message effect).</summary>
    public async Task<Participant> NoteAsync(Participant participant, JsonObject payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        ArgumentNullException.ThrowIfNull(payload);
        if (participant.LeftAt is not null || !AsksExit(payload) || projects.Find(participant.ProjectId) is not { } project)
        {
            return participant;
        }

        var updated = await tables.UpdateParticipantAsync(participant.ProjectId, participant.Id, p => p.LeftAt ??= project.EndsAt, cancellationToken);
        await summary.RecordAsync(updated, cancellationToken);
        return updated;
    }

    // An exit form of Askel's own, or an external one (EURA) whose step says reports: exit.
    private bool AsksExit(JsonObject payload) =>
        payload["form"]?.GetValue<string>() is { } form
            ? forms.Find(form) is { } definition && FormResponses.ReceivedFact(definition) == SummaryFact.ExitReceived
            : payload["reports"]?.GetValue<string>() == ReportedForm.Exit.Name();
}
