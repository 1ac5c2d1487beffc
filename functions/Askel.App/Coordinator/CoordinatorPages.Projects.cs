using System.Globalization;
using Askel.App.Coordinator.Components;
using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Definitions;
using Askel.Runtime.Client;
using Microsoft.AspNetCore.Antiforgery;
using static Askel.App.Coordinator.Components.Formats;

namespace Askel.App.Coordinator;

/// <summary>The project list, a project's participants and open tasks, and enrolment.</summary>
public static partial class CoordinatorPages
{
    /// <summary>
    /// The landing page: the work queue over the projects the user may open (<see cref="WorkQueue"/>), then every project
    /// they coordinate or manage. A manager who opens no project sees the list alone.
    /// </summary>
    internal static async Task<IResult> ProjectsAsync(HttpContext context, ProjectCatalog catalog, WorkQueue queue, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        // Projects the user coordinates (or every one, for an admin), and those they only manage: the summary alone.
        var mine = catalog.All.Where(p => MayReadSummary(context.User, p)).ToList();
        var open = mine.Where(p => MayOpen(context.User, p)).ToList();
        var items = open.Count == 0 ? [] : await queue.ForAsync(context.User, open, cancellationToken);
        var digest = context.RequestServices.GetRequiredService<DailyDigest>();
        bool? digestOn = open.Any(p => p.IsCoordinator(context.User)) && Contacts.NormaliseEmail(UserName(context.User)) is not null
            ? await digest.IsOnAsync(UserName(context.User), cancellationToken)
            : null;
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var title = page.T(open.Count == 0 ? "projects-title" : "today-title");
        return new ComponentPage<LandingPage, Landing>(page, new Landing(
            title, open.Count == 0 ? null : items, open.Count > 1, now, digestOn, OutboxAvailable(context.RequestServices),
            [.. mine.Select(p => (p, MayOpen(context.User, p)))]), StatusCodes.Status200OK);
    }

    /// <summary>Switches the signed-in coordinator's daily digest on or off, then back to the landing page.</summary>
    internal static async Task<IResult> SwitchDigestAsync(HttpContext context, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ReadAsync(context, antiforgery) is not { } posted)
        {
            return BadRequest(context, antiforgery);
        }

