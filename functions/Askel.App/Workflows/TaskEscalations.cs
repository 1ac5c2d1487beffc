using System.Globalization;
using Askel.App.Coordinator;
using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;

namespace Askel.App.Workflows;

/// <summary>
/// Sends the reminder of an overdue coordinator task (the workflow's <c>escalation</c> effect) by email to the participant's
/// coordinator or to the project's managers, in Finnish and English. It names the participant by first name only and
/// links to their page, where the task is completed.
/// </summary>
internal sealed class TaskEscalations(ProjectCatalog projects, ParticipantTables participants, ManagerRecipients managers, MessageSender sender, Uri publicBaseUrl)
{
    private static readonly TimeZoneInfo Zone = Askel.Runtime.Calendar.CalendarPolicy.Default.TimeZone;

    public async Task<EffectResult> SendAsync(Effect effect, CancellationToken cancellationToken)
    {
        if (Participant.ParseInstanceId(effect.InstanceId) is not { } ids
            || projects.Find(ids.ProjectId) is not { } project
            || await participants.FindParticipantAsync(ids.ProjectId, ids.ParticipantId, cancellationToken) is not { ErasedAt: null } participant)
        {
            return EffectResult.Done; // nobody to remind about: the participant was erased, or the instance is not a participant's
        }

        IReadOnlyList<string> to;
        try
        {
            to = effect.Payload["to"]?.GetValue<string>() == "managers"
                ? [.. (await managers.ForAsync(project, cancellationToken)).Where(a => Contacts.NormaliseEmail(a) is not null)]
                : Contacts.NormaliseEmail(participant.AssignedCoordinator()) is { } address ? [address] : [];
        }
        catch (ManagerGroupException e)
        {
            return new EffectResult(EffectOutcome.RetryLater, "the manager group could not be read: " + e.Message);
        }

        if (to.Count == 0)
        {
            return new EffectResult(EffectOutcome.Failed, "nobody with an email address to remind", Permanent: true);
        }

        var title = effect.Payload["title"];
        string Title(string language) => title?[language]?.GetValue<string>() ?? effect.Payload["step"]?.GetValue<string>() ?? "";
        var due = DateTimeOffset.TryParse(effect.Payload["due"]?.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? TimeZoneInfo.ConvertTime(at, Zone) : (DateTimeOffset?)null;
        var link = $"{publicBaseUrl.ToString().TrimEnd('/')}/coordinator/projects/{Uri.EscapeDataString(project.Id)}/participants/{Uri.EscapeDataString(participant.Id)}";
        string Body(string language) => CoordinatorTexts.Get(
            "escalation-body", language,
            ("task", Title(language)), ("name", participant.FirstName), ("project", project.Name),
            ("due", due is { } d ? d.ToString(language == "en" ? "d MMM yyyy 'at' HH:mm" : "d.M.yyyy 'klo' H.mm", CultureInfo.InvariantCulture) : ""),
            ("link", link));
        var message = new OutgoingMessage(
            "email", to[0], CoordinatorTexts.Get("escalation-subject", "fi", ("project", project.Name)) + " / " + CoordinatorTexts.Get("escalation-subject", "en", ("project", project.Name)),
            Body("fi") + "\n\n" + Body("en"), "fi")
        {
            AlsoTo = [.. to.Skip(1)],
        };
        var result = await sender.SendAsync(effect.Id, message, cancellationToken);
        return result.Outcome switch
        {
            DeliveryOutcome.Accepted => EffectResult.Done,
            DeliveryOutcome.Transient => new EffectResult(EffectOutcome.RetryLater, result.Reason),
            _ => new EffectResult(EffectOutcome.Failed, result.Reason, Permanent: result.Outcome == DeliveryOutcome.Permanent),
        };
    }
}
