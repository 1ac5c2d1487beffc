using System.Globalization;
using Askel.App.Coordinator.Components;
using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Projects;
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
        var read = open.Count == 0 ? new QueueRead([], [], []) : await queue.ForAsync(context.User, open, cancellationToken);
        var digest = context.RequestServices.GetRequiredService<DailyDigest>();
        bool? digestOn = catalog.CoordinatorName(context.User) is { } name && Contacts.NormaliseEmail(name) is not null
            ? await digest.IsOnAsync(name, cancellationToken)
            : null;
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var title = page.T(open.Count == 0 ? "projects-title" : "today-title");
        return new ComponentPage<LandingPage, Landing>(page, new Landing(
            title, open.Count == 0 ? null : read.Items, read.Plans, read.Warnings, open.Count > 1, now, digestOn, OutboxAvailable(context.RequestServices),
            [.. mine.Select(p => (p, MayOpen(context.User, p)))]), StatusCodes.Status200OK);
    }

    /// <summary>Switches the signed-in coordinator's daily digest on or off, then back to the landing page.</summary>
    internal static async Task<IResult> SwitchDigestAsync(HttpContext context, ProjectCatalog catalog, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ReadAsync(context, antiforgery) is not { } posted)
        {
            return BadRequest(context, antiforgery);
        }

        var page = Page(context, antiforgery, posted["lang"]);
        if (catalog.CoordinatorName(context.User) is { } name)
        {
            await context.RequestServices.GetRequiredService<DailyDigest>().SwitchAsync(name, posted["on"] == "true", cancellationToken);
        }

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

        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var everyone = await participants.ListAsync(project.Id, UserName(context.User), cancellationToken);
        var found = query.Apply(everyone, project, now);
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

        var notes = new List<string>();
        var asked = context.Request.Query;
        if (asked["saved"] == "erased")
        {
            notes.Add(page.T("erased"));
        }

        if (int.TryParse(asked["grouped"], NumberStyles.None, CultureInfo.InvariantCulture, out var grouped))
        {
            notes.Add(page.T("group-session-done", ("count", Number(grouped))));
        }

        if (int.TryParse(asked["handedOver"], NumberStyles.None, CultureInfo.InvariantCulture, out var handedOver))
        {
            notes.Add(page.T("handover-done", ("count", Number(handedOver))));
        }

        if (int.TryParse(asked["importing"], NumberStyles.None, CultureInfo.InvariantCulture, out var imported)
            && int.TryParse(asked["skipped"], NumberStyles.None, CultureInfo.InvariantCulture, out var skipped))
        {
            notes.Add(page.T("import-done", ("count", Number(imported)), ("skipped", Number(skipped))));
        }

        var rows = list.Select(p => new ParticipantRow(
            p.Id, $"{p.FirstName} {p.LastName}", CoordinatorOf(page, project, p), p.Language, sentence(states[p.InstanceId]),
            Received(page, p.EntryReceivedAt), Received(page, p.ExitReceivedAt), Received(page, p.SixMonthReceivedAt))).ToList();
        var coordinators = everyone.Select(p => p.AssignedCoordinator()).Concat(project.Coordinators)
            .Where(project.IsCoordinator).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
        var languages = everyone.Select(p => p.Language).Distinct().Order(StringComparer.Ordinal).ToList();
        var today = DayOf(now);
        var listView = new ParticipantListView(query with { Page = pageNumber }, found.Count, everyone.Count, pages, rows, coordinators, languages, today);

        // The handover: from any coordinator the list names (those gone from the project too) to one of the project's coordinators.
        var holders = everyone.GroupBy(p => p.AssignedCoordinator(), StringComparer.OrdinalIgnoreCase)
            .Select(g => new CoordinatorHolder(g.Key, g.Count(), project.IsCoordinator(g.Key))).OrderBy(h => h.Name, StringComparer.OrdinalIgnoreCase).ToList();

        var byInstance = everyone.ToDictionary(p => p.InstanceId, StringComparer.Ordinal);
        var taskRows = tasks.Select(task => byInstance.GetValueOrDefault(task.InstanceId) is { } who
            ? new OpenTaskRow(task.Title(page.Language), who.Id, $"{who.FirstName} {who.LastName}")
            : new OpenTaskRow(task.Title(page.Language), null, null)).ToList();

        return new ComponentPage<ProjectPage, ProjectView>(page, new ProjectView(project, notes, listView, holders, taskRows), StatusCodes.Status200OK);
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
        var (post, refusal) = await OpenProjectPostAsync(projectId, context, catalog, antiforgery, casework: true);
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
                await participants.LogSessionAsync(participant, date, minutes, "group", UserName(context.User), "", cancellationToken);
                logged++;
            }
        }

        return FormFlow.SeeOther(page.Href($"/coordinator/projects/{project.Id}?grouped={Number(logged)}"));
    }

    // The coordinator's name, or that there is none: theirs no longer coordinates the project.
    private static string CoordinatorOf(PageContext page, Project project, Participant participant) =>
        project.IsCoordinator(participant.AssignedCoordinator()) ? participant.AssignedCoordinator() : page.T("without-coordinator", ("name", participant.AssignedCoordinator()));


    internal static IResult EnrolPage(string projectId, HttpContext context, ProjectCatalog catalog, IAntiforgery antiforgery)
    {
        var page = Page(context, antiforgery);
        if (Find(catalog, context.User, projectId) is not { } project)
        {
            return NotFound(page);
        }

        return ClosedRefusal(page, project, context) ?? EnrolForm(page, project, new Enrolment("", "", project.Offered[0], "", "", false, NewFormKey()), [], [], StatusCodes.Status200OK);
    }

    internal static async Task<IResult> EnrolAsync(string projectId, HttpContext context, ProjectCatalog catalog, ParticipantService participants, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (post, refusal) = await OpenProjectPostAsync(projectId, context, catalog, antiforgery, casework: true);
        if (post is null)
        {
            return refusal!;
        }

        var (page, project, posted) = post;

        var key = FormKey(posted["enrolmentKey"].ToString());
        var enrolment = new Enrolment(
            posted["firstName"].ToString(), posted["lastName"].ToString(), posted["language"].ToString(),
            posted["email"].ToString(), posted["phone"].ToString(), posted["intakeInPerson"].ToString() is "on" or "true", key);
        var problems = ParticipantService.Check(enrolment, out _, out _, project.Offered);
        if (problems.Count > 0)
        {
            return EnrolForm(page, project, enrolment, problems, [], StatusCodes.Status422UnprocessableEntity);
        }

        var coordinator = Enroller(project, context.User);
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

    private static string NewFormKey() => Guid.NewGuid().ToString("N");

    // A form's key, which makes a repeated post act once; one not well formed (cached from before keys, or tampered
    // with) gets a new key, so the post acts once.
    private static string FormKey(string posted) => posted is { Length: 32 } && posted.All(char.IsAsciiHexDigitLower) ? posted : NewFormKey();

    private static IResult EnrolForm(PageContext page, Project project, Enrolment values, IReadOnlyList<string> problems, IReadOnlyList<SameContact> same, int status) =>
        new ComponentPage<EnrolPage, EnrolView>(
            page with { Path = $"/coordinator/projects/{project.Id}/participants/new" },
            new EnrolView(project, values, problems, [.. problems.Select(p => new FormError(FieldOf(p), page.T(p)))], same), status);

    private static string FieldOf(string problem) => problem switch
    {
        "first-name-invalid" => "firstName",
        "last-name-invalid" => "lastName",
        "language-invalid" => "language",
        "email-invalid" or "contact-required" => "email",
        "phone-invalid" => "phone",
        _ => "firstName",
    };

}
