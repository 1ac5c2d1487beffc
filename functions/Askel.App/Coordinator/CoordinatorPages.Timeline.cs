using System.Globalization;
using System.Text.Json.Nodes;
using Askel.App.Audit;
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
    /// <summary>A problem to show on the timeline next to the action that caused it, with the values typed.</summary>
    private sealed record ActionError(string Action, string Field, string Text, IFormCollection Posted);

    internal static async Task<IResult> TimelineAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        var project = Find(services.GetRequiredService<ProjectCatalog>(), context.User, projectId);
        var participant = project is null ? null
            : await services.GetRequiredService<ParticipantService>().GetAsync(project.Id, id, UserName(context.User), "view-timeline", cancellationToken);
        if (project is null || participant is null)
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
        var assistedForms = AssistedForms(services, state);
        var corrections = page.IsAdmin ? await services.GetRequiredService<ParticipantService>().RectificationsAsync(participant.Id, cancellationToken) : null;
        var sentence = await SentencesAsync(page, services, [state], cancellationToken);
        var basePath = $"/coordinator/projects/{project.Id}/participants/{participant.Id}";
        var name = $"{participant.FirstName} {participant.LastName}";
        var status = error is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity;

        return CoordinatorLayout.Content(CoordinatorLayout.Render(page with { Path = basePath }, name, html =>
        {
            html.Raw($"<p><a href=\"{Html.Encode(page.Href($"/coordinator/projects/{project.Id}"))}\">").Text(page.T("back-to-project")).Raw("</a></p>")
                .Raw("<h1>").Text(name).Raw("</h1>");
            if (note is not null)
            {
                html.Raw("<p class=\"note\" role=\"status\">").Text(note).Raw("</p>");
            }

            if (error is not null)
            {
                ErrorSummary(html, page, [(error.Field, error.Text)]);
            }

            Details(html, page, ExportedParticipant.Of(participant), withName: false);

            html.Raw("<h2>").Text(page.T("instance-title")).Raw("</h2><dl class=\"kv\">");
            Pair(html, page.T("instance-status"), sentence(state));
            Pair(html, page.T("instance-technical"), State(page, state));
            if (state?.Outcome is { } outcome)
            {
                Pair(html, page.T("instance-outcome"), outcome);
            }

            html.Raw("</dl>");

            // ---- actions ----
            html.Raw("<h2>").Text(page.T("actions-title")).Raw("</h2>");
            foreach (var task in tasks)
            {
                TaskForm(html, page, basePath, task, error);
            }

            if (state?.Waiting is AwaitingConfirmation { External: var external })
            {
                html.Raw("<section class=\"action\"><h3>").Text(page.T("confirm-external-title")).Raw("</h3><p>").Text(page.T("confirm-external-body", ("name", external))).Raw("</p>")
                    .Raw($"<form method=\"post\" action=\"{Html.Encode($"{basePath}/external/{Uri.EscapeDataString(external)}")}\">{page.Hidden}<button type=\"submit\">")
                    .Text(page.T("confirm-external-button")).Raw("</button></form></section>");
            }

            if (state?.Waiting is AwaitingForm)
            {
                html.Raw("<section class=\"action\"><h3>").Text(page.T("link-title")).Raw("</h3>")
                    .Raw($"<p><a href=\"{Html.Encode(page.Href($"{basePath}/link"))}\">").Text(page.T("show-qr")).Raw("</a></p>")
                    .Raw($"<form method=\"post\" action=\"{Html.Encode($"{basePath}/link")}\">{page.Hidden}<button type=\"submit\">").Text(page.T("send-new-link")).Raw("</button></form></section>");
            }

            if (assistedForms.Count > 0)
            {
                html.Raw("<section class=\"action\" id=\"fill-together\"><h3>").Text(page.T("fill-assisted-title")).Raw("</h3><ul>");
                foreach (var form in assistedForms.Where(f => !responses.Any(r => r.Form == f)))
                {
                    html.Raw($"<li><a href=\"{Html.Encode($"{basePath}/forms/{form}?lang={participant.Language}")}\">").Text(page.T("fill-assisted-link", ("form", form))).Raw("</a></li>");
                }

                html.Raw("</ul></section>");
            }

            ReenableForms(html, page, basePath, participant, error);
            AttemptForm(html, page, basePath, error);
            SessionForm(html, page, basePath, error);
            RectifySection(html, page, basePath, participant, corrections, error);
            ReassignSection(html, page, basePath, project, participant, error);
            if (participant.LeftAt is null)
            {
                var posted = error?.Action == "left" ? error.Posted["leftOn"].ToString() : Day(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(services.GetRequiredService<TimeProvider>().GetUtcNow(), Zone).DateTime));
                html.Raw("<section class=\"action\" id=\"leave\"><h3>").Text(page.T("mark-left-title")).Raw("</h3>")
                    .Raw($"<form method=\"post\" action=\"{Html.Encode($"{basePath}/left")}\" novalidate>{page.Hidden}<label for=\"leftOn\">").Text(page.T("left-date")).Raw("</label>");
                InlineError(html, error, "left", "leftOn");
                html.Raw($"<input type=\"date\" id=\"leftOn\" name=\"leftOn\" value=\"{Html.Encode(posted)}\"{(error?.Action == "left" ? " aria-invalid=\"true\" aria-describedby=\"leftOn-error\"" : "")}>")
                    .Raw("<button type=\"submit\">").Text(page.T("mark-left-button")).Raw("</button></form></section>");
            }

            PrivacySection(html, page, basePath, error);

            // ---- timeline ----
            html.Raw("<h2>").Text(page.T("history-title")).Raw("</h2>");
            Table(html, page, page.T("history-title"), ["col-when", "col-what", "col-step", "col-detail"], history.OrderByDescending(h => h.Sequence).Select(h => new[] { Time(h.At), h.Kind, h.Step ?? "", h.Detail }));

            // Every attempt to reach the participant in one list: Askel's messages and the contacts coordinators logged.
            html.Raw("<h2>").Text(page.T("contact-attempts-title")).Raw("</h2>");
            if (messages.Count == 0 && attempts.Count == 0)
            {
                html.Raw("<p>").Text(page.T("no-contact-attempts")).Raw("</p>");
            }
            else
            {
                var rows = messages.Select(m => (At: m.At, Cells: new[] { Time(m.At), ChannelName(page, m.Channel), m.Provider, page.T("message-" + m.Status) + (m.Reason is null ? "" : $": {m.Reason}") }))
                    .Concat(attempts.Select(a => (At: a.At, Cells: new[] { Time(a.At), page.T("attempt-" + a.Kind), a.By, page.T("attempt-" + a.Outcome) })));
                Table(html, page, page.T("contact-attempts-title"), ["col-when", "col-channel", "col-by", "col-status"], rows.OrderByDescending(r => r.At).Select(r => r.Cells));
            }

            html.Raw("<h2>").Text(page.T("responses-title")).Raw("</h2>");
            if (responses.Count == 0)
            {
                html.Raw("<p>").Text(page.T("no-responses")).Raw("</p>");
            }

            foreach (var response in responses)
            {
                html.Raw("<h3>").Text(response.Form).Raw("</h3><dl class=\"kv\">");
                Pair(html, page.T("col-version"), response.FormVersion);
                Pair(html, page.T("col-filled-by"), response.FilledBy);
                Pair(html, page.T("col-submitted"), Time(response.SubmittedAt));
                html.Raw("</dl><details><summary>").Text(page.T("answers")).Raw("</summary><dl class=\"kv\">");
                foreach (var (question, answer) in response.Answers)
                {
                    Pair(html, question, answer is JsonValue v && v.TryGetValue<string>(out var s) ? s : answer?.ToJsonString() ?? "");
                }

                html.Raw("</dl></details>");
            }

            html.Raw("<h2>").Text(page.T("sessions-title")).Raw("</h2>");
            if (sessions.Count == 0)
            {
                html.Raw("<p>").Text(page.T("no-sessions")).Raw("</p>");
            }
            else
            {
                Table(html, page, page.T("sessions-title"), ["col-date", "col-minutes", "col-kind", "col-coordinator"], sessions.OrderBy(s => s.Date).Select(s => new[] { Day(s.Date), s.Minutes.ToString(CultureInfo.InvariantCulture), page.T("kind-" + s.Kind), s.Coordinator }));
            }

            html.Raw("<h2>").Text(page.T("audit-title")).Raw("</h2>");
            Table(html, page, page.T("audit-title"), ["col-when", "col-actor", "col-what", "col-detail"], audit.Select(a => new[] { Time(a.At), a.Actor, a.Action, a.Detail }));
        }), status);
    }

    private static void TaskForm(Html html, PageContext page, string basePath, OpenTask task, ActionError? error)
    {
        var mine = error?.Action == "task:" + task.Step ? error : null;
        var chosen = mine?.Posted["outcome"].ToString();
        html.Raw($"<section class=\"action\" id=\"task-{Html.Encode(task.Step)}\"><h3>").Text(page.T("complete-task-title", ("task", task.Title(page.Language)))).Raw("</h3>")
            .Raw($"<form method=\"post\" action=\"{Html.Encode($"{basePath}/tasks/{Uri.EscapeDataString(task.Step)}")}\" novalidate>{page.Hidden}")
            .Raw($"<label for=\"outcome-{Html.Encode(task.Step)}\">").Text(page.T("outcome")).Raw("</label>")
            .Raw($"<select id=\"outcome-{Html.Encode(task.Step)}\" name=\"outcome\">");
        foreach (var outcome in task.Outcomes)
        {
            html.Raw($"<option value=\"{Html.Encode(outcome)}\"{(outcome == chosen ? " selected" : "")}>").Text(outcome).Raw("</option>");
        }

        var reasonId = $"reason-{task.Step}";
        html.Raw("</select>").Raw($"<label for=\"{Html.Encode(reasonId)}\">").Text(page.T("reason")).Raw("</label>");
        InlineError(html, mine, "task:" + task.Step, reasonId);
        html.Raw($"<textarea id=\"{Html.Encode(reasonId)}\" name=\"reason\" rows=\"3\" cols=\"40\"{(mine is not null ? $" aria-invalid=\"true\" aria-describedby=\"{Html.Encode(reasonId)}-error\"" : "")}>")
            .Text(mine?.Posted["reason"].ToString()).Raw("</textarea><br><button type=\"submit\">").Text(page.T("complete-task-button")).Raw("</button></form></section>");
    }

    private static void SessionForm(Html html, PageContext page, string basePath, ActionError? error)
    {
        var mine = error?.Action == "session" ? error : null;
        html.Raw("<section class=\"action\"><h3>").Text(page.T("log-session-title")).Raw("</h3>");
        InlineError(html, mine, "session", "date");
        html.Raw($"<form method=\"post\" action=\"{Html.Encode($"{basePath}/sessions")}\" novalidate>{page.Hidden}")
            .Raw("<label for=\"date\">").Text(page.T("session-date")).Raw("</label>")
            .Raw($"<input type=\"date\" id=\"date\" name=\"date\" value=\"{Html.Encode(mine?.Posted["date"].ToString())}\">")
            .Raw("<label for=\"minutes\">").Text(page.T("session-minutes")).Raw("</label>")
            .Raw($"<input type=\"number\" id=\"minutes\" name=\"minutes\" min=\"1\" max=\"600\" value=\"{Html.Encode(mine?.Posted["minutes"].ToString() ?? "60")}\">")
            .Raw("<label for=\"kind\">").Text(page.T("session-kind")).Raw("</label><select id=\"kind\" name=\"kind\">");
        foreach (var kind in SessionKinds)
        {
            html.Raw($"<option value=\"{kind}\"{(mine?.Posted["kind"].ToString() == kind ? " selected" : "")}>").Text(page.T("kind-" + kind)).Raw("</option>");
        }

        html.Raw("</select><br><button type=\"submit\">").Text(page.T("log-session-button")).Raw("</button></form></section>");
    }

    /// <summary>For each channel marked invalid or opted out: re-enable it (lifting an opt-out asks why).</summary>
    private static void ReenableForms(Html html, PageContext page, string basePath, Participant participant, ActionError? error)
    {
        foreach (var channel in new[] { "sms", "email" })
        {
            if (ContactChannels.AddressOf(participant, channel) is null || ContactChannels.StateOf(participant, channel) is not { } state)
            {
                continue;
            }

            var action = "reenable:" + channel;
            var mine = error?.Action == action ? error : null;
            var reasonId = $"reenable-reason-{channel}";
            html.Raw("<section class=\"action\"><h3>").Text(page.T("reenable-title", ("channel", ChannelName(page, channel)))).Raw("</h3><p>")
                .Text(page.T(state == ContactChannels.OptedOut ? "reenable-opted-out-body" : "reenable-invalid-body")).Raw("</p>")
                .Raw($"<form method=\"post\" action=\"{Html.Encode($"{basePath}/channels/{channel}/reenable")}\" novalidate>{page.Hidden}")
                .Raw($"<label for=\"{reasonId}\">").Text(page.T(state == ContactChannels.OptedOut ? "reenable-reason-required" : "reenable-reason")).Raw("</label>");
            InlineError(html, mine, action, reasonId);
            html.Raw($"<input type=\"text\" id=\"{reasonId}\" name=\"reason\" maxlength=\"{ContactChannels.ReasonLength}\" value=\"{Html.Encode(mine?.Posted["reason"].ToString())}\"")
                .Raw(mine is null ? ">" : $" aria-invalid=\"true\" aria-describedby=\"{reasonId}-error\">")
                .Raw("<button type=\"submit\">").Text(page.T("reenable-button", ("channel", ChannelName(page, channel)))).Raw("</button></form></section>");
        }
    }

    /// <summary>Log a contact made outside Askel: how, and what came of it.</summary>
    private static void AttemptForm(Html html, PageContext page, string basePath, ActionError? error)
    {
        var mine = error?.Action == "attempt" ? error : null;
        html.Raw("<section class=\"action\" id=\"log-attempt\"><h3>").Text(page.T("log-attempt-title")).Raw("</h3>");
        InlineError(html, mine, "attempt", "attempt-outcome");
        html.Raw($"<form method=\"post\" action=\"{Html.Encode($"{basePath}/attempts")}\" novalidate>{page.Hidden}");
        foreach (var (field, options) in new[] { ("kind", ContactAttempts.Kinds), ("outcome", ContactAttempts.Outcomes) })
        {
            html.Raw($"<label for=\"attempt-{field}\">").Text(page.T("attempt-" + field)).Raw($"</label><select id=\"attempt-{field}\" name=\"{field}\"")
                .Raw(mine is not null && field == "outcome" ? " aria-invalid=\"true\" aria-describedby=\"attempt-outcome-error\">" : ">");
            foreach (var option in options)
            {
                html.Raw($"<option value=\"{option}\"{(mine?.Posted[field].ToString() == option ? " selected" : "")}>").Text(page.T("attempt-" + option)).Raw("</option>");
            }

            html.Raw("</select>");
        }

        html.Raw("<br><button type=\"submit\">").Text(page.T("log-attempt-button")).Raw("</button></form></section>");
    }

    internal static string ChannelName(PageContext page, string channel) =>
        CoordinatorTexts.Has("channel-name-" + channel) ? page.T("channel-name-" + channel) : channel;

    // Who is responsible for the participant, and a choice of the project's coordinators to hand them over to.
    private static void ReassignSection(Html html, PageContext page, string basePath, Project project, Participant participant, ActionError? error)
    {
        var current = participant.AssignedCoordinator();
        html.Raw("<section class=\"action\" id=\"coordinator\"><h3>").Text(page.T("reassign-title")).Raw("</h3><p>")
            .Text(page.T(project.IsCoordinator(current) ? "reassign-current" : "reassign-none", ("name", current))).Raw("</p>")
            .Raw($"<form method=\"post\" action=\"{Html.Encode(basePath + "/coordinator")}\">{page.Hidden}<label for=\"reassign-to\">").Text(page.T("reassign-to")).Raw("</label>");
        InlineError(html, error, "reassign", "reassign-to");
        html.Raw($"<select id=\"reassign-to\" name=\"coordinator\"{(error?.Action == "reassign" ? " aria-invalid=\"true\" aria-describedby=\"reassign-to-error\"" : "")}>");
        foreach (var name in project.Coordinators)
        {
            var selected = string.Equals(name, current, StringComparison.OrdinalIgnoreCase) ? " selected" : "";
            html.Raw($"<option value=\"{Html.Encode(name)}\"{selected}>").Text(name).Raw("</option>");
        }

        html.Raw("</select> <button type=\"submit\">").Text(page.T("reassign-button")).Raw("</button></form></section>");
    }

    private static void InlineError(Html html, ActionError? error, string action, string field)
    {
        if (error is not null && error.Action == action)
        {
            html.Raw($"<p class=\"err\" id=\"{Html.Encode(field)}-error\">").Text(error.Text).Raw("</p>");
        }
    }

    /// <summary>A channel's address, with its state when it is not usable: opted out or does not work, when and what said so.</summary>
    private static string ChannelState(PageContext page, string? address, string? state, DateTimeOffset? at, string? source) =>
        state is { Length: > 0 }
            ? page.T("channel-state", ("address", address ?? "–"), ("state", CoordinatorTexts.Has("channel-" + state) ? page.T("channel-" + state) : state),
                ("when", at is { } when ? Time(when) : ""), ("source", source ?? "–")).Replace("  ", " ", StringComparison.Ordinal)
            : address ?? "–";

    private static void Pair(Html html, string term, string value) => html.Raw("<dt>").Text(term).Raw("</dt><dd>").Text(value).Raw("</dd>");

    // A table in its own sideways-scrolling box, so a wide one does not widen the page (WCAG 1.4.10 at 360 px); the box
    // is a labelled region that takes focus, so it can be scrolled from the keyboard.
    private static void Table(Html html, PageContext page, string label, string[] headers, IEnumerable<string[]> rows)
    {
        html.Raw("<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"").Text(label).Raw("\"><table><thead><tr>");
        foreach (var header in headers)
        {
            html.Raw("<th scope=\"col\">").Text(page.T(header)).Raw("</th>");
        }

        html.Raw("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Raw("<tr>");
            foreach (var cell in row)
            {
                html.Raw("<td>").Text(cell).Raw("</td>");
            }

            html.Raw("</tr>");
        }

        html.Raw("</tbody></table></div>");
    }
}
