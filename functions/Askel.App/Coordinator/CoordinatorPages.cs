using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Askel.App.Audit;
using Askel.App.Forms;
using Askel.App.Hosting;
using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Security;
using Askel.Runtime.Definitions;
using Askel.Runtime.Engine;
using Askel.Runtime.Store;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using QRCoder;

namespace Askel.App.Coordinator;

/// <summary>
/// The coordinator's pages: their projects, a project's participants and open tasks, enrolment, and a
/// participant's timeline with its actions. A project the user does not coordinate is answered with 404,
/// as if it did not exist. Every read and change of participant data is audited.
/// </summary>
public static class CoordinatorPages
{
    private const int MaxPostBytes = 256 * 1024;
    private static readonly string[] SessionKinds = ["individual", "group", "phone"];
    private static readonly string[] OutcomesNeedingReason = ["moved-away", "unreachable"];
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki");

    /// <summary>Maps the pages on the authorised <c>/coordinator</c> group.</summary>
    public static void Map(RouteGroupBuilder pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        pages.MapGet("", ProjectsAsync);
        pages.MapGet("/projects/{projectId}", ProjectAsync);
        pages.MapGet("/projects/{projectId}/participants/new", EnrolPage);
        pages.MapPost("/projects/{projectId}/participants/new", EnrolAsync);
        pages.MapGet("/projects/{projectId}/participants/{id}", TimelineAsync);
        pages.MapPost("/projects/{projectId}/participants/{id}/sessions", LogSessionAsync);
        pages.MapPost("/projects/{projectId}/participants/{id}/left", MarkLeftAsync);
        pages.MapPost("/projects/{projectId}/participants/{id}/tasks/{step}", CompleteTaskAsync);
        pages.MapPost("/projects/{projectId}/participants/{id}/external/{name}", ConfirmExternalAsync);
        pages.MapGet("/projects/{projectId}/participants/{id}/link", ShowLinkAsync);
        pages.MapPost("/projects/{projectId}/participants/{id}/link", NewLinkAsync);
        pages.MapGet("/projects/{projectId}/participants/{id}/forms/{form}", AssistedShowAsync);
        pages.MapPost("/projects/{projectId}/participants/{id}/forms/{form}", AssistedPostAsync);
        pages.MapGet("/projects/{projectId}/participants/{id}/forms/{form}/done", (string projectId, string id) =>
            FormFlow.SeeOther($"/coordinator/projects/{projectId}/participants/{id}?saved=form"));
    }

    // ---------- projects ----------

    private static IResult ProjectsAsync(HttpContext context, ProjectCatalog catalog, IAntiforgery antiforgery)
    {
        var page = Page(context, antiforgery);
        var mine = catalog.All.Where(p => MayOpen(context.User, p)).ToList();
        var title = page.T("projects-title");
        return CoordinatorLayout.Content(CoordinatorLayout.Render(page, title, html =>
        {
            html.Raw("<h1>").Text(title).Raw("</h1>");
            if (mine.Count == 0)
            {
                html.Raw("<p>").Text(page.T("no-projects")).Raw("</p>");
                return;
            }

            html.Raw("<ul>");
            foreach (var project in mine)
            {
                html.Raw($"<li><a href=\"{Html.Encode(page.Href($"/coordinator/projects/{project.Id}"))}\">").Text(project.Name).Raw("</a> ")
                    .Text($"({project.Id}, {page.T("project-ends", ("date", Day(project.EndDate)))})").Raw("</li>");
            }

            html.Raw("</ul>");
        }));
    }