        var page = Page(context, antiforgery, posted["lang"]);
        await context.RequestServices.GetRequiredService<DailyDigest>().SwitchAsync(UserName(context.User), posted["on"] == "true", cancellationToken);
        return FormFlow.SeeOther(page.Href("/coordinator"));
    }

    /// <summary>How many participants a page of the project's list shows.</summary>
    public const int ParticipantsPerPage = 50;

    internal static Task<IResult> ProjectAsync(string projectId, HttpContext context, ProjectCatalog catalog, ParticipantService participants, IWorkflowClient workflows, OpenTasks openTasks, IAntiforgery antiforgery, CancellationToken cancellationToken) =>
        RenderProjectAsync(projectId, Page(context, antiforgery), ParticipantListQuery.From(name => context.Request.Query[name], posted: false), context, catalog, participants, workflows, openTasks, cancellationToken);

    /// <summary>
    /// The list searched by name, phone or email, with its filters. Posted, so the search text (a name, a number) stays out
    /// of addresses, browser history and logs; the page of results is posted the same way.
    /// </summary>
    internal static async Task<IResult> SearchProjectAsync(string projectId, HttpContext context, ProjectCatalog catalog, ParticipantService participants, IWorkflowClient workflows, OpenTasks openTasks, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ReadAsync(context, antiforgery) is not { } posted)
        {
            return BadRequest(context, antiforgery);
        }

        return await RenderProjectAsync(
            projectId, Page(context, antiforgery, posted["lang"]), ParticipantListQuery.From(name => posted[name], posted: true), context, catalog, participants, workflows, openTasks, cancellationToken);
    }

    /// <summary>The list as searched and filtered, as a CSV or XLSX file (posted like the search); the export is audited.</summary>
    internal static async Task<IResult> ExportListAsync(string projectId, HttpContext context, ProjectCatalog catalog, ParticipantService participants, IWorkflowClient workflows, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (post, refusal) = await OpenProjectPostAsync(projectId, context, catalog, antiforgery);
        if (post is null)
        {
            return refusal!;
        }

        var (page, project, posted) = post;

        var query = ParticipantListQuery.From(name => posted[name], posted: true);
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var list = query.Apply(await participants.ListAsync(project.Id, UserName(context.User), cancellationToken), project, now);
        // One query of the project's statuses (as the work queue reads them), not a read per exported participant.
        var byInstance = (await workflows.QueryAsync(new InstanceQuery(null, null, null, null, int.MaxValue, project.Id + "."), cancellationToken))
            .ToDictionary(s => s.InstanceId, StringComparer.Ordinal);
        var states = list.Select(p => (WorkflowStatus?)byInstance.GetValueOrDefault(p.InstanceId)).ToList();

        var sentence = await SentencesAsync(page, context.RequestServices, states, cancellationToken);
        var columns = new[] { "first-name", "last-name", "col-coordinator", "col-language", "email", "phone", "enrolled", "last-contact", "left-at", "col-state", "col-entry", "col-exit", "col-six-month" };
        static string At(DateTimeOffset? at) => at is { } when ? Time(when) : "";
        var rows = list.Select((p, i) => (IReadOnlyList<Summaries.Rendering.SummaryCell>)[.. new[]
        {
            p.FirstName, p.LastName, CoordinatorOf(page, project, p), p.Language, p.Email ?? "", p.Phone ?? "", At(p.EnrolledAt), At(p.LastContactAt), At(p.LeftAt),
            sentence(states[i]), At(p.EntryReceivedAt), At(p.ExitReceivedAt), At(p.SixMonthReceivedAt),
        }.Select(text => Summaries.Rendering.SummaryCell.Of(text))]).ToList();
        var table = new Summaries.Rendering.SummaryTable("participants", $"{project.Name} – {page.T("participants-title")}", [.. columns.Select(k => page.T(k))], rows);
        var xlsx = posted["format"] == "xlsx";
        await context.RequestServices.GetRequiredService<Audit.AuditLog>().RecordAsync(
            UserName(context.User), "export-list", project.Id, null, $"{list.Count} participants, {(xlsx ? "xlsx" : "csv")}{(query.Narrows ? ", filtered" : "")}", cancellationToken);
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"askel-{project.Id}-participants.{(xlsx ? "xlsx" : "csv")}\"";
        return xlsx
            ? Results.Bytes(Summaries.Rendering.SummaryWorkbook.Xlsx(table, page.Language), Summaries.Rendering.SummaryWorkbook.ContentType)
            : Results.Bytes(Summaries.Rendering.SummaryCsv.Write([table], page.Language), Summaries.Rendering.SummaryCsv.ContentType + "; charset=utf-8");
    }

    private static async Task<IResult> RenderProjectAsync(
        string projectId, PageContext page, ParticipantListQuery query, HttpContext context, ProjectCatalog catalog, ParticipantService participants, IWorkflowClient workflows, OpenTasks openTasks, CancellationToken cancellationToken)
    {
        if (Find(catalog, context.User, projectId) is not { } project)
        {
            return NotFound(page);
        }

        var everyone = await participants.ListAsync(project.Id, UserName(context.User), cancellationToken);
        var found = query.Apply(everyone, project, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        var pages = Math.Max(1, (found.Count + ParticipantsPerPage - 1) / ParticipantsPerPage);
        var pageNumber = Math.Min(query.Page, pages);
        var list = found.Skip((pageNumber - 1) * ParticipantsPerPage).Take(ParticipantsPerPage).ToList();

        // Only the shown participants' workflows are read: a page costs the same with 50 participants or 10,000.
        var states = new Dictionary<string, WorkflowStatus?>(StringComparer.Ordinal);
        foreach (var participant in list)
        {
            var state = await workflows.StatusAsync(participant.InstanceId, cancellationToken);
            if (state is null)
            {
                // Enrolled, but the workflow never started (a crash in between): start it now.
                await participants.StartWorkflowAsync(project, participant, cancellationToken);
                state = await workflows.StatusAsync(participant.InstanceId, cancellationToken);
            }

            states[participant.InstanceId] = state;
        }

        var tasks = await openTasks.ListAsync(project.Id + ".", states, cancellationToken);
        var sentence = await SentencesAsync(page, context.RequestServices, states.Values, cancellationToken);
        return CoordinatorLayout.Content(CoordinatorLayout.Render(page, project.Name, html =>
        {
            html.Raw($"<p><a href=\"{Html.Encode(page.Href("/coordinator"))}\">").Text(page.T("back-to-projects")).Raw("</a></p>")
                .Raw("<h1>").Text(project.Name).Raw("</h1>");
            if (context.Request.Query["saved"] == "erased")
            {
                html.Raw("<p class=\"note\" role=\"status\">").Text(page.T("erased")).Raw("</p>");
            }

            if (int.TryParse(context.Request.Query["grouped"], NumberStyles.None, CultureInfo.InvariantCulture, out var grouped))
            {
                html.Raw("<p class=\"note\" role=\"status\">").Text(page.T("group-session-done", ("count", Number(grouped)))).Raw("</p>");
            }

            if (int.TryParse(context.Request.Query["handedOver"], NumberStyles.None, CultureInfo.InvariantCulture, out var handedOver))
            {
                html.Raw("<p class=\"note\" role=\"status\">").Text(page.T("handover-done", ("count", Number(handedOver)))).Raw("</p>");
            }

            if (int.TryParse(context.Request.Query["importing"], NumberStyles.None, CultureInfo.InvariantCulture, out var imported)
                && int.TryParse(context.Request.Query["skipped"], NumberStyles.None, CultureInfo.InvariantCulture, out var skipped))
            {
                html.Raw("<p class=\"note\" role=\"status\">").Text(page.T("import-done", ("count", Number(imported)), ("skipped", Number(skipped)))).Raw("</p>");
            }

            html.Raw($"<p><a href=\"{Html.Encode(page.Href($"/coordinator/projects/{project.Id}/participants/new"))}\">").Text(page.T("enrol-link")).Raw("</a> · ")
                .Raw($"<a href=\"{Html.Encode(page.Href($"/coordinator/projects/{project.Id}/import"))}\">").Text(page.T("import-link")).Raw("</a> · ")
                .Raw($"<a href=\"{Html.Encode(page.Href($"/coordinator/projects/{project.Id}/summary"))}\">").Text(page.T("summary-link")).Raw("</a></p>")
                .Raw("<h2>").Text(page.T("participants-title")).Raw("</h2>");
            SearchForm(html, page, project, everyone, query);
            html.Raw("<p role=\"status\">").Text(!query.Narrows
                ? page.T("participants-count", ("count", Number(found.Count)))
                : page.T("participants-found", ("count", Number(found.Count)), ("total", Number(everyone.Count)))).Raw("</p>");
            if (list.Count == 0)
            {
                html.Raw("<p>").Text(page.T(!query.Narrows ? "no-participants" : "no-participants-found")).Raw("</p>");
            }
            else
            {
                html.Raw("<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"").Text(page.T("participants-title")).Raw("\"><table><thead><tr>");
                html.Raw("<th scope=\"col\">").Text(page.T("col-select")).Raw("</th>");
                foreach (var key in new[] { "col-name", "col-coordinator", "col-language", "col-state", "col-entry", "col-exit", "col-six-month" })
                {
                    html.Raw("<th scope=\"col\">").Text(page.T(key)).Raw("</th>");
                }

                html.Raw("</tr></thead><tbody>");
                foreach (var participant in list)
                {
                    // Ticked rows go with the group-session form below the table (the form attribute: no form inside a table).
                    html.Raw($"<tr><td><input type=\"checkbox\" form=\"group-session\" name=\"participant\" value=\"{Html.Encode(participant.Id)}\" id=\"select-{Html.Encode(participant.Id)}\" aria-label=\"")
                        .Text(page.T("select-participant", ("name", $"{participant.FirstName} {participant.LastName}"))).Raw("\"></td>")
                        .Raw($"<th scope=\"row\"><a href=\"{Html.Encode(page.Href($"/coordinator/projects/{project.Id}/participants/{participant.Id}"))}\">")
                        .Text($"{participant.FirstName} {participant.LastName}").Raw("</a></th><td>").Text(CoordinatorOf(page, project, participant)).Raw("</td><td>").Text(participant.Language).Raw("</td><td>")
                        .Text(sentence(states[participant.InstanceId])).Raw("</td><td>").Text(Received(page, participant.EntryReceivedAt))
                        .Raw("</td><td>").Text(Received(page, participant.ExitReceivedAt)).Raw("</td><td>").Text(Received(page, participant.SixMonthReceivedAt)).Raw("</td></tr>");
                }

                html.Raw("</tbody></table></div>");
                Pager(html, page, project.Id, query with { Page = pageNumber }, pages);
                GroupSessionForm(html, page, project, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
            }

            HandOverForm(html, page, project, everyone);
            html.Raw("<h2>").Text(page.T("open-tasks-title")).Raw("</h2>");
            if (tasks.Count == 0)
            {
                html.Raw("<p>").Text(page.T("no-open-tasks")).Raw("</p>");
                return;
            }

            html.Raw("<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"").Text(page.T("open-tasks-title")).Raw("\"><table><thead><tr><th scope=\"col\">").Text(page.T("col-task")).Raw("</th><th scope=\"col\">").Text(page.T("col-participant")).Raw("</th></tr></thead><tbody>");
            var byInstance = everyone.ToDictionary(p => p.InstanceId, StringComparer.Ordinal);
            foreach (var task in tasks)
            {
                var who = byInstance.GetValueOrDefault(task.InstanceId);
                html.Raw("<tr><td>").Text(task.Title(page.Language)).Raw("</td><td>");
                if (who is not null)
                {
                    html.Raw($"<a href=\"{Html.Encode(page.Href($"/coordinator/projects/{project.Id}/participants/{who.Id}"))}\">").Text($"{who.FirstName} {who.LastName}").Raw("</a>");
                }

                html.Raw("</td></tr>");
            }

            html.Raw("</tbody></table></div>");
        }));
    }


    /// <summary>Hands every participant of one coordinator (who may have left the project) over to a coordinator of the project.</summary>
    internal static async Task<IResult> HandOverAsync(string projectId, HttpContext context, ProjectCatalog catalog, ParticipantService participants, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (post, refusal) = await OpenProjectPostAsync(projectId, context, catalog, antiforgery);
        if (post is null)
        {
            return refusal!;
        }

        var (page, project, posted) = post;

        var (from, to) = (posted["from"].ToString(), posted["to"].ToString());
        if (!project.IsCoordinator(to) || string.Equals(from, to, StringComparison.OrdinalIgnoreCase))
        {
            return CoordinatorLayout.Message(page, StatusCodes.Status422UnprocessableEntity, "handover-title", page.T("handover-invalid"));
        }

        var count = 0;
        foreach (var participant in await participants.ListAsync(project.Id, UserName(context.User), cancellationToken))
        {
            if (string.Equals(participant.AssignedCoordinator(), from, StringComparison.OrdinalIgnoreCase)
                && await participants.ReassignAsync(project, participant, to, UserName(context.User), cancellationToken))
            {
                count++;
            }
        }

        return FormFlow.SeeOther(page.Href($"/coordinator/projects/{project.Id}?handedOver={Number(count)}"));
    }

    /// <summary>Logs one group session for every participant ticked on the list.</summary>
    internal static async Task<IResult> LogGroupSessionAsync(string projectId, HttpContext context, ProjectCatalog catalog, ParticipantService participants, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (post, refusal) = await OpenProjectPostAsync(projectId, context, catalog, antiforgery);
        if (post is null)
        {
            return refusal!;
        }

        var (page, project, posted) = post;

        var ids = posted["participant"].OfType<string>().Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).Take(ParticipantsPerPage).ToList();
        if (ids.Count == 0
            || !DateOnly.TryParseExact(posted["date"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || !int.TryParse(posted["minutes"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes is < 1 or > 600)
        {
            return CoordinatorLayout.Message(page, StatusCodes.Status422UnprocessableEntity, "group-session-title", page.T("group-session-invalid"));
        }

        var logged = 0;
        foreach (var id in ids)
        {
            if (await participants.FindAsync(project.Id, id, cancellationToken) is { } participant)
            {
                await participants.LogSessionAsync(participant, date, minutes, "group", UserName(context.User), cancellationToken);
                logged++;
            }
        }

        return FormFlow.SeeOther(page.Href($"/coordinator/projects/{project.Id}?grouped={Number(logged)}"));
    }

    private static void GroupSessionForm(Html html, PageContext page, Project project, DateTimeOffset now)
    {
        var today = Day(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime));
        html.Raw("<section class=\"action\" id=\"group\"><h3>").Text(page.T("group-session-title")).Raw("</h3><p>").Text(page.T("group-session-body")).Raw("</p>")
            .Raw($"<form method=\"post\" id=\"group-session\" action=\"{Html.Encode($"/coordinator/projects/{project.Id}/sessions")}\" class=\"filters\">{page.Hidden}")
            .Raw("<p><label for=\"group-date\">").Text(page.T("session-date")).Raw($"</label><input type=\"date\" id=\"group-date\" name=\"date\" value=\"{today}\"></p>")
            .Raw("<p><label for=\"group-minutes\">").Text(page.T("session-minutes")).Raw("</label><input type=\"number\" id=\"group-minutes\" name=\"minutes\" min=\"1\" max=\"600\" value=\"90\"></p>")
            .Raw("<p><button type=\"submit\">").Text(page.T("group-session-button")).Raw("</button></p></form></section>");
    }

    // The coordinator's name, or that there is none: theirs no longer coordinates the project.
    private static string CoordinatorOf(PageContext page, Project project, Participant participant) =>
        project.IsCoordinator(participant.AssignedCoordinator()) ? participant.AssignedCoordinator() : page.T("without-coordinator", ("name", participant.AssignedCoordinator()));

    // From any coordinator the list names (those gone from the project too) to one of the project's coordinators.
    private static void HandOverForm(Html html, PageContext page, Project project, IReadOnlyList<Participant> everyone)
    {
        var holders = everyone.GroupBy(p => p.AssignedCoordinator(), StringComparer.OrdinalIgnoreCase).Select(g => (Name: g.Key, Count: g.Count())).OrderBy(h => h.Name, StringComparer.OrdinalIgnoreCase).ToList();
        if (holders.Count == 0)
        {
            return;
        }

        html.Raw("<section class=\"action\" id=\"handover\"><h2>").Text(page.T("handover-title")).Raw("</h2><p>").Text(page.T("handover-body")).Raw("</p>")
            .Raw($"<form method=\"post\" action=\"{Html.Encode($"/coordinator/projects/{project.Id}/handover")}\">{page.Hidden}")
            .Raw("<label for=\"handover-from\">").Text(page.T("handover-from")).Raw("</label><select id=\"handover-from\" name=\"from\">");
        foreach (var (name, count) in holders)
        {
            var label = project.IsCoordinator(name) ? name : page.T("without-coordinator", ("name", name));
            html.Raw($"<option value=\"{Html.Encode(name)}\">").Text($"{label} ({Number(count)})").Raw("</option>");
        }

        html.Raw("</select><label for=\"handover-to\">").Text(page.T("handover-to")).Raw("</label><select id=\"handover-to\" name=\"to\">");
        foreach (var name in project.Coordinators)
        {
            html.Raw($"<option value=\"{Html.Encode(name)}\">").Text(name).Raw("</option>");
        }

        html.Raw("</select> <button type=\"submit\">").Text(page.T("handover-button")).Raw("</button></form></section>");
    }

    internal static IResult EnrolPage(string projectId, HttpContext context, ProjectCatalog catalog, IAntiforgery antiforgery)
    {
        var page = Page(context, antiforgery);
        return Find(catalog, context.User, projectId) is { } project
            ? EnrolForm(page, project, new Enrolment("", "", "fi", "", "", false, NewEnrolmentKey()), [], [], StatusCodes.Status200OK)
            : NotFound(page);
    }

    internal static async Task<IResult> EnrolAsync(string projectId, HttpContext context, ProjectCatalog catalog, ParticipantService participants, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (post, refusal) = await OpenProjectPostAsync(projectId, context, catalog, antiforgery);
        if (post is null)
        {
            return refusal!;
        }

        var (page, project, posted) = post;

        // A form without a well-formed key (one cached from before keys, or tampered with) enrols once with a new key.
        var key = posted["enrolmentKey"].ToString() is { Length: 32 } k && k.All(char.IsAsciiHexDigitLower) ? k : NewEnrolmentKey();
        var enrolment = new Enrolment(
            posted["firstName"].ToString(), posted["lastName"].ToString(), posted["language"].ToString(),
            posted["email"].ToString(), posted["phone"].ToString(), posted["intakeInPerson"].ToString() is "on" or "true", key);
        var problems = ParticipantService.Check(enrolment, out _, out _);
        if (problems.Count > 0)
        {
            return EnrolForm(page, project, enrolment, problems, [], StatusCodes.Status422UnprocessableEntity);
        }

        var coordinator = UserName(context.User);
        // Someone with this email address or number is in the project already: enrol only when the coordinator says
        // it is another person. A repeat of a post that already enrolled goes to that participant without asking.
        if (posted["sameContactConfirmed"].ToString() != "on"
            && await participants.FindAsync(project.Id, ParticipantService.IdFor(project.Id, key), cancellationToken) is null
            && await participants.SameContactAsync(project, enrolment, coordinator, cancellationToken) is { Count: > 0 } same)
        {
            return EnrolForm(page, project, enrolment, [], same, StatusCodes.Status409Conflict);
        }

        var participant = await participants.EnrolAsync(project, enrolment, coordinator, cancellationToken);
        return FormFlow.SeeOther(page.Href($"/coordinator/projects/{project.Id}/participants/{participant.Id}"));
    }

    private static string NewEnrolmentKey() => Guid.NewGuid().ToString("N");

    private static IResult EnrolForm(PageContext page, Project project, Enrolment values, IReadOnlyList<string> problems, IReadOnlyList<SameContact> same, int status)
    {
        var title = page.T("enrol-title");
        var action = $"/coordinator/projects/{project.Id}/participants/new";
        return CoordinatorLayout.Content(CoordinatorLayout.Render(page with { Path = action }, $"{title} – {project.Name}", html =>
        {
            html.Raw($"<p><a href=\"{Html.Encode(page.Href($"/coordinator/projects/{project.Id}"))}\">").Text(page.T("back-to-project")).Raw("</a></p>")
                .Raw("<h1>").Text(title).Raw("</h1><p>").Text(project.Name).Raw("</p>");
            ErrorSummary(html, page, problems.Select(p => (FieldOf(p), page.T(p))));
            SameContactWarning(html, page, project, same);
            html.Raw($"<form method=\"post\" action=\"{Html.Encode(action)}\" novalidate>{page.Hidden}")
                .Raw($"<input type=\"hidden\" name=\"enrolmentKey\" value=\"{Html.Encode(values.Key)}\">");
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
                .Text(page.T("intake-in-person")).Raw("</label></p>");
            if (same.Count > 0)
            {
                html.Raw("<p class=\"check\"><input type=\"checkbox\" id=\"sameContactConfirmed\" name=\"sameContactConfirmed\" value=\"on\"> <label for=\"sameContactConfirmed\">")
                    .Text(page.T("same-contact-confirm")).Raw("</label></p>");
            }

            html.Raw("<button type=\"submit\">").Text(page.T("enrol-button")).Raw("</button></form>");
        }), status);
    }

    // Who in the project already has this email address or number, each a link to their timeline.
    private static void SameContactWarning(Html html, PageContext page, Project project, IReadOnlyList<SameContact> same)
    {
        if (same.Count == 0)
        {
            return;
        }

        html.Raw("<div class=\"summary\" role=\"alert\" aria-labelledby=\"same-contact-title\"><h2 id=\"same-contact-title\">").Text(page.T("same-contact-title"))
            .Raw("</h2><p>").Text(page.T("same-contact-body")).Raw("</p><ul>");
        foreach (var (participant, channel) in same)
        {
            html.Raw($"<li><a href=\"{Html.Encode(page.Href($"/coordinator/projects/{project.Id}/participants/{participant.Id}"))}\">")
                .Text($"{participant.FirstName} {participant.LastName}").Raw("</a> – ").Text(page.T(channel == "email" ? "same-contact-email" : "same-contact-phone")).Raw("</li>");
        }

        html.Raw("</ul></div>");
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

    // One form: the search, the filters and the order, posted (the search text stays out of addresses); it also exports the list.
    private static void SearchForm(Html html, PageContext page, Project project, IReadOnlyList<Participant> everyone, ParticipantListQuery query)
    {
        var action = $"/coordinator/projects/{project.Id}";
        html.Raw($"<form method=\"post\" action=\"{Html.Encode(action)}\" role=\"search\" class=\"filters\">{page.Hidden}")
            .Raw("<p><label for=\"q\">").Text(page.T("search-label")).Raw("</label>")
            .Raw($"<input type=\"search\" id=\"q\" name=\"q\" maxlength=\"200\" autocomplete=\"off\" value=\"{Html.Encode(query.Search)}\"></p>");
        var coordinators = everyone.Select(p => p.AssignedCoordinator()).Concat(project.Coordinators)
            .Where(project.IsCoordinator).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)
            .Select(c => (c, c)).Append((ParticipantListQuery.NoCoordinator, page.T("filter-no-coordinator")));
        Choice(html, page, "state", "filter-state", query.State, ParticipantListQuery.States.Select(v => (v, page.T("filter-state-" + v))));
        Choice(html, page, "coordinator", "col-coordinator", query.Coordinator, coordinators);
        Choice(html, page, "form", "filter-form", query.Form, ParticipantListQuery.Forms.Select(v => (v, page.T("filter-form-" + v))));
        Choice(html, page, "language", "col-language", query.Language, everyone.Select(p => p.Language).Distinct().Order(StringComparer.Ordinal).Select(l => (l, LanguageName(l))));
        Choice(html, page, "sort", "sort-label", query.Sort, ParticipantListQuery.Sorts.Select(v => (v, page.T("sort-" + v))), any: false);
        html.Raw("<p><button type=\"submit\">").Text(page.T("search-button")).Raw("</button>");
        if (query.Narrows || query.Sort != ParticipantListQuery.Sorts[0])
        {
            html.Raw($" <a href=\"{Html.Encode(page.Href(action))}\">").Text(page.T("search-clear")).Raw("</a>");
        }

        html.Raw("</p><p>");
        foreach (var format in new[] { "csv", "xlsx" })
        {
            html.Raw($"<button type=\"submit\" name=\"format\" value=\"{format}\" formaction=\"{Html.Encode(action + "/export")}\">").Text(page.T("export-list-" + format)).Raw("</button> ");
        }

        html.Raw("</p></form>");
    }

    private static void Choice(Html html, PageContext page, string name, string labelKey, string? current, IEnumerable<(string Value, string Text)> options, bool any = true)
    {
        html.Raw($"<p><label for=\"filter-{name}\">").Text(page.T(labelKey)).Raw($"</label><select id=\"filter-{name}\" name=\"{name}\">");
        if (any)
        {
            html.Raw("<option value=\"\">").Text(page.T("filter-any")).Raw("</option>");
        }

        foreach (var (value, text) in options)
        {
            html.Raw($"<option value=\"{Html.Encode(value)}\"{(value == current ? " selected" : "")}>").Text(text).Raw("</option>");
        }

        html.Raw("</select></p>");
    }

    /// <summary>Links to the other pages of the list (its filters in the address); of a search, buttons that post it again.</summary>
    private static void Pager(Html html, PageContext page, string projectId, ParticipantListQuery query, int pages)
    {
        if (pages == 1)
        {
            return;
        }

        html.Raw("<nav class=\"pager\" aria-label=\"").Text(page.T("pager-label")).Raw("\"><p>").Text(page.T("pager-position", ("page", Number(query.Page)), ("pages", Number(pages)))).Raw("</p>");
        foreach (var (target, key) in new[] { (query.Page - 1, "pager-previous"), (query.Page + 1, "pager-next") })
        {
            if (target < 1 || target > pages)
            {
                continue;
            }

            if (query.Search is null)
            {
                var filters = query.Filters.Length == 0 ? "" : query.Filters + "&";
                html.Raw($"<a href=\"{Html.Encode(page.Href($"/coordinator/projects/{projectId}?{filters}page={Number(target)}"))}\">").Text(page.T(key)).Raw("</a> ");
            }
            else
            {
                html.Raw($"<form method=\"post\" action=\"{Html.Encode($"/coordinator/projects/{projectId}")}\">{page.Hidden}");
                foreach (var (name, value) in new[] { ("q", query.Search), ("state", query.State), ("coordinator", query.Coordinator), ("form", query.Form), ("language", query.Language), ("sort", query.Sort) })
                {
                    if (value is not null)
                    {
                        html.Raw($"<input type=\"hidden\" name=\"{name}\" value=\"{Html.Encode(value)}\">");
                    }
                }

                html.Raw($"<input type=\"hidden\" name=\"page\" value=\"{Number(target)}\"><button type=\"submit\">").Text(page.T(key)).Raw("</button></form> ");
            }
        }

        html.Raw("</nav>");
    }

}
