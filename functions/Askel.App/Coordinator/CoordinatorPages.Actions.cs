using System.Globalization;
using System.Text.Json.Nodes;
using Askel.App.Audit;
using Askel.App.Coordinator.Components;
using Askel.App.Forms;
using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Definitions;
using Askel.Runtime.Client;
using Microsoft.AspNetCore.Antiforgery;
using QRCoder;

namespace Askel.App.Coordinator;

/// <summary>What a coordinator does on the timeline: sessions, leaving, tasks, external confirmations, links.</summary>
public static partial class CoordinatorPages
{
    private sealed record ActionRequest(PageContext Page, Project Project, Participant Participant, IFormCollection Posted, string User);

    /// <summary>
    /// Reads a posted action: checks the antiforgery token and the access, finds the participant; <paramref name="casework"/>
    /// in a closed project is refused (<see cref="ClosedRefusal"/>).
    /// </summary>
    private static async Task<(ActionRequest? Action, IResult? Refusal)> OpenActionAsync(
        string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken, bool casework = false)
    {
        if (await ReadAsync(context, antiforgery) is not { } posted)
        {
            return (null, BadRequest(context, antiforgery));
        }

        var page = Page(context, antiforgery, posted["lang"]);
        if (await FindParticipantAsync(services, context.User, projectId, id, cancellationToken) is not (var project, var participant))
        {
            return (null, NotFound(page));
        }

        return casework && ClosedRefusal(page, project, context) is { } closed ? (null, closed) : (new ActionRequest(page, project, participant, posted, UserName(context.User)), null);
    }

    private static IResult Done(ActionRequest action, string saved = "1") =>
        FormFlow.SeeOther(action.Page.Href($"/coordinator/projects/{action.Project.Id}/participants/{action.Participant.Id}?saved={saved}"));

    private static Task<IResult> RefuseAsync(ActionRequest action, IServiceProvider services, string kind, string field, string text, CancellationToken cancellationToken) =>
        RenderTimelineAsync(action.Page, action.Project, action.Participant, services, new ActionError(kind, field, text, action.Posted), null, cancellationToken);

