using System.Globalization;
using Askel.App.Audit;
using Askel.App.Coordinator.Components;
using Askel.App.Forms;
using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.App.Privacy;
using Askel.App.Projects;
using Askel.Runtime.Client;
using Microsoft.AspNetCore.Antiforgery;
using static Askel.App.Coordinator.Components.Formats;

namespace Askel.App.Coordinator;

/// <summary>A participant's timeline: details, workflow state and history, messages, answers, sessions, audit.</summary>
public static partial class CoordinatorPages
{
    internal static async Task<IResult> TimelineAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        if (await ViewParticipantAsync(services, context.User, projectId, id, "view-timeline", cancellationToken) is not (var project, var participant))
        {
            return NotFound(page);
        }

        var note = context.Request.Query["saved"].ToString() is { Length: > 0 } saved
            ? saved switch
            {
                "link" => page.T("new-link-sent", ("channel", context.Request.Query["channel"].ToString())),
                "unchanged" => page.T("details-unchanged"),
                _ => page.T("saved"),
            }
            : null;
        return await RenderTimelineAsync(page, project, participant, services, null, note, cancellationToken);
    }

    private static async Task<IResult> RenderTimelineAsync(
        PageContext page, Project project, Participant participant, IServiceProvider services, ActionError? error, string? note, CancellationToken cancellationToken)
    {
        var workflows = services.GetRequiredService<IWorkflowClient>();
        var state = await workflows.StatusAsync(participant.InstanceId, cancellationToken);
        var history = state is null ? [] : await workflows.HistoryAsync(participant.InstanceId, cancellationToken);
        var responses = await services.GetRequiredService<FormResponses>().AllAsync(participant.Id, cancellationToken);
        var sessions = await services.GetRequiredService<ParticipantService>().SessionsAsync(participant, cancellationToken);
        var audit = await services.GetRequiredService<AuditLog>().ReadAsync(project.Id, participant.Id, 100, cancellationToken);
        var tasks = await services.GetRequiredService<OpenTasks>().ListAsync(
            participant.InstanceId + ".",
            new Dictionary<string, WorkflowStatus?>(StringComparer.Ordinal) { [participant.InstanceId] = state }, cancellationToken);
        var messages = await services.GetRequiredService<MessageLog>().ForInstanceAsync(participant.InstanceId, cancellationToken);
        var attempts = await services.GetRequiredService<ContactAttempts>().OfAsync(participant.Id, cancellationToken);
        var consents = await services.GetRequiredService<Consents>().OfAsync(participant.Id, cancellationToken);
        var cooperation = await CooperationOfAsync(services, project, participant, cancellationToken);
        var assistedForms = AssistedForms(services, state);
        var corrections = page.IsAdmin ? await services.GetRequiredService<ParticipantService>().RectificationsAsync(participant.Id, cancellationToken) : null;
        var sentence = await SentencesAsync(page, services, [state], cancellationToken);
        var basePath = $"/coordinator/projects/{project.Id}/participants/{participant.Id}";
        var name = $"{participant.FirstName} {participant.LastName}";
        var status = error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity;

        var channels = new List<DisabledChannel>();
        foreach (var channel in new[] { "sms", "email" })
        {
            if (ContactChannels.AddressOf(participant, channel) is not null && ContactChannels.StateOf(participant, channel) is { } channelState)
            {
                channels.Add(new DisabledChannel(channel, ChannelName(page, channel), channelState == ContactChannels.OptedOut));
            }
        }

        List<TermValue> instance = [new(page.T("instance-status"), sentence(state)), new(page.T("instance-technical"), State(page, state))];
        if (state?.Outcome is { } outcome)
        {
            instance.Add(new(page.T("instance-outcome"), outcome));
        }

        var contacts = messages.Select(m => (At: m.At, Cells: (IReadOnlyList<string>)[Time(m.At), ChannelName(page, m.Channel), m.Provider, page.T("message-" + m.Status) + (m.Reason is null ? "" : $": {m.Reason}")]))
            .Concat(attempts.Select(a => (At: a.At, Cells: (IReadOnlyList<string>)[Time(a.At), page.T("attempt-" + a.Kind), a.By, page.T("attempt-" + a.Outcome)])))
            .OrderByDescending(r => r.At).Select(r => r.Cells).ToList();
        var current = participant.AssignedCoordinator();
        var today = Day(services.GetRequiredService<TimeProvider>().GetUtcNow());
        var model = new Timeline(
            name, project.Id, basePath, participant.Language, note, error,
            DetailsOf(page, ExportedParticipant.Of(participant), withName: false), instance, tasks,
            state?.Waiting is AwaitingConfirmation { External: var external } ? external : null, state?.Waiting is AwaitingForm,
            assistedForms.Count > 0 ? [.. assistedForms.Where(f => !responses.Any(r => r.Form == f))] : null,
            channels, ContactAttempts.Kinds, ContactAttempts.Outcomes, SessionKinds,
            new DetailsEdit(participant.FirstName, participant.LastName, participant.Email, participant.Phone, participant.Language,
                corrections is { Count: > 0 } ? Corrections(page, corrections) : null) { Languages = CorrectionLanguages(project, participant) },
            new Reassignment(current, project.IsCoordinator(current), project.Coordinators),
            participant.LeftAt is null ? today : null,
            participant.AdviceOnly,
            new ConsentList(consents, today, NewFormKey()),
            PlanStatus(page, participant, DayOf(services.GetRequiredService<TimeProvider>().GetUtcNow())),
            cooperation,
            new TextTable(page.T("history-title"), ["col-when", "col-what", "col-step", "col-detail"],
                [.. history.OrderByDescending(h => h.Sequence).Select(h => (IReadOnlyList<string>)[Time(h.At), h.Kind, h.Step ?? "", h.Detail])]),
            contacts.Count == 0 ? null : new TextTable(page.T("contact-attempts-title"), ["col-when", "col-channel", "col-by", "col-status"], contacts),
            [.. responses.Select(r => new TimelineResponse(
                r.Form,
                [new(page.T("col-version"), r.FormVersion), new(page.T("col-filled-by"), r.FilledBy), new(page.T("col-submitted"), Time(r.SubmittedAt))],
                [.. r.Answers.Select(a => TermValue.Answer(a.Key, a.Value))]))],
            sessions.Count == 0 ? null : new TextTable(page.T("sessions-title"), ["col-date", "col-minutes", "col-kind", "col-coordinator", "col-note"],
                [.. sessions.OrderBy(s => s.Date).Select(s => (IReadOnlyList<string>)[Day(s.Date), s.Minutes.ToString(CultureInfo.InvariantCulture), page.T("kind-" + s.Kind), s.Coordinator, s.Note])]),
            new TextTable(page.T("audit-title"), ["col-when", "col-actor", "col-what", "col-detail"],
                [.. audit.Select(a => (IReadOnlyList<string>)[Time(a.At), a.Actor, a.Action, a.Detail])]))
        {
            Closed = project.IsClosed(DayOf(services.GetRequiredService<TimeProvider>().GetUtcNow())) ? page.T("project-closed", ("day", Day(project.Closed!.From)), ("until", Day(project.Closed.SummariesUntil))) : null,
        };
        return new ComponentPage<TimelinePage, Timeline>(page with { Path = basePath }, model, status);
    }

    // Their placements and events named from the register, and the register's employers and events to choose from.
    private static async Task<TimelineCooperation> CooperationOfAsync(IServiceProvider services, Project project, Participant participant, CancellationToken cancellationToken)
    {
        var register = services.GetRequiredService<Cooperation.CooperationRegister>();
        var employers = await register.EmployersAsync(project.Id, cancellationToken);
        var events = await register.EventsAsync(project.Id, cancellationToken);
        var parts = await services.GetRequiredService<Cooperation.Participations>().OfParticipantAsync(project.Id, participant.Id, cancellationToken);
        string NameOf(Cooperation.Participation part) => part.Kind == Cooperation.Participations.Placement
            ? employers.FirstOrDefault(e => e.BusinessId == part.SubjectId)?.Name ?? part.SubjectId
            : events.FirstOrDefault(e => e.Id == part.SubjectId)?.Title ?? part.SubjectId;
        return new(
            [.. parts.Select(p => new CooperationPart(p.Kind, p.SubjectId, NameOf(p), p.Since))],
            [.. employers.Select(e => (e.BusinessId, e.Name))],
            [.. events.Select(e => (e.Id, $"{e.Title} ({Day(e.Date)})"))],
            Day(services.GetRequiredService<TimeProvider>().GetUtcNow()));
    }

    // From the participant's row, which keeps the plan's review day: the timeline does not read the plan itself.
    private static string PlanStatus(PageContext page, Participant participant, DateOnly today) =>
        participant.PlanReviewDay() is not { } review ? page.T("plan-none")
        : participant.LeftAt is not null ? page.T("plan-closed")
        : review >= today ? page.T("plan-up-to-date", ("day", Day(review)))
        : page.T("plan-overdue", ("day", Day(review)), ("days", Number(today.DayNumber - review.DayNumber)));

    /// <summary>Earlier corrections of the details, with their old and new values.</summary>
    private static TextTable Corrections(PageContext page, IEnumerable<Rectification> corrections) =>
        new(page.T("rectifications-title"), ["col-when", "col-actor", "col-field", "col-old", "col-new"],
            [.. corrections.Select(c => (IReadOnlyList<string>)[Time(c.At), c.By, c.Field, c.Old, c.New])]);

    internal static string ChannelName(PageContext page, string channel) =>
        CoordinatorTexts.Has("channel-name-" + channel) ? page.T("channel-name-" + channel) : channel;

    /// <summary>A channel's address, with its state when it is not usable: opted out or does not work, when and what said so.</summary>
    private static string ChannelState(PageContext page, string? address, string? state, DateTimeOffset? at, string? source) =>
        state is { Length: > 0 }
            ? page.T("channel-state", ("address", address ?? "–"), ("state", CoordinatorTexts.Has("channel-" + state) ? page.T("channel-" + state) : state),
                ("when", at is { } when ? Time(when) : ""), ("source", source ?? "–")).Replace("  ", " ", StringComparison.Ordinal)
            : address ?? "–";
}