    private static async Task<IResult> ProjectAsync(string projectId, HttpContext context, ProjectCatalog catalog, ParticipantService participants, InstanceStore instances, TableServiceClient tables, EngineOptions engineOptions, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        if (Find(catalog, context.User, projectId) is not { } project)
        {
            return NotFound(page);
        }

        var list = await participants.ListAsync(project.Id, UserName(context.User), cancellationToken);
        var states = new Dictionary<string, InstanceState?>(StringComparer.Ordinal);
        foreach (var participant in list)
        {
            states[participant.InstanceId] = (await instances.LoadAsync(participant.InstanceId, cancellationToken))?.State;
        }

        var tasks = await OpenTasksAsync(Tasks(tables, engineOptions), project.Id + ".", states, cancellationToken);
        return CoordinatorLayout.Content(CoordinatorLayout.Render(page, project.Name, html =>
        {
            html.Raw($"<p><a href=\"{Html.Encode(page.Href("/coordinator"))}\">").Text(page.T("back-to-projects")).Raw("</a></p>")
                .Raw("<h1>").Text(project.Name).Raw("</h1>")
                .Raw($"<p><a href=\"{Html.Encode(page.Href($"/coordinator/projects/{project.Id}/participants/new"))}\">").Text(page.T("enrol-link")).Raw("</a></p>")
                .Raw("<h2>").Text(page.T("participants-title")).Raw("</h2>");
            if (list.Count == 0)
            {
                html.Raw("<p>").Text(page.T("no-participants")).Raw("</p>");
            }
            else
            {
                html.Raw("<table><thead><tr>");
                foreach (var key in new[] { "col-name", "col-language", "col-state", "col-entry", "col-exit", "col-six-month" })
                {
                    html.Raw("<th scope=\"col\">").Text(page.T(key)).Raw("</th>");
                }

                html.Raw("</tr></thead><tbody>");
                foreach (var participant in list)
                {
                    html.Raw($"<tr><th scope=\"row\"><a href=\"{Html.Encode(page.Href($"/coordinator/projects/{project.Id}/participants/{participant.Id}"))}\">")
                        .Text($"{participant.FirstName} {participant.LastName}").Raw("</a></th><td>").Text(participant.Language).Raw("</td><td>")
                        .Text(State(page, states[participant.InstanceId])).Raw("</td><td>").Text(Received(page, participant.EntryReceivedAt))
                        .Raw("</td><td>").Text(Received(page, participant.ExitReceivedAt)).Raw("</td><td>").Text(Received(page, participant.SixMonthReceivedAt)).Raw("</td></tr>");
                }

                html.Raw("</tbody></table>");
            }

            html.Raw("<h2>").Text(page.T("open-tasks-title")).Raw("</h2>");
            if (tasks.Count == 0)
            {
                html.Raw("<p>").Text(page.T("no-open-tasks")).Raw("</p>");
                return;
            }

            html.Raw("<table><thead><tr><th scope=\"col\">").Text(page.T("col-task")).Raw("</th><th scope=\"col\">").Text(page.T("col-participant")).Raw("</th></tr></thead><tbody>");
            foreach (var task in tasks)
            {
                var who = list.FirstOrDefault(p => p.InstanceId == task.InstanceId);
                html.Raw("<tr><td>").Text(task.Title(page.Language)).Raw("</td><td>");
                if (who is not null)
                {
                    html.Raw($"<a href=\"{Html.Encode(page.Href($"/coordinator/projects/{project.Id}/participants/{who.Id}"))}\">").Text($"{who.FirstName} {who.LastName}").Raw("</a>");
                }

                html.Raw("</td></tr>");
            }

            html.Raw("</tbody></table>");
        }));
    }

    // ---------- enrolment ----------

    private static IResult EnrolPage(string projectId, HttpContext context, ProjectCatalog catalog, IAntiforgery antiforgery)
    {
        var page = Page(context, antiforgery);
        return Find(catalog, context.User, projectId) is { } project
            ? EnrolForm(page, project, new Enrolment("", "", "fi", "", "", false), [], StatusCodes.Status200OK)
            : NotFound(page);
    }

    private static async Task<IResult> EnrolAsync(string projectId, HttpContext context, ProjectCatalog catalog, ParticipantService participants, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ReadAsync(context, antiforgery) is not { } posted)
        {
            return BadRequest(context, antiforgery);
        }

        var page = Page(context, antiforgery, posted["lang"]);
        if (Find(catalog, context.User, projectId) is not { } project)
        {
            return NotFound(page);
        }

        var enrolment = new Enrolment(
            posted["firstName"].ToString(), posted["lastName"].ToString(), posted["language"].ToString(),
            posted["email"].ToString(), posted["phone"].ToString(), posted["intakeInPerson"].ToString() is "on" or "true");
        var problems = ParticipantService.Check(enrolment, out _, out _);
        if (problems.Count > 0)
        {
            return EnrolForm(page, project, enrolment, problems, StatusCodes.Status422UnprocessableEntity);
        }

