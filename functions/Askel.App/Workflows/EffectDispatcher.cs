using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;

namespace Askel.App.Workflows;

/// <summary>
/// Carries out the runtime's effects for the app: a message is addressed to its participant, given its
/// form link and rendered in their language, then handed to its channel's provider (the outbox locally);
/// a message of an instance without a participant is only recorded in the outbox; a coordinator task becomes a
/// row in the open-tasks table, and an overdue task's reminder an email to its coordinator or the managers. It only sends and opens: what a step means for the summary comes as facts
/// (<see cref="Summaries.ParticipantFacts"/>). It reads participants from their table, not through the participant
/// service, because that service drives the engine that calls this dispatcher.
/// </summary>
internal sealed class EffectDispatcher(
    FileOutbox outbox, MessageSender sender, OpenTasks tasks, ParticipantTables participants, ParticipantMessages messages, TaskEscalations escalations)
    : IEffectHandler
{
    public async Task<EffectResult> HandleAsync(Effect effect, CancellationToken cancellationToken)
    {
        switch (effect.Kind)
        {
            case "message":
                return await SendAsync(effect, cancellationToken);
            case "task":
                // The participant's coordinator owns the task (the monthly summary counts it for them).
                var owner = Participant.ParseInstanceId(effect.InstanceId) is { } ids
                    ? (await participants.FindParticipantAsync(ids.ProjectId, ids.ParticipantId, cancellationToken))?.AssignedCoordinator()
                    : null;
                await tasks.OpenAsync(effect, owner ?? "", cancellationToken);
                return EffectResult.Done;
            case "escalation":
                return await escalations.SendAsync(effect, cancellationToken);
            default:
                return new EffectResult(EffectOutcome.Failed, $"Askel does not know how to carry out a '{effect.Kind}' effect.");
        }
    }

    private async Task<EffectResult> SendAsync(Effect effect, CancellationToken cancellationToken)
    {
        var payload = effect.Payload;
        var ids = Participant.ParseInstanceId(effect.InstanceId);
        var participant = ids is { } id ? await participants.FindParticipantAsync(id.ProjectId, id.ParticipantId, cancellationToken) : null;
        if (participant is null)
        {
            await outbox.WriteUnaddressedAsync(effect.Id, payload, cancellationToken);
            return EffectResult.Done;
        }

        var channel = payload["channel"]!.GetValue<string>();
        var to = channel == "email" ? participant.Email : participant.Phone;
        if (to is null)
        {
            var reason = $"the participant has no {(channel == "email" ? "email address" : "mobile number")}";
            await sender.RecordUnsendableAsync(effect.Id, channel, reason, cancellationToken);
            return new EffectResult(EffectOutcome.Failed, reason);
        }

        var message = await messages.ComposeAsync(participant, payload, to, newLink: false, cancellationToken);
        var result = await sender.SendAsync(effect.Id, message, cancellationToken, payload);
        return result.Outcome switch
        {
            DeliveryOutcome.Accepted => EffectResult.Done,
            DeliveryOutcome.Transient => new EffectResult(EffectOutcome.RetryLater, result.Reason),
            DeliveryOutcome.GaveUp => new EffectResult(EffectOutcome.Failed, result.Reason, Permanent: false),
            _ => new EffectResult(EffectOutcome.Failed, result.Reason),
        };
    }
}
