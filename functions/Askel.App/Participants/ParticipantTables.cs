using Askel.Runtime.Engine;
using Azure.Data.Tables;

namespace Askel.App.Participants;

/// <summary>
/// The participant domain's tables, named after the runtime's storage prefix so one storage account
/// can hold several Askel apps: participants, form responses, form links, coaching sessions, contact attempts, the audit log
/// and corrections.
/// </summary>
public sealed class ParticipantTables(TableServiceClient service, EngineOptions options)
{
    /// <summary>Participants, partitioned by project.</summary>
    public TableClient Participants { get; } = service.GetTableClient(options.StoragePrefix + "participants");

    /// <summary>Form responses and drafts, partitioned by participant.</summary>
    public TableClient Responses { get; } = service.GetTableClient(options.StoragePrefix + "responses");

    /// <summary>Form links by token hash, and each participant's current link per form.</summary>
    public TableClient Links { get; } = service.GetTableClient(options.StoragePrefix + "links");

    /// <summary>Coaching sessions, partitioned by participant.</summary>
    public TableClient Sessions { get; } = service.GetTableClient(options.StoragePrefix + "sessions");

    /// <summary>Each email address and mobile number, to the participants reached there.</summary>
    public TableClient Contacts { get; } = service.GetTableClient(options.StoragePrefix + "contacts");

    /// <summary>Who read or changed whose data, partitioned by project.</summary>
    public TableClient Audit { get; } = service.GetTableClient(options.StoragePrefix + "audit");

    /// <summary>Contacts coordinators made outside Askel (calls, visits, letters), partitioned by participant.</summary>
    public TableClient Attempts { get; } = service.GetTableClient(options.StoragePrefix + "attempts");

    /// <summary>Participants' consents and their withdrawals, partitioned by participant.</summary>
    public TableClient Consents { get; } = service.GetTableClient(options.StoragePrefix + "consents");

    /// <summary>Participants' plans, every version, partitioned by project (row: <c>{participant}|{version}</c>).</summary>
    public TableClient Plans { get; } = service.GetTableClient(options.StoragePrefix + "plans");

    /// <summary>Corrections of participants' details with the old and new values (admins see them), partitioned by participant.</summary>
    public TableClient Rectifications { get; } = service.GetTableClient(options.StoragePrefix + "rectifications");

    /// <summary>
    /// One participant, or null when there is none or their identity was erased (no audit record: callers decide
    /// whether the read is audited).
    /// </summary>
    public async Task<Participant?> FindParticipantAsync(string projectId, string participantId, CancellationToken cancellationToken) =>
        await ReadParticipantAsync(projectId, participantId, cancellationToken) is { ErasedAt: null } participant ? participant : null;

    /// <summary>A participant's row as stored, erased or not: for the privacy functions only.</summary>
    public async Task<Participant?> ReadParticipantAsync(string projectId, string participantId, CancellationToken cancellationToken)
    {
        var response = await Participants.GetEntityIfExistsAsync<Participant>(projectId, participantId, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Saves changes to a participant's row, reading it afresh and retrying on a concurrent change.</summary>
    /// <returns>The row as saved.</returns>
    public async Task<Participant> UpdateParticipantAsync(string projectId, string participantId, Action<Participant> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; ; attempt++)
        {
            var participant = await FindParticipantAsync(projectId, participantId, cancellationToken) ?? throw new InvalidOperationException("No such participant.");
            change(participant);
            try
            {
                await Participants.UpdateEntityAsync(participant, participant.ETag, TableUpdateMode.Replace, cancellationToken);
                return participant;
            }
            catch (Azure.RequestFailedException e) when (e.Status == 412 && attempt < 10)
            {
                // Someone else changed the row: read it again and reapply.
            }
        }
    }

    /// <summary>Indexes a participant's email address and mobile number (row key: their instance).</summary>
    public async Task IndexContactsAsync(Participant participant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        foreach (var (channel, address) in new[] { ("email", participant.Email), ("sms", participant.Phone) })
        {
            if (address is not null)
            {
                await Contacts.UpsertEntityAsync(
                    new TableEntity(ContactKey(channel, address), participant.InstanceId) { ["ProjectId"] = participant.ProjectId, ["ParticipantId"] = participant.Id },
                    TableUpdateMode.Replace,
                    cancellationToken);
            }
        }
    }

    /// <summary>The contacts table's partition of an address.</summary>
    public static string ContactKey(string channel, string address) => $"{channel}|{address.Trim().ToLowerInvariant()}";

    /// <summary>Creates every table that does not exist yet.</summary>
    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        foreach (var table in new[] { Participants, Responses, Links, Sessions, Contacts, Audit, Rectifications, Attempts, Consents, Plans })
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }
    }
}