    internal static async Task<IResult> LogSessionAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken, casework: true);
        if (action is null)
        {
            return refusal!;
        }

        var posted = action.Posted;
        if (!DateOnly.TryParseExact(posted["date"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || !int.TryParse(posted["minutes"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes is < 1 or > 600
            || !SessionKinds.Contains(posted["kind"].ToString()))
        {
            return await RefuseAsync(action, services, "session", "date", action.Page.T("session-invalid"), cancellationToken);
        }

        var note = posted["note"].ToString();
        if (!PlainText.IsNote(note, ParticipantService.NoteLength))
        {
            return await RefuseAsync(action, services, "session", "note", action.Page.T("session-note-invalid"), cancellationToken);
        }

        await services.GetRequiredService<ParticipantService>().LogSessionAsync(action.Participant, date, minutes, posted["kind"].ToString(), action.User, note, cancellationToken);
        return Done(action);
    }

    internal static async Task<IResult> ReenableChannelAsync(string projectId, string id, string channel, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken);
        if (action is null)
        {
            return refusal!;
        }

        if (channel is not ("sms" or "email") || ContactChannels.AddressOf(action.Participant, channel) is null || ContactChannels.StateOf(action.Participant, channel) is not { } state)
        {
            return NotFound(action.Page);
        }

        var reason = action.Posted["reason"].ToString();
        var field = $"reenable-reason-{channel}";
        if (state == ContactChannels.OptedOut && string.IsNullOrWhiteSpace(reason))
        {
            return await RefuseAsync(action, services, "reenable:" + channel, field, action.Page.T("reenable-reason-missing"), cancellationToken);
        }

        if (reason.Length > ContactChannels.ReasonLength)
        {
            return await RefuseAsync(action, services, "reenable:" + channel, field, action.Page.T("reenable-reason-too-long", ("max", ContactChannels.ReasonLength.ToString(CultureInfo.InvariantCulture))), cancellationToken);
        }

        await services.GetRequiredService<ContactChannels>().ReenableAsync(action.Participant, channel, reason, action.User, cancellationToken);
        return Done(action);
    }

    internal static async Task<IResult> LogAttemptAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken);
        if (action is null)
        {
            return refusal!;
        }

        var (kind, outcome) = (action.Posted["kind"].ToString(), action.Posted["outcome"].ToString());
        if (!ContactAttempts.IsValid(kind, outcome))
        {
            return await RefuseAsync(action, services, "attempt", "attempt-outcome", action.Page.T("attempt-invalid"), cancellationToken);
        }

        await services.GetRequiredService<ContactAttempts>().LogAsync(action.Participant, kind, outcome, action.User, cancellationToken);
        return Done(action);
    }

    internal static async Task<IResult> RecordConsentAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken, casework: true);
        if (action is null)
        {
            return refusal!;
        }

        var posted = action.Posted;
        var entry = new ConsentEntry(
            FormKey(posted["key"].ToString()), posted["consent-scope"].ToString(), posted["partner"].ToString(), posted["consent-basis"].ToString(), posted["givenOn"].ToString(),
            posted["consent-medium"].ToString(), posted["formVersion"].ToString());
        var today = Formats.DayOf(services.GetRequiredService<TimeProvider>().GetUtcNow());
        if (entry.Check(action.Participant.JoinedOn(), today) is [var (field, problem), ..])
        {
            return await RefuseAsync(action, services, "consent", field, action.Page.T(problem), cancellationToken);
        }

        await services.GetRequiredService<Consents>().RecordAsync(action.Participant, entry, action.User, cancellationToken);
        return Done(action);
    }

    internal static async Task<IResult> WithdrawConsentAsync(
        string projectId, string id, string consentId, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken);
        if (action is null)
        {
            return refusal!;
        }

        var withdrawn = DateOnly.TryParseExact(action.Posted["withdrawnOn"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? await services.GetRequiredService<Consents>().WithdrawAsync(action.Participant, consentId, day, action.User, cancellationToken)
            : null;
        return withdrawn is null
            ? await RefuseAsync(action, services, "withdraw:" + consentId, $"withdraw-{consentId}", action.Page.T("consent-withdraw-invalid"), cancellationToken)
            : Done(action);
    }

    internal static async Task<IResult> SetServiceAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken, casework: true);
        if (action is null)
        {
            return refusal!;
        }

        if (action.Posted["service"].ToString() is not ("individual" or "advice-only") || action.Participant.LeftAt is not null)
        {
            return await RefuseAsync(action, services, "service", "service-individual", action.Page.T("service-invalid"), cancellationToken);
        }

        return await services.GetRequiredService<ParticipantService>().SetAdviceOnlyAsync(action.Participant, action.Posted["service"] == "advice-only", action.User, cancellationToken)
            ? Done(action)
            : await RefuseAsync(action, services, "service", "service-individual", action.Page.T("service-invalid"), cancellationToken);
    }

    internal static async Task<IResult> ReassignAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken);
        if (action is null)
        {
            return refusal!;
        }

        return await services.GetRequiredService<ParticipantService>().ReassignAsync(action.Project, action.Participant, action.Posted["coordinator"].ToString(), action.User, cancellationToken)
            ? Done(action)
            : await RefuseAsync(action, services, "reassign", "reassign-to", action.Page.T("reassign-invalid"), cancellationToken);
    }

    internal static async Task<IResult> MarkLeftAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken);
        if (action is null)
        {
            return refusal!;
        }

        if (!DateOnly.TryParseExact(action.Posted["leftOn"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var leftOn))
        {
            return await RefuseAsync(action, services, "left", "leftOn", action.Page.T("left-invalid"), cancellationToken);
        }

        await services.GetRequiredService<ParticipantService>().MarkLeftAsync(action.Participant, leftOn, action.User, cancellationToken);
        return Done(action);
    }

    internal static async Task<IResult> CompleteTaskAsync(string projectId, string id, string step, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken);
        if (action is null)
        {
            return refusal!;
        }

        var outcome = action.Posted["outcome"].ToString();
        var reason = action.Posted["reason"].ToString();
        var field = $"reason-{step}";
        if (OutcomesNeedingReason.Contains(outcome) && string.IsNullOrWhiteSpace(reason))
        {
            return await RefuseAsync(action, services, "task:" + step, field, action.Page.T("reason-required"), cancellationToken);
        }

        if (reason.Length > 1000)
        {
            reason = reason[..1000];
        }

        var refused = await services.GetRequiredService<ParticipantService>().CompleteTaskAsync(action.Project, action.Participant, step, outcome, reason, action.User, cancellationToken);
        return refused is null
            ? Done(action)
            : await RefuseAsync(action, services, "task:" + step, field, action.Page.T("task-refused", ("reason", refused)), cancellationToken);
    }

    internal static async Task<IResult> ConfirmExternalAsync(string projectId, string id, string name, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken);
        if (action is null)
        {
            return refusal!;
        }

        var state = await services.GetRequiredService<IWorkflowClient>().StatusAsync(action.Participant.InstanceId, cancellationToken);
        if (state?.Waiting != new AwaitingConfirmation(name))
        {
            return NotFound(action.Page);
        }

        await services.GetRequiredService<ParticipantService>().ConfirmExternalAsync(action.Project, action.Participant, name, action.User, cancellationToken);
        return Done(action);
    }


    internal static async Task<IResult> ShowLinkAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        if (await FindParticipantAsync(services, context.User, projectId, id, cancellationToken) is not (var project, var participant))
        {
            return NotFound(page);
        }

        var state = await services.GetRequiredService<IWorkflowClient>().StatusAsync(participant.InstanceId, cancellationToken);
        var basePath = $"/coordinator/projects/{project.Id}/participants/{participant.Id}";
        if (state?.Waiting is not AwaitingForm { Form: var form })
        {
            return CoordinatorLayout.Message(page with { Path = basePath + "/link" }, StatusCodes.Status404NotFound, "link-title", page.T("no-form-awaited"));
        }

        var expiresAt = ExpiryOf(state, services.GetRequiredService<TimeProvider>());
        var token = await services.GetRequiredService<FormLinks>().CurrentAsync(participant, "form:" + form, expiresAt, replace: false, cancellationToken);
        await services.GetRequiredService<AuditLog>().RecordAsync(UserName(context.User), "show-qr", project.Id, participant.Id, form, cancellationToken);
        var url = services.GetRequiredService<ParticipantMessages>().LinkUrl(token);
        var png = new PngByteQRCode(new QRCodeGenerator().CreateQrCode(url, QRCodeGenerator.ECCLevel.Q)).GetGraphic(8);
        return new ComponentPage<LinkPage, FormLinkView>(
            page with { Path = basePath + "/link" }, new FormLinkView(page.T("link-title"), basePath, form, png, url, expiresAt), StatusCodes.Status200OK);
    }

    internal static async Task<IResult> NewLinkAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken);
        if (action is null)
        {
            return refusal!;
        }

        var participant = action.Participant;
        var state = await services.GetRequiredService<IWorkflowClient>().StatusAsync(participant.InstanceId, cancellationToken);
        if (state?.Waiting is not AwaitingForm { Form: var form } || state.Step is null)
        {
            return CoordinatorLayout.Message(action.Page, StatusCodes.Status409Conflict, "link-title", action.Page.T("no-form-awaited"));
        }

        // Never through a channel the participant opted out of, or one that does not work.
        var channel = participant.Email is not null && participant.EmailState is null ? "email"
            : participant.Phone is not null && participant.SmsState is null ? "sms"
            : null;
        if (channel is null)
        {
            return CoordinatorLayout.Message(action.Page, StatusCodes.Status409Conflict, "link-title", action.Page.T("no-usable-channel"));
        }

        // The message the step sends, in the instance's own version (its texts and form), with a new link that supersedes
        // the old one; named by the instance like the workflow's own.
        var definition = await services.GetRequiredService<IWorkflowDefinitions>().PinnedAsync(state.Workflow, state.Version, cancellationToken);
        if (definition.Steps.TryGetValue(state.Step, out var step) && step is AskStep ask)
        {
            var time = services.GetRequiredService<TimeProvider>();
            var payload = new JsonObject
            {
                ["template"] = ask.Message,
                ["channel"] = channel,
                ["language"] = participant.Language,
                ["form"] = ask.Form,
                ["expiresAt"] = ExpiryOf(state, time).ToString("o", CultureInfo.InvariantCulture),
                ["step"] = state.Step,
                ["workflow"] = state.Workflow,
                ["version"] = state.Version,
            };
            var to = channel == "email" ? participant.Email! : participant.Phone!;
            var message = await services.GetRequiredService<ParticipantMessages>().ComposeAsync(participant, payload, to, newLink: true, cancellationToken);
            var effectId = $"{participant.InstanceId}.{state.StepEntry}.new-link-{time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";
            await services.GetRequiredService<MessageSender>().SendAsync(effectId, message, cancellationToken, payload);
        }

        await services.GetRequiredService<AuditLog>().RecordAsync(action.User, "send-new-link", action.Project.Id, participant.Id, $"{form} via {channel}", cancellationToken);
        return FormFlow.SeeOther(action.Page.Href($"/coordinator/projects/{action.Project.Id}/participants/{participant.Id}?saved=link&channel={channel}"));
    }

    private static DateTimeOffset ExpiryOf(WorkflowStatus state, TimeProvider time) => state.ExpiresAt ?? time.GetUtcNow().AddDays(14);
}