        var participant = await participants.EnrolAsync(project, enrolment, UserName(context.User), cancellationToken);
        return FormFlow.SeeOther(page.Href($"/coordinator/projects/{project.Id}/participants/{participant.Id}"));
    }

    private static IResult EnrolForm(PageContext page, Project project, Enrolment values, IReadOnlyList<string> problems, int status)
    {
        var title = page.T("enrol-title");
        var action = $"/coordinator/projects/{project.Id}/participants/new";
        return CoordinatorLayout.Content(CoordinatorLayout.Render(page with { Path = action }, $"{title} – {project.Name}", html =>
        {
            html.Raw($"<p><a href=\"{Html.Encode(page.Href($"/coordinator/projects/{project.Id}"))}\">").Text(page.T("back-to-project")).Raw("</a></p>")
                .Raw("<h1>").Text(title).Raw("</h1><p>").Text(project.Name).Raw("</p>");
            ErrorSummary(html, page, problems.Select(p => (FieldOf(p), page.T(p))));
            html.Raw($"<form method=\"post\" action=\"{Html.Encode(action)}\" novalidate>{page.Hidden}");
            TextField(html, page, "firstName", "text", page.T("first-name"), values.FirstName, problems, "first-name-invalid", "given-name");
            TextField(html, page, "lastName", "text", page.T("last-name"), values.LastName, problems, "last-name-invalid", "family-name");
            html.Raw("<label for=\"language\">").Text(page.T("language")).Raw("</label>");
            FieldError(html, page, problems, "language", "language-invalid");
            html.Raw($"<select id=\"language\" name=\"language\"{Invalid(problems, "language", "language-invalid")}>");
            foreach (var language in WorkflowLoader.AllowedLanguages)
            {
                html.Raw($"<option value=\"{language}\"{(language == values.Language ? " selected" : "")}>").Text(LanguageName(language)).Raw("</option>");
            }

            html.Raw("</select>").Raw("<p id=\"contact-hint\">").Text(page.T("contact-hint")).Raw("</p>");
            TextField(html, page, "email", "email", page.T("email"), values.Email, problems, "email-invalid", "email", "contact-required");
            TextField(html, page, "phone", "tel", page.T("phone"), values.Phone, problems, "phone-invalid", "tel");
            html.Raw($"<p class=\"check\"><input type=\"checkbox\" id=\"intakeInPerson\" name=\"intakeInPerson\" value=\"on\"{(values.IntakeInPerson ? " checked" : "")}> <label for=\"intakeInPerson\">")
                .Text(page.T("intake-in-person")).Raw("</label></p>")
                .Raw("<button type=\"submit\">").Text(page.T("enrol-button")).Raw("</button></form>");
        }), status);
    }

    private static string FieldOf(string problem) => problem switch
    {
        "first-name-invalid" => "firstName",
        "last-name-invalid" => "lastName",
        "language-invalid" => "language",
        "email-invalid" or "contact-required" => "email",
        "phone-invalid" => "phone",
        _ => "firstName",
    };

    private static void TextField(Html html, PageContext page, string name, string type, string label, string? value, IReadOnlyList<string> problems, params string[] keysAndAutocomplete)
    {
        var autocomplete = keysAndAutocomplete[1];
        var keys = keysAndAutocomplete.Where((_, i) => i != 1).ToArray();
        html.Raw($"<label for=\"{name}\">").Text(label).Raw("</label>");
        FieldError(html, page, problems, name, keys);
        var described = keys.Any(problems.Contains) ? $" aria-describedby=\"{name}-error\"" : "";
        html.Raw($"<input type=\"{type}\" id=\"{name}\" name=\"{name}\" value=\"{Html.Encode(value)}\" autocomplete=\"{autocomplete}\"{Invalid(problems, name, keys)}{described}>");
    }

    private static void FieldError(Html html, PageContext page, IReadOnlyList<string> problems, string name, params string[] keys)
    {
        var mine = keys.Where(problems.Contains).ToList();
        if (mine.Count > 0)
        {
            html.Raw($"<p class=\"err\" id=\"{name}-error\">").Text(string.Join(" ", mine.Select(k => page.T(k)))).Raw("</p>");
        }
    }

    private static string Invalid(IReadOnlyList<string> problems, string name, params string[] keys) =>
        keys.Any(problems.Contains) ? " aria-invalid=\"true\"" : "";

    private static void ErrorSummary(Html html, PageContext page, IEnumerable<(string Field, string Text)> errors)
    {
        var list = errors.ToList();
        if (list.Count == 0)
        {
            return;
        }

        html.Raw("<div class=\"summary\" role=\"alert\" aria-labelledby=\"errors-title\"><h2 id=\"errors-title\">").Text(page.T("errors-title")).Raw("</h2><ul>");
        foreach (var (field, text) in list)
        {
            html.Raw($"<li><a href=\"#{Html.Encode(field)}\">").Text(text).Raw("</a></li>");
        }

        html.Raw("</ul></div>");
    }

    // ---------- timeline ----------

    /// <summary>A problem to show on the timeline next to the action that caused it, with the values typed.</summary>
    private sealed record ActionError(string Action, string Field, string Text, IFormCollection Posted);

    private static async Task<IResult> TimelineAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
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
            ? saved == "link" ? page.T("new-link-sent", ("channel", context.Request.Query["channel"].ToString())) : page.T("saved")
            : null;
        return await RenderTimelineAsync(page, project, participant, services, null, note, cancellationToken);
    }

    private static async Task<IResult> RenderTimelineAsync(
        PageContext page, Project project, Participant participant, IServiceProvider services, ActionError? error, string? note, CancellationToken cancellationToken)
    {
        var instances = services.GetRequiredService<InstanceStore>();
        var state = (await instances.LoadAsync(participant.InstanceId, cancellationToken))?.State;
        var history = state is null ? [] : await instances.HistoryAsync(participant.InstanceId, cancellationToken);
        var responses = await services.GetRequiredService<FormResponses>().AllAsync(participant.Id, cancellationToken);
        var sessions = await services.GetRequiredService<ParticipantService>().SessionsAsync(participant, cancellationToken);
        var audit = await services.GetRequiredService<AuditLog>().ReadAsync(project.Id, participant.Id, 100, cancellationToken);
        var tasks = await OpenTasksAsync(
            Tasks(services.GetRequiredService<TableServiceClient>(), services.GetRequiredService<EngineOptions>()), participant.InstanceId + ".",
            new Dictionary<string, InstanceState?>(StringComparer.Ordinal) { [participant.InstanceId] = state }, cancellationToken);
        var messages = await services.GetRequiredService<MessageLog>().ForInstanceAsync(participant.InstanceId, cancellationToken);
        var assistedForms = AssistedForms(services, state);
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

            html.Raw("<h2>").Text(page.T("details-title")).Raw("</h2><dl class=\"kv\">");
            Pair(html, page.T("col-language"), LanguageName(participant.Language));
            Pair(html, page.T("email"), participant.Email ?? "–");
            Pair(html, page.T("phone"), participant.Phone ?? "–");
            Pair(html, page.T("enrolled"), Time(participant.EnrolledAt));
            Pair(html, page.T("enrolled-by"), participant.EnrolledBy);
            Pair(html, page.T("left-at"), participant.LeftAt is { } left ? Day(DateOnly.FromDateTime(left.UtcDateTime)) : "–");
            Pair(html, page.T("col-entry"), Received(page, participant.EntryReceivedAt) + (participant.StatusAtEntry is { } se ? $" ({se})" : ""));
            Pair(html, page.T("col-exit"), Received(page, participant.ExitReceivedAt) + (participant.StatusAtExit is { } sx ? $" ({sx})" : ""));
            Pair(html, page.T("col-six-month"), Received(page, participant.SixMonthReceivedAt) + (participant.StatusAtSixMonths is { } ss ? $" ({ss})" : ""));
            html.Raw("</dl>");

            html.Raw("<h2>").Text(page.T("instance-title")).Raw("</h2><dl class=\"kv\">");
            Pair(html, page.T("instance-status"), State(page, state));
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

            if (state?.Awaiting is { } awaiting && awaiting.StartsWith("confirm:", StringComparison.Ordinal))
            {
                var external = awaiting["confirm:".Length..];
                html.Raw("<section class=\"action\"><h3>").Text(page.T("confirm-external-title")).Raw("</h3><p>").Text(page.T("confirm-external-body", ("name", external))).Raw("</p>")
                    .Raw($"<form method=\"post\" action=\"{Html.Encode($"{basePath}/external/{Uri.EscapeDataString(external)}")}\">{page.Hidden}<button type=\"submit\">")
                    .Text(page.T("confirm-external-button")).Raw("</button></form></section>");
            }

            if (state?.Awaiting is { } awaitingForm && awaitingForm.StartsWith("form:", StringComparison.Ordinal))
            {
                html.Raw("<section class=\"action\"><h3>").Text(page.T("link-title")).Raw("</h3>")
                    .Raw($"<p><a href=\"{Html.Encode(page.Href($"{basePath}/link"))}\">").Text(page.T("show-qr")).Raw("</a></p>")
                    .Raw($"<form method=\"post\" action=\"{Html.Encode($"{basePath}/link")}\">{page.Hidden}<button type=\"submit\">").Text(page.T("send-new-link")).Raw("</button></form></section>");
            }

            if (assistedForms.Count > 0)
            {
                html.Raw("<section class=\"action\"><h3>").Text(page.T("fill-assisted-title")).Raw("</h3><ul>");
                foreach (var form in assistedForms.Where(f => !responses.Any(r => r.Form == f)))
                {
                    html.Raw($"<li><a href=\"{Html.Encode($"{basePath}/forms/{form}?lang={participant.Language}")}\">").Text(page.T("fill-assisted-link", ("form", form))).Raw("</a></li>");
                }

                html.Raw("</ul></section>");
            }

            SessionForm(html, page, basePath, error);
            if (participant.LeftAt is null)
            {
                var posted = error?.Action == "left" ? error.Posted["leftOn"].ToString() : Day(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(services.GetRequiredService<TimeProvider>().GetUtcNow(), Zone).DateTime));
                html.Raw("<section class=\"action\"><h3>").Text(page.T("mark-left-title")).Raw("</h3>")
                    .Raw($"<form method=\"post\" action=\"{Html.Encode($"{basePath}/left")}\" novalidate>{page.Hidden}<label for=\"leftOn\">").Text(page.T("left-date")).Raw("</label>");
                InlineError(html, error, "left", "leftOn");
                html.Raw($"<input type=\"date\" id=\"leftOn\" name=\"leftOn\" value=\"{Html.Encode(posted)}\"{(error?.Action == "left" ? " aria-invalid=\"true\" aria-describedby=\"leftOn-error\"" : "")}>")
                    .Raw("<button type=\"submit\">").Text(page.T("mark-left-button")).Raw("</button></form></section>");
            }

            // ---- timeline ----
            html.Raw("<h2>").Text(page.T("history-title")).Raw("</h2>");
            Table(html, page, ["col-when", "col-what", "col-step", "col-detail"], history.OrderByDescending(h => h.Sequence).Select(h => new[] { Time(h.At), h.Kind, h.Step ?? "", h.Detail }));

            html.Raw("<h2>").Text(page.T("messages-title")).Raw("</h2>");
            if (messages.Count == 0)
            {
                html.Raw("<p>").Text(page.T("no-messages")).Raw("</p>");
            }
            else
            {
                Table(html, page, ["col-when", "col-channel", "col-provider", "col-status"], messages.Reverse().Select(m => new[]
                {
                    Time(m.UpdatedAt), m.Channel, m.Provider, page.T("message-" + m.Status) + (m.Reason is null ? "" : $": {m.Reason}"),
                }));
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
                Table(html, page, ["col-date", "col-minutes", "col-kind", "col-coordinator"], sessions.OrderBy(s => s.Date).Select(s => new[] { Day(s.Date), s.Minutes.ToString(CultureInfo.InvariantCulture), page.T("kind-" + s.Kind), s.Coordinator }));
            }

            html.Raw("<h2>").Text(page.T("audit-title")).Raw("</h2>");
            Table(html, page, ["col-when", "col-actor", "col-what", "col-detail"], audit.Select(a => new[] { Time(a.At), a.Actor, a.Action, a.Detail }));
        }), status);
    }

    private static void TaskForm(Html html, PageContext page, string basePath, OpenTask task, ActionError? error)
    {
        var mine = error?.Action == "task:" + task.Step ? error : null;
        var chosen = mine?.Posted["outcome"].ToString();
        html.Raw("<section class=\"action\"><h3>").Text(page.T("complete-task-title", ("task", task.Title(page.Language)))).Raw("</h3>")
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

    private static void InlineError(Html html, ActionError? error, string action, string field)
    {
        if (error is not null && error.Action == action)
        {
            html.Raw($"<p class=\"err\" id=\"{Html.Encode(field)}-error\">").Text(error.Text).Raw("</p>");
        }
    }

    private static void Pair(Html html, string term, string value) => html.Raw("<dt>").Text(term).Raw("</dt><dd>").Text(value).Raw("</dd>");

    private static void Table(Html html, PageContext page, string[] headers, IEnumerable<string[]> rows)
    {
        html.Raw("<table><thead><tr>");
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

        html.Raw("</tbody></table>");
    }

    // ---------- actions ----------

    private sealed record ActionRequest(PageContext Page, Project Project, Participant Participant, IFormCollection Posted, string User);

    /// <summary>Reads a posted action: checks the antiforgery token and the access, finds the participant.</summary>
    private static async Task<(ActionRequest? Action, IResult? Refusal)> OpenActionAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ReadAsync(context, antiforgery) is not { } posted)
        {
            return (null, BadRequest(context, antiforgery));
        }

        var page = Page(context, antiforgery, posted["lang"]);
        var project = Find(services.GetRequiredService<ProjectCatalog>(), context.User, projectId);
        var participant = project is null ? null : await services.GetRequiredService<ParticipantService>().FindAsync(project.Id, id, cancellationToken);
        return project is null || participant is null
            ? (null, NotFound(page))
            : (new ActionRequest(page, project, participant, posted, UserName(context.User)), null);
    }

    private static IResult Done(ActionRequest action, string saved = "1") =>
        FormFlow.SeeOther(action.Page.Href($"/coordinator/projects/{action.Project.Id}/participants/{action.Participant.Id}?saved={saved}"));

    private static Task<IResult> RefuseAsync(ActionRequest action, IServiceProvider services, string kind, string field, string text, CancellationToken cancellationToken) =>
        RenderTimelineAsync(action.Page, action.Project, action.Participant, services, new ActionError(kind, field, text, action.Posted), null, cancellationToken);

    private static async Task<IResult> LogSessionAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken);
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

        await services.GetRequiredService<ParticipantService>().LogSessionAsync(action.Participant, date, minutes, posted["kind"].ToString(), action.User, cancellationToken);
        return Done(action);
    }

    private static async Task<IResult> MarkLeftAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
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

    private static async Task<IResult> CompleteTaskAsync(string projectId, string id, string step, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
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

        var refused = await services.GetRequiredService<ParticipantService>().CompleteTaskAsync(action.Participant, step, outcome, reason, action.User, cancellationToken);
        return refused is null
            ? Done(action)
            : await RefuseAsync(action, services, "task:" + step, field, action.Page.T("task-refused", ("reason", refused)), cancellationToken);
    }

    private static async Task<IResult> ConfirmExternalAsync(string projectId, string id, string name, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken);
        if (action is null)
        {
            return refusal!;
        }

        var state = (await services.GetRequiredService<InstanceStore>().LoadAsync(action.Participant.InstanceId, cancellationToken))?.State;
        if (state?.Awaiting != "confirm:" + name)
        {
            return NotFound(action.Page);
        }

        await services.GetRequiredService<ParticipantService>().ConfirmExternalAsync(action.Participant, name, action.User, cancellationToken);
        return Done(action);
    }

    // ---------- links ----------

    private static async Task<IResult> ShowLinkAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        var project = Find(services.GetRequiredService<ProjectCatalog>(), context.User, projectId);
        var participant = project is null ? null : await services.GetRequiredService<ParticipantService>().FindAsync(project.Id, id, cancellationToken);
        if (project is null || participant is null)
        {
            return NotFound(page);
        }

        var state = (await services.GetRequiredService<InstanceStore>().LoadAsync(participant.InstanceId, cancellationToken))?.State;
        var basePath = $"/coordinator/projects/{project.Id}/participants/{participant.Id}";
        if (state?.Awaiting is not { } awaiting || !awaiting.StartsWith("form:", StringComparison.Ordinal))
        {
            return CoordinatorLayout.Message(page with { Path = basePath + "/link" }, StatusCodes.Status404NotFound, "link-title", page.T("no-form-awaited"));
        }

        var form = awaiting["form:".Length..];
        var expiresAt = ExpiryOf(state, services.GetRequiredService<TimeProvider>());
        var token = await services.GetRequiredService<FormLinks>().CurrentAsync(participant, awaiting, expiresAt, replace: false, cancellationToken);
        await services.GetRequiredService<AuditLog>().RecordAsync(UserName(context.User), "show-qr", project.Id, participant.Id, form, cancellationToken);
        var url = LinkUrl(services, token);
        var png = new PngByteQRCode(new QRCodeGenerator().CreateQrCode(url, QRCodeGenerator.ECCLevel.Q)).GetGraphic(8);
        var title = page.T("link-title");
        return CoordinatorLayout.Content(CoordinatorLayout.Render(page with { Path = basePath + "/link" }, title, html =>
        {
            html.Raw($"<p><a href=\"{Html.Encode(page.Href(basePath))}\">").Text(page.T("back-to-participant")).Raw("</a></p>")
                .Raw("<h1>").Text(title).Raw("</h1><p>").Text(page.T("qr-body", ("form", form))).Raw("</p>")
                .Raw($"<p><img alt=\"{Html.Encode(page.T("qr-alt"))}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"></p>")
                .Raw("<p>").Text(url).Raw("</p><p>").Text(page.T("link-expires", ("date", Time(expiresAt)))).Raw("</p>");
        }));
    }

    private static async Task<IResult> NewLinkAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken);
        if (action is null)
        {
            return refusal!;
        }

        var participant = action.Participant;
        var state = (await services.GetRequiredService<InstanceStore>().LoadAsync(participant.InstanceId, cancellationToken))?.State;
        if (state?.Awaiting is not { } awaiting || !awaiting.StartsWith("form:", StringComparison.Ordinal) || state.Step is null)
        {
            return CoordinatorLayout.Message(action.Page, StatusCodes.Status409Conflict, "link-title", action.Page.T("no-form-awaited"));
        }

        var time = services.GetRequiredService<TimeProvider>();
        var token = await services.GetRequiredService<FormLinks>().CurrentAsync(participant, awaiting, ExpiryOf(state, time), replace: true, cancellationToken);
        var channel = participant.Email is not null ? "email" : "sms";
        // The message the step sends, with the new link; written like the workflow's own, named by the instance.
        if (services.GetRequiredService<WorkflowCatalog>().TryGet(state.Workflow, out var definition)
            && definition.Steps.TryGetValue(state.Step, out var step) && step is AskStep ask)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["firstName"] = participant.FirstName, ["link"] = LinkUrl(services, token) };
            var (subject, text) = services.GetRequiredService<MessageTemplates>().Render(ask.Message, channel, participant.Language, values);
            var effectId = $"{participant.InstanceId}.{state.StepEntry}.new-link-{time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";
            await services.GetRequiredService<MessageSender>().SendAsync(effectId, new OutgoingMessage(channel, channel == "email" ? participant.Email! : participant.Phone!, subject, text, participant.Language), cancellationToken);
        }

        await services.GetRequiredService<AuditLog>().RecordAsync(action.User, "send-new-link", action.Project.Id, participant.Id, $"{awaiting[5..]} via {channel}", cancellationToken);
        return FormFlow.SeeOther(action.Page.Href($"/coordinator/projects/{action.Project.Id}/participants/{participant.Id}?saved=link&channel={channel}"));
    }

    private static DateTimeOffset ExpiryOf(InstanceState state, TimeProvider time) =>
        state.Timers.Where(t => t.Kind == "expire").Select(t => (DateTimeOffset?)t.Due).Min() ?? time.GetUtcNow().AddDays(14);

    private static string LinkUrl(IServiceProvider services, string token) =>
        new Uri(services.GetRequiredService<IOptions<AskelOptions>>().Value.PublicBaseUrl, "f/" + token).ToString();

    // ---------- assisted forms ----------

    private static async Task<(FormSession? Session, IResult? Refusal)> OpenFormAsync(
        string projectId, string id, string form, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, string? postedLanguage, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        var project = Find(services.GetRequiredService<ProjectCatalog>(), context.User, projectId);
        var participant = project is null ? null : await services.GetRequiredService<ParticipantService>().FindAsync(project.Id, id, cancellationToken);
        var definition = services.GetRequiredService<FormCatalog>().Find(form);
        if (project is null || participant is null || definition is null)
        {
            return (null, NotFound(page));
        }

        var basePath = $"/coordinator/projects/{project.Id}/participants/{participant.Id}";
        if (await services.GetRequiredService<FormResponses>().IsSubmittedAsync(participant.Id, form, cancellationToken))
        {
            return (null, FormFlow.SeeOther($"{basePath}?saved=form"));
        }

        var language = ParticipantPageEndpoints.Language(context, participant.Language, postedLanguage);
        return (new FormSession(participant, definition, language, $"{basePath}/forms/{form}", Assisted: true, Actor: UserName(context.User)), null);
    }

    private static async Task<IResult> AssistedShowAsync(string projectId, string id, string form, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (session, refusal) = await OpenFormAsync(projectId, id, form, context, services, antiforgery, null, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }

        await services.GetRequiredService<AuditLog>().RecordAsync(session.Actor, "open-form-assisted", session.Participant.ProjectId, session.Participant.Id, form, cancellationToken);
        return await services.GetRequiredService<FormFlow>().ShowAsync(session, context.Request.Query["page"], cancellationToken);
    }

    // FormFlow renders its own <form> without an antiforgery field, so this one post is not token-checked: the
    // sign-in cookie is SameSite=Strict (and App Service's session cookie is sent only to this site), so another
    // site cannot make a signed-in browser post here.
    private static async Task<IResult> AssistedPostAsync(string projectId, string id, string form, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ReadFormAsync(context) is not { } posted)
        {
            return BadRequest(context, antiforgery);
        }

        var (session, refusal) = await OpenFormAsync(projectId, id, form, context, services, antiforgery, posted["lang"], cancellationToken);
        if (session is null)
        {
            return refusal!;
        }

        var result = await services.GetRequiredService<FormFlow>().PostAsync(session, posted, cancellationToken);
        if (await services.GetRequiredService<FormResponses>().IsSubmittedAsync(session.Participant.Id, form, cancellationToken))
        {
            // Filled in together: a task that asked for exactly that is done.
            var state = (await services.GetRequiredService<InstanceStore>().LoadAsync(session.Participant.InstanceId, cancellationToken))?.State;
            if (state?.Awaiting is { } awaiting && awaiting.StartsWith("task:", StringComparison.Ordinal))
            {
                var step = awaiting["task:".Length..];
                var tasks = await OpenTasksAsync(
                    Tasks(services.GetRequiredService<TableServiceClient>(), services.GetRequiredService<EngineOptions>()), session.Participant.InstanceId + ".",
                    new Dictionary<string, InstanceState?>(StringComparer.Ordinal) { [session.Participant.InstanceId] = state }, cancellationToken);
                if (tasks.Any(t => t.Step == step && t.Outcomes.Contains("filled-together")))
                {
                    await services.GetRequiredService<ParticipantService>().CompleteTaskAsync(
                        session.Participant, step, "filled-together", $"{form} filled in together", session.Actor, cancellationToken);
                }
            }
        }

        return result;
    }

    private static IReadOnlyList<string> AssistedForms(IServiceProvider services, InstanceState? state)
    {
        if (state?.Awaiting is not { } awaiting)
        {
            return [];
        }

        if (awaiting.StartsWith("form:", StringComparison.Ordinal))
        {
            return [awaiting["form:".Length..]];
        }

        // A task after an unanswered form: the form is what to fill in together.
        if (awaiting.StartsWith("task:", StringComparison.Ordinal) && services.GetRequiredService<WorkflowCatalog>().TryGet(state.Workflow, out var definition))
        {
            var task = awaiting["task:".Length..];
            return [.. definition.Steps.Values.OfType<AskStep>().Where(a => a.OnExpired == task).Select(a => a.Form).Distinct()];
        }

        return [];
    }

    // ---------- shared ----------

    /// <summary>An open coordinator task: its row in the tasks table, while the instance still waits for it.</summary>
    private sealed record OpenTask(string InstanceId, string Step, JsonObject Task)
    {
        public IReadOnlyList<string> Outcomes => [.. (Task["outcomes"] as JsonArray ?? []).Select(o => o?.GetValue<string>() ?? "").Where(o => o.Length > 0)];

        public string Title(string language) =>
            Task["title"] is JsonObject title
                ? (title[language] ?? title["en"] ?? title["fi"] ?? title.FirstOrDefault().Value)?.GetValue<string>() ?? Step
                : Step;
    }

    private static async Task<IReadOnlyList<OpenTask>> OpenTasksAsync(TableClient tasks, string prefix, IReadOnlyDictionary<string, InstanceState?> states, CancellationToken cancellationToken)
    {
        var open = new List<OpenTask>();
        var end = prefix[..^1] + (char)(prefix[^1] + 1);
        try
        {
            await foreach (var row in tasks.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"open"} and RowKey ge {prefix} and RowKey lt {end}"), cancellationToken: cancellationToken))
            {
                var instanceId = row.GetString("InstanceId") ?? "";
                var step = row.GetString("Step") ?? "";
                if (states.TryGetValue(instanceId, out var state) && state?.Awaiting == "task:" + step && JsonNode.Parse(row.GetString("Task") ?? "{}") is JsonObject task)
                {
                    open.Add(new OpenTask(instanceId, step, task));
                }
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // No task was ever opened: the table does not exist yet.
        }

        return open;
    }

    private static TableClient Tasks(TableServiceClient tables, EngineOptions options) => tables.GetTableClient(options.TasksTable);

    private static bool MayOpen(ClaimsPrincipal user, Project project) =>
        user.IsInRole(AskelRoles.Admin) || project.IsCoordinator(UserName(user));

    /// <summary>The project when the user may open it, else null (answered as 404, not 403: it does not reveal the project).</summary>
    private static Project? Find(ProjectCatalog catalog, ClaimsPrincipal user, string projectId) =>
        catalog.Find(projectId) is { } project && MayOpen(user, project) ? project : null;

    private static string UserName(ClaimsPrincipal user) => user.Identity?.Name ?? "";

    private static PageContext Page(HttpContext context, IAntiforgery antiforgery, string? postedLanguage = null) =>
        new(CoordinatorTexts.LanguageOf(context, postedLanguage), context.Request.Path, UserName(context.User), antiforgery.GetAndStoreTokens(context));

    private static IResult NotFound(PageContext page) =>
        CoordinatorLayout.Message(page, StatusCodes.Status404NotFound, "not-found-title", page.T("not-found-body"));

    private static IResult BadRequest(HttpContext context, IAntiforgery antiforgery)
    {
        var page = Page(context, antiforgery);
        return CoordinatorLayout.Message(page, StatusCodes.Status400BadRequest, "bad-request-title", page.T("bad-request-body"));
    }

    /// <summary>The posted form once its antiforgery token checks out, else null.</summary>
    private static async Task<IFormCollection?> ReadAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (await ReadFormAsync(context) is not { } posted)
        {
            return null;
        }

        try
        {
            await antiforgery.ValidateRequestAsync(context);
            return posted;
        }
        catch (AntiforgeryValidationException)
        {
            return null;
        }
    }

    private static async Task<IFormCollection?> ReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType || context.Request.ContentLength > MaxPostBytes)
        {
            return null;
        }

        try
        {
            return await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null;
        }
    }

    private static string State(PageContext page, InstanceState? state)
    {
        if (state is null)
        {
            return page.T("state-none");
        }

        var parts = new List<string> { state.Status.ToString() };
        if (state.Step is { } step)
        {
            parts.Add(page.T("state-step", ("step", step)));
        }

        if (state.Awaiting is { } awaiting && !state.IsFinished)
        {
            parts.Add(page.T("state-awaiting", ("what", awaiting)));
        }

        if (state.NextTimer is { } timer && !state.IsFinished)
        {
            parts.Add(page.T("state-next-timer", ("when", Time(timer.Due)), ("kind", timer.Kind)));
        }

        return string.Join(", ", parts);
    }

    private static string Received(PageContext page, DateTimeOffset? at) =>
        at is { } when ? page.T("received", ("date", Day(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(when, Zone).DateTime)))) : page.T("not-received");

    private static string Time(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string LanguageName(string language) => language switch
    {
        "fi" => "suomi (fi)",
        "sv" => "svenska (sv)",
        "en" => "English (en)",
        "uk" => "українська (uk)",
        "ru" => "русский (ru)",
        "ar" => "العربية (ar)",
        "so" => "Soomaali (so)",
        "fa" => "فارسی (fa)",
        _ => language,
    };
}
