using System.Globalization;
using System.Text.Json.Nodes;
using Askel.App.Audit;
using Askel.App.Forms;
using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.App.Summaries;
using Askel.Runtime.Client;
using Askel.Runtime.Durable;
using Askel.Runtime.Storage;
using Azure;
using Azure.Data.Tables;

namespace Askel.App.Privacy;

/// <summary>What became of a participant's identity in an erasure.</summary>
public enum ErasureOutcome
{
    /// <summary>There was no such participant.</summary>
    NotFound,

    /// <summary>Erased; their workflow was purged (or had been).</summary>
    Erased,

    /// <summary>Erased; their workflow was still running and was told to stop (the retention run purges it).</summary>
    WorkflowStopping,
}

/// <summary>What became of a participant's records in a purge.</summary>
public enum PurgeOutcome
{
    /// <summary>There was no such participant (purged before).</summary>
    NotFound,

    /// <summary>Their workflow was still running: it was told to stop, and the purge is done on a later run.</summary>
    WorkflowStopping,

    /// <summary>Every row tied to them is gone.</summary>
    Purged,
}

/// <summary>
/// Every record Askel keeps about one participant, wherever it is kept (docs/PRIVACY.md lists the tables): exported
/// for the participant (GDPR art. 15/20), erased down to the ESF+ facts the funder requires (art. 17), or purged when
/// the project's retention ends. Callers have checked who may do it; each export and erasure leaves an audit record.
/// </summary>
public sealed class ParticipantRecords(
    ParticipantTables tables, ParticipantService participants, FormResponses responses, MessageLog messages, ContactAttempts attempts, Consents consents, Plans plans, Cooperation.Participations participations, OpenTasks tasks, SummaryStore summary, SignalInbox signals,
    IWorkflowClient workflows, AuditLog audit, TimeProvider time)
{
    /// <summary>Everything kept about the participant, or null when there is no such participant; the export is audited.</summary>
    /// <param name="projectId">The participant's project.</param>
    /// <param name="participantId">The participant.</param>
    /// <param name="actor">Who exports.</param>
    /// <param name="format"><c>page</c> or <c>json</c>, for the audit record.</param>
    /// <param name="withCorrections">Whether the old and new values of corrected details are included (an admin exports).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<ParticipantExport?> ExportAsync(string projectId, string participantId, string actor, string format, bool withCorrections, CancellationToken cancellationToken)
    {
        if (await tables.ReadParticipantAsync(projectId, participantId, cancellationToken) is not { } participant)
        {
            return null;
        }

        var instanceId = participant.InstanceId;
        var contacts = new List<ExportedContact>();
        foreach (var row in await tables.Contacts.ReadAllAsync(Tied(participant), null, cancellationToken))
        {
            var (channel, address) = row.PartitionKey.IndexOf('|', StringComparison.Ordinal) is var bar and > 0 ? (row.PartitionKey[..bar], row.PartitionKey[(bar + 1)..]) : ("", row.PartitionKey);
            contacts.Add(new ExportedContact(channel, address));
        }

        var drafts = new List<ExportedDraft>();
        foreach (var row in await tables.Responses.ReadAllAsync(TableRows.KeyPrefix(participant.Id, "draft|"), null, cancellationToken))
        {
            drafts.Add(new ExportedDraft(row.RowKey["draft|".Length..], row.GetDateTimeOffset("StartedAt"), row.GetDateTimeOffset("UpdatedAt"),
                JsonNode.Parse(ChunkedText.Read(row, "Raw") is { Length: > 0 } raw ? raw : "{}") as JsonObject ?? []));
        }

        var current = (await tables.Links.ReadAllAsync(Pointers(participant.Id), ["Hash"], cancellationToken)).Select(row => row.GetString("Hash")).ToHashSet(StringComparer.Ordinal);
        var links = (await tables.Links.ReadAllAsync(Tied(participant), null, cancellationToken))
            .Select(row => new ExportedLink(row.GetString("Target") ?? "", row.GetDateTimeOffset("CreatedAt"), row.GetDateTimeOffset("ExpiresAt"), current.Contains(row.PartitionKey)));

        var (owed, counted) = await summary.OfParticipantAsync(projectId, participant.Id, cancellationToken);
        var status = await workflows.StatusAsync(instanceId, cancellationToken);
        ExportedWorkflow? workflow = null;
        if (status is not null)
        {
            var pending = (await signals.Table.ReadAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}"), null, cancellationToken))
                .Select(row => new ExportedSignal(row.GetString("Name") ?? "", row.GetDateTimeOffset("At")));
            workflow = new ExportedWorkflow(status, await workflows.HistoryAsync(instanceId, cancellationToken), [.. pending]);
        }

        var export = new ParticipantExport(
            time.GetUtcNow(),
            actor,
            ExportedParticipant.Of(participant),
            contacts,
            await responses.AllAsync(participant.Id, cancellationToken),
            drafts,
            await participants.SessionsAsync(participant, cancellationToken),
            [.. links.OrderBy(l => l.CreatedAt)],
            await messages.ForInstanceAsync(instanceId, cancellationToken),
            await attempts.OfAsync(participant.Id, cancellationToken),
            await consents.OfAsync(participant.Id, cancellationToken),
            await plans.HistoryAsync(projectId, participant.Id, cancellationToken),
            await participations.OfParticipantAsync(projectId, participant.Id, cancellationToken),
            await tasks.OfInstanceAsync(instanceId, cancellationToken),
            await audit.ReadAsync(projectId, participant.Id, int.MaxValue, cancellationToken),
            new ExportedSummary([.. owed.Select(o => new ExportedOwedForm(o.Form, o.DueAt))], counted),
            workflow)
        {
            Corrections = withCorrections ? await participants.RectificationsAsync(participant.Id, cancellationToken) : null,
        };
        await audit.RecordAsync(actor, "export", projectId, participant.Id, format, cancellationToken);
        return export;
    }

    /// <summary>
    /// Erases the participant's identity (GDPR art. 17, with the exception for the ESF+ records the funder requires):
    /// their row keeps only the indicator facts (status at entry, exit and six months, the reported fields, the dates
    /// and task outcomes that the monthly summary counts, so its counts are unchanged), without name, contacts, free
    /// text or exact birth date; their answers, drafts, links, contact index, message log, logged contact attempts, consents, placements and attended events and open tasks are deleted, and their session notes and plans' goals and steps erased;
    /// their workflow is stopped, and its history purged once it has stopped. Safe to repeat: a repeat finishes what a
    /// crash or a still-running workflow left.
    /// </summary>
    /// <returns>Whether there was such a participant, and what became of their workflow.</returns>
    public async Task<ErasureOutcome> EraseAsync(string projectId, string participantId, string actor, string reason, CancellationToken cancellationToken)
    {
        // The row first: from then on nothing finds them, so nothing more is sent to them or shown of them.
        if (await AnonymiseRowAsync(projectId, participantId, cancellationToken) is not { } participant)
        {
            return ErasureOutcome.NotFound;
        }

        await audit.RecordAsync(actor, "erase", projectId, participantId, reason, cancellationToken);
        var workflow = await StopOrPurgeWorkflowAsync(participant.InstanceId, cancellationToken);
        await DeleteIdentifyingRowsAsync(participant, cancellationToken);
        return workflow == WorkflowEnd.Stopping ? ErasureOutcome.WorkflowStopping : ErasureOutcome.Erased;
    }

    /// <summary>
    /// Destroys every row tied to the participant, their own row last so that a purge cut short is found and finished
    /// by the next run. A running workflow is stopped first and the purge left to a later run.
    /// </summary>
    public async Task<PurgeOutcome> PurgeAsync(string projectId, string participantId, CancellationToken cancellationToken)
    {
        if (await tables.ReadParticipantAsync(projectId, participantId, cancellationToken) is not { } participant)
        {
            return PurgeOutcome.NotFound;
        }

        if (await StopOrPurgeWorkflowAsync(participant.InstanceId, cancellationToken) == WorkflowEnd.Stopping)
        {
            return PurgeOutcome.WorkflowStopping;
        }

        await DeleteIdentifyingRowsAsync(participant, cancellationToken);
        await tables.Sessions.DeleteAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {participant.Id}"), cancellationToken);
        await plans.PurgeAsync(projectId, participant.Id, cancellationToken);
        await summary.ForgetParticipantAsync(projectId, participant.Id, cancellationToken);
        await tables.Audit.DeleteAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {projectId} and ParticipantId eq {participant.Id}"), cancellationToken);
        await tables.Participants.DeleteEntityAsync(projectId, participant.Id, ETag.All, cancellationToken);
        return PurgeOutcome.Purged;
    }

    /// <summary>
    /// Finishes the erasure of a participant whose workflow was still running when they were erased: once it has
    /// stopped, its history is purged and anything it wrote meanwhile is deleted.
    /// </summary>
    /// <returns>True when it finished now; false when there was nothing left to do, or the workflow still runs.</returns>
    public async Task<bool> FinishErasureAsync(Participant participant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        if (await StopOrPurgeWorkflowAsync(participant.InstanceId, cancellationToken) != WorkflowEnd.Purged)
        {
            return false; // gone before (nothing left to do), or still stopping
        }

        await DeleteIdentifyingRowsAsync(participant, cancellationToken);
        return true;
    }

    private async Task<Participant?> AnonymiseRowAsync(string projectId, string participantId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await tables.ReadParticipantAsync(projectId, participantId, cancellationToken) is not { } participant)
            {
                return null;
            }

            Anonymise(participant, time.GetUtcNow());
            try
            {
                await tables.Participants.UpdateEntityAsync(participant, participant.ETag, TableUpdateMode.Replace, cancellationToken);
                return participant;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 10)
            {
                // Changed meanwhile (a form arriving): read it again and erase that.
            }
        }
    }

    /// <summary>What erasure leaves of a participant's row: the ESF+ facts, nothing that identifies them.</summary>
    internal static void Anonymise(Participant participant, DateTimeOffset now)
    {
        participant.FirstName = "";
        participant.LastName = "";
        participant.Email = null;
        participant.Phone = null;
        participant.EmailStateSource = null;
        participant.SmsStateSource = null;
        participant.ErasedAt ??= now;

        // A task's reason is free text that may name people; its outcome is what the summary counts.
        if (JsonNode.Parse(participant.TaskOutcomes) is JsonObject outcomes)
        {
            foreach (var (_, outcome) in outcomes)
            {
                (outcome as JsonObject)?.Remove("reason");
            }

            participant.TaskOutcomes = outcomes.ToJsonString();
        }

        // The exact birth date identifies; the age at joining is the indicator. The enrolment day that many years
        // back gives the same age (and so the same counts when the summary is rebuilt) and nothing more.
        if (JsonNode.Parse(participant.Reported) is JsonObject reported
            && reported["birthDate"] is JsonValue value && value.TryGetValue<string>(out var text)
            && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born))
        {
            var joined = participant.JoinedOn();
            reported["birthDate"] = joined.AddYears(-Participant.AgeOn(born, joined)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            participant.Reported = reported.ToJsonString();
        }
    }

    private enum WorkflowEnd
    {
        Gone,
        Purged,
        Stopping,
    }

    // One status read: gone before, purged now (it had finished), or told to stop (it was running).
    private async Task<WorkflowEnd> StopOrPurgeWorkflowAsync(string instanceId, CancellationToken cancellationToken)
    {
        switch (await workflows.StatusAsync(instanceId, cancellationToken))
        {
            case null:
                return WorkflowEnd.Gone;
            case { IsFinished: true }:
                await workflows.PurgeAsync(instanceId, cancellationToken);
                return WorkflowEnd.Purged;
            default:
                await workflows.TerminateAsync(instanceId, "The participant's data was erased.", cancellationToken);
                return WorkflowEnd.Stopping;
        }
    }

    private async Task DeleteIdentifyingRowsAsync(Participant participant, CancellationToken cancellationToken)
    {
        await tables.Responses.DeleteAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {participant.Id}"), cancellationToken);
        await tables.Rectifications.DeleteAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {participant.Id}"), cancellationToken);
        await tables.Attempts.DeleteAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {participant.Id}"), cancellationToken);
        await tables.Consents.DeleteAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {participant.Id}"), cancellationToken);
        await tables.Links.DeleteAllAsync(Pointers(participant.Id), cancellationToken);
        await tables.Links.DeleteAllAsync(Tied(participant), cancellationToken);
        await tables.Contacts.DeleteAllAsync(Tied(participant), cancellationToken);
        await messages.Table.DeleteAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {participant.InstanceId}"), cancellationToken);
        await tasks.ForgetInstanceAsync(participant.InstanceId, cancellationToken);
        await participations.ForgetAsync(participant.ProjectId, participant.Id, cancellationToken);
        await participants.EraseSessionNotesAsync(participant, cancellationToken);
        await plans.EraseAsync(participant.ProjectId, participant.Id, cancellationToken);
    }

    // Rows that name the participant in their columns (the contacts index, form links by token hash).
    private static string Tied(Participant participant) =>
        TableClient.CreateQueryFilter($"ProjectId eq {participant.ProjectId} and ParticipantId eq {participant.Id}");

    // The participant's current link per target.
    private static string Pointers(string participantId) => TableRows.KeyPrefix(FormLinks.CurrentPartition, participantId + "|");
}
