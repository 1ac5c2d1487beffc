using System.Text.Json.Nodes;
using Askel.App.Participants;
using Askel.Runtime.Client;

namespace Askel.App.Messaging;

/// <summary>
/// What providers report after a message was handed over (SendGrid's event webhook, SMS status callbacks):
/// the message log gets the status; a permanent failure (hard bounce, invalid number) marks the contact
/// invalid for the coordinator and tells the workflow, which sends the message again through the next channel.
/// A report only moves a message forward (sent → delivered → bounced or failed), so a provider's retry or a replayed
/// webhook changes nothing, and an opt-out is applied once per message.
/// </summary>
public sealed class DeliveryReports(MessageLog log, ContactChannels contacts, ParticipantTables participants, IWorkflowClient workflows)
{
    /// <summary>Applies one report; false when the message id is unknown (the caller answers 200 and logs it).</summary>
    /// <param name="messageId">Askel's message id, as the provider carried it back.</param>
    /// <param name="status"><c>delivered</c>, <c>bounced</c> or <c>failed</c>.</param>
    /// <param name="permanent">True when the address or number does not work and will not.</param>
    /// <param name="reason">The provider's reason, without personal data.</param>
    /// <param name="source">Which provider said so (e.g. <c>sendgrid bounce</c>).</param>
    /// <param name="cancellationToken">Cancels it.</param>
    public async Task<bool> ApplyAsync(string messageId, string status, bool permanent, string? reason, string source, CancellationToken cancellationToken)
    {
        var message = await log.FindAsync(messageId, cancellationToken);
        if (message is null)
        {
            return false;
        }

        if (Stage(status) <= Stage(message.Status))
        {
            // Told before (a retried or replayed webhook), or older than what is known: it changes nothing.
            return true;
        }

        await log.RecordStatusAsync(messageId, status, reason, cancellationToken);

        if (status is "delivered")
        {
            return true;
        }

        if (permanent)
        {
            await MarkAsync(messageId, message.Channel, ContactChannels.Invalid, source, cancellationToken);
        }

        var failure = new DeliveryFailed(messageId, message.Channel, reason ?? status, permanent, message.Effect?.DeepClone() as JsonObject);
        await workflows.RaiseAsync(MessageLog.InstanceOf(messageId), failure, cancellationToken);
        return true;
    }

    /// <summary>Opts the participant a message went to out of <paramref name="channel"/> (they unsubscribed or reported spam); false when the message id is unknown.</summary>
    public async Task<bool> OptOutAsync(string messageId, string channel, string source, CancellationToken cancellationToken)
    {
        if (await log.FindAsync(messageId, cancellationToken) is not { } message)
        {
            return false;
        }

        if (!message.OptOutApplied)
        {
            // Once per message: a replayed report cannot opt out again someone who has since asked to be written to.
            await MarkAsync(messageId, channel, ContactChannels.OptedOut, source, cancellationToken);
            await log.RecordOptOutAsync(messageId, cancellationToken);
        }

        return true;
    }

    // How far a message has got: a report of an earlier or the same stage comes late or again.
    private static int Stage(string status) => status switch
    {
        "delivered" => 1,
        "bounced" or "failed" => 2,
        _ => 0, // sent, retrying
    };

    // The participant is the message's instance; a message of no participant's instance marks nothing.
    private async Task MarkAsync(string messageId, string channel, string state, string source, CancellationToken cancellationToken)
    {
        if (Participant.ParseInstanceId(MessageLog.InstanceOf(messageId)) is { } ids &&
            await participants.FindParticipantAsync(ids.ProjectId, ids.ParticipantId, cancellationToken) is { } participant)
        {
            await contacts.MarkAsync(participant, channel, state, source, cancellationToken);
        }
    }
}
