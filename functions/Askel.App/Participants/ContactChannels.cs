using Askel.App.Audit;
using Askel.Runtime.Client;
using Azure.Data.Tables;

namespace Askel.App.Participants;

/// <summary>
/// The state of a participant's email and SMS channel — opted out or invalid — kept on their row and told
/// to their workflow as <c>channel:&lt;channel&gt;</c>, so every workflow skips that channel from then on.
/// Also finds a participant by an address, for inbound SMS and provider reports (the contacts table,
/// written at enrolment).
/// </summary>
public sealed class ContactChannels(ParticipantTables tables, ParticipantService participants, IWorkflowClient workflows, AuditLog audit, TimeProvider time)
{
    /// <summary>The channel state when the participant asked for no more messages on it.</summary>
    public const string OptedOut = "opted-out";

    /// <summary>The channel state when the address or number does not work (hard bounce, invalid number).</summary>
    public const string Invalid = "invalid";

    /// <summary>Every participant reached at <paramref name="address"/> on <paramref name="channel"/> (a number may be shared, e.g. by a family).</summary>
    public async Task<IReadOnlyList<Participant>> FindAsync(string channel, string address, CancellationToken cancellationToken)
    {
        var found = new List<Participant>();
        await foreach (var row in tables.Contacts.QueryAsync<TableEntity>(e => e.PartitionKey == ParticipantTables.ContactKey(channel, address), cancellationToken: cancellationToken))
        {
            if (await participants.FindAsync(row.GetString("ProjectId"), row.GetString("ParticipantId"), cancellationToken) is { } participant)
            {
                found.Add(participant);
            }
        }

        return found;
    }

    /// <summary>Marks a channel opted out (the participant asked) or invalid (it does not work), with the time and why.</summary>
    /// <param name="participant">Whose channel.</param>
    /// <param name="channel"><c>email</c> or <c>sms</c>.</param>
    /// <param name="state"><see cref="OptedOut"/> or <see cref="Invalid"/>.</param>
    /// <param name="source">What said so (e.g. <c>sms STOP</c>, <c>sendgrid bounce</c>), for the coordinator and the audit log.</param>
    public async Task MarkAsync(Participant participant, string channel, string state, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var now = time.GetUtcNow();
        await participants.UpdateAsync(participant.ProjectId, participant.Id, p =>
        {
            if (channel == "email")
            {
                p.EmailState = state;
                p.EmailStateAt = now;
                p.EmailStateSource = source;
            }
            else
            {
                p.SmsState = state;
                p.SmsStateAt = now;
                p.SmsStateSource = source;
            }
        }, cancellationToken);
        // One event per channel and state: a repeated STOP or bounce report changes nothing more.
        await workflows.RaiseAsync(participant.InstanceId, new ChannelChanged(channel, state, source, ChannelChanged.IdFor(channel, state)), cancellationToken);
        await audit.RecordAsync(source, $"channel-{state}", participant.ProjectId, participant.Id, channel, cancellationToken);
    }
}
