using System.Globalization;
using Askel.App.Forms;
using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Azure.Data.Tables;

namespace Askel.App.Workflows;

/// <summary>
/// Carries out the runtime's effects for the app: a message is addressed to its participant, given its
/// form link and rendered in their language, then handed to its channel's provider (the outbox locally);
/// a message of an instance without a participant is only recorded in the outbox; a coordinator task becomes a
/// row in the open-tasks table. It reads participants from their table, not through the participant
/// service, because that service drives the engine that calls this dispatcher.
/// </summary>
internal sealed class EffectDispatcher(
    FileOutbox outbox, MessageSender sender, TableClient tasks, ParticipantTables participants, ProjectCatalog projects, FormLinks links, MessageTemplates templates, Uri publicBaseUrl)
    : IEffectHandler
{
    public async Task<EffectResult> HandleAsync(Effect effect, CancellationToken cancellationToken)
    {
        switch (effect.Kind)
        {
            case "message":
                return await SendAsync(effect, cancellationToken);
            case "task":
                // Upsert by effect id: a retried dispatch leaves one task, not two.
                await tasks.UpsertEntityAsync(
                    new TableEntity("open", effect.Id)
                    {
                        ["InstanceId"] = effect.InstanceId,
                        ["Step"] = effect.Payload["step"]?.GetValue<string>(),
                        ["Task"] = effect.Payload.ToJsonString(),
                    },
                    TableUpdateMode.Replace,
                    cancellationToken);
                return EffectResult.Done;
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

        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["firstName"] = participant.FirstName };
        var expiresAt = payload["expiresAt"]?.GetValue<string>() is { } expires
            ? DateTimeOffset.Parse(expires, CultureInfo.InvariantCulture)
            : DateTimeOffset.MaxValue;
        if (payload["form"]?.GetValue<string>() is { } form)
        {
            values["link"] = Link(await links.CurrentAsync(participant, "form:" + form, expiresAt, replace: false, cancellationToken));
        }
        else if (payload["external"]?.GetValue<string>() is { } external)
        {
            var url = payload["url"]?.GetValue<string>() ?? "";
            values["url"] = url;
            values["projectCode"] = projects.Find(participant.ProjectId)?.EuraCode ?? "";
            values["link"] = Link(await links.CurrentAsync(participant, "external:" + external, expiresAt, replace: false, cancellationToken, url));
        }

        if (channel == "email")
        {
            // Every email ends with a link that stops them; it never expires and stays the same in every email.
            values["unsubscribe"] = Link(await links.CurrentAsync(participant, FormLinks.UnsubscribeEmail, FormLinks.NeverExpires, replace: false, cancellationToken));
        }

        var language = payload["language"]?.GetValue<string>() ?? participant.Language;
        var rendered = templates.RenderMessage(payload["template"]!.GetValue<string>(), channel, language, values);
        var message = new OutgoingMessage(channel, to, rendered.Subject, rendered.Text, language) { Html = rendered.Html };
        var result = await sender.SendAsync(effect.Id, message, cancellationToken, payload);
        return result.Outcome switch
        {
            DeliveryOutcome.Accepted => EffectResult.Done,
            DeliveryOutcome.Transient => new EffectResult(EffectOutcome.RetryLater, result.Reason),
            DeliveryOutcome.GaveUp => new EffectResult(EffectOutcome.Failed, result.Reason, Permanent: false),
            _ => new EffectResult(EffectOutcome.Failed, result.Reason),
        };
    }

    private string Link(string token) => new Uri(publicBaseUrl, "f/" + token).ToString();
}
