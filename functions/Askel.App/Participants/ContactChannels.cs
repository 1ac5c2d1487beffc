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

    /// <summary>
    /// Marks a channel opted out (the participant asked) or invalid (it does not work), with the time and why. A report
    /// of the state the channel already has changes nothing and tells the workflow nothing.
    /// </summary>
    /// <param name="participant">Whose channel.</param>
    /// <param name="channel"><c>email</c> or <c>sms</c>.</param>
    /// <param name="state"><see cref="OptedOut"/> or <see cref="Invalid"/>.</param>
    /// <param name="source">What said so (e.g. <c>sms STOP</c>, <c>sendgrid bounce</c>), for the coordinator and the audit log.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    public async Task MarkAsync(Participant participant, string channel, string state, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var now = time.GetUtcNow();
        var changed = false;
        await participants.UpdateAsync(participant.ProjectId, participant.Id, p =>
        {
            changed = StateOf(p, channel) != state;
            if (changed)
            {
                SetState(p, channel, state, now, source);
            }
        }, cancellationToken);
        if (!changed)
        {
            return;
        }

        await workflows.RaiseAsync(participant.InstanceId, new ChannelChanged(channel, state, source, ChannelChanged.IdFor(channel, state, now)), cancellationToken);
        await audit.RecordAsync(source, $"channel-{state}", participant.ProjectId, participant.Id, channel, cancellationToken);
    }

    /// <summary>
    /// Makes a channel marked invalid or opted out usable again, as a coordinator does once the number works again or
    /// the participant asked for messages again. An opt-out is lifted only with a reason, which the audit log keeps.
    /// </summary>
    /// <param name="participant">Whose channel.</param>
    /// <param name="channel"><c>email</c> or <c>sms</c>.</param>
    /// <param name="reason">Why (required for an opt-out; at most <see cref="ReasonLength"/> characters).</param>
    /// <param name="actor">Who re-enabled it.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>False when the channel has no address or nothing to re-enable.</returns>
    public async Task<bool> ReenableAsync(Participant participant, string channel, string? reason, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (reason?.Length > ReasonLength)
        {
            throw new ArgumentException($"A reason is at most {ReasonLength} characters.", nameof(reason));
        }

        var now = time.GetUtcNow();
        string? was = null;
        await participants.UpdateAsync(participant.ProjectId, participant.Id, p =>
        {
            was = AddressOf(p, channel) is null ? null : StateOf(p, channel);
            if (was == OptedOut && reason is null)
            {
                throw new ArgumentException("Lifting an opt-out needs a reason.", nameof(reason));
            }

            if (was is not null)
            {
                SetState(p, channel, null, now, null);
            }
        }, cancellationToken);
        if (was is null)
        {
            return false;
        }

        await workflows.RaiseAsync(participant.InstanceId, new ChannelChanged(channel, "ok", "coordinator", ChannelChanged.IdFor(channel, "ok", now)), cancellationToken);
        await audit.RecordAsync(actor, "channel-reenabled", participant.ProjectId, participant.Id, $"{channel} (was {was}){(reason is null ? "" : ": " + reason)}", cancellationToken);
        return true;
    }

    /// <summary>The longest reason a re-enabling takes.</summary>
    public const int ReasonLength = 500;

    /// <summary>The participant's address on <paramref name="channel"/>, or null.</summary>
    public static string? AddressOf(Participant participant, string channel) =>
        channel == "email" ? participant?.Email : participant?.Phone;

    /// <summary>The channel's state on the participant's row: null when usable, else <see cref="OptedOut"/> or <see cref="Invalid"/>.</summary>
    public static string? StateOf(Participant participant, string channel) =>
        channel == "email" ? participant?.EmailState : participant?.SmsState;

    private static void SetState(Participant p, string channel, string? state, DateTimeOffset at, string? source)
    {
        if (channel == "email")
        {
            (p.EmailState, p.EmailStateAt, p.EmailStateSource) = (state, at, source);
        }
        else
        {
            (p.SmsState, p.SmsStateAt, p.SmsStateSource) = (state, at, source);
        }
    }
}
