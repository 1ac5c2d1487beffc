using System.Security.Claims;
using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Security;
using Askel.Runtime.Client;
using Askel.Runtime.Definitions;
using Microsoft.AspNetCore.Antiforgery;
using static Askel.App.Coordinator.Components.Formats;

namespace Askel.App.Coordinator;

/// <summary>
/// The coordinator's pages: their projects, a project's participants and open tasks, enrolment, and a
/// participant's timeline with its actions. A project the user does not coordinate is answered with 404,
/// as if it did not exist. Every read and change of participant data is audited.
/// </summary>
public static partial class CoordinatorPages
{
    private const int MaxPostBytes = 256 * 1024;
    private static readonly string[] SessionKinds = ["individual", "group", "phone"];
    private static readonly string[] OutcomesNeedingReason = ["moved-away", "unreachable"];

    // Participants' data: an admin, or a coordinator (the app role) whom the project file names. The role alone opens
    // no project, and being named without the role (a manager) opens only the summary.
    private static bool MayOpen(ClaimsPrincipal user, Project project) =>
        user.IsInRole(AskelRoles.Admin) || (user.IsInRole(AskelRoles.Coordinator) && project.IsCoordinator(user));

    /// <summary>The project when the user may open it, else null (answered as 404, not 403: it does not reveal the project).</summary>
    private static Project? Find(ProjectCatalog catalog, ClaimsPrincipal user, string projectId) =>
        catalog.Find(projectId) is { } project && MayOpen(user, project) ? project : null;

    // A participant of a project the user may open: both, or null when either is not there (or not theirs).
    private static async Task<(Project Project, Participant Participant)?> FindParticipantAsync(
        IServiceProvider services, ClaimsPrincipal user, string projectId, string id, CancellationToken cancellationToken) =>
        Find(services.GetRequiredService<ProjectCatalog>(), user, projectId) is { } project
        && await services.GetRequiredService<ParticipantService>().FindAsync(project.Id, id, cancellationToken) is { } participant
            ? (project, participant)
            : null;

    // As FindParticipantAsync, for a page that shows their data: the read is audited as <paramref name="action"/>.
    private static async Task<(Project Project, Participant Participant)?> ViewParticipantAsync(
        IServiceProvider services, ClaimsPrincipal user, string projectId, string id, string action, CancellationToken cancellationToken) =>
        Find(services.GetRequiredService<ProjectCatalog>(), user, projectId) is { } project
        && await services.GetRequiredService<ParticipantService>().GetAsync(project.Id, id, UserName(user), action, cancellationToken) is { } participant
            ? (project, participant)
            : null;

    private static string UserName(ClaimsPrincipal user) => user.Identity?.Name ?? "";

    // Who a participant enrolled by the user is kept under: the project's own name for them (its coordinators entry,
    // matched by object id where it has one), else (an admin) their sign-in name.
    private static string Enroller(Project project, ClaimsPrincipal user) => project.CoordinatorName(user) ?? UserName(user);

    private static PageContext Page(HttpContext context, IAntiforgery antiforgery, string? postedLanguage = null) =>
        new(CoordinatorTexts.LanguageOf(context, postedLanguage), context.Request.Path, UserName(context.User), antiforgery.GetAndStoreTokens(context))
        {
            IsAdmin = context.User.IsInRole(AskelRoles.Admin),
        };

    /// <summary>The answer while the projects' saved settings are not read yet (storage not answering at start-up): 503, try again.</summary>
    internal static IResult NotReady(HttpContext context, IAntiforgery antiforgery)
    {
        context.Response.Headers.RetryAfter = "30";
        var page = Page(context, antiforgery);
        return CoordinatorLayout.Message(page, StatusCodes.Status503ServiceUnavailable, "not-ready-title", page.T("not-ready-body"));
    }

    private static IResult NotFound(PageContext page) =>
        CoordinatorLayout.Message(page, StatusCodes.Status404NotFound, "not-found-title", page.T("not-found-body"));

    private static IResult BadRequest(HttpContext context, IAntiforgery antiforgery)
    {
        var page = Page(context, antiforgery);
        return CoordinatorLayout.Message(page, StatusCodes.Status400BadRequest, "bad-request-title", page.T("bad-request-body"));
    }

    /// <summary>A post to a project's page: its page (in the posted language), the project and the posted form.</summary>
    private sealed record ProjectPost(PageContext Page, Project Project, IFormCollection Posted);

    /// <summary>
    /// The post with its project, or the answer when the token does not check out (400), the project is not the user's (404),
    /// or the post is <paramref name="casework"/> in a closed project (409, <see cref="ClosedRefusal"/>).
    /// </summary>
    private static async Task<(ProjectPost? Post, IResult? Refusal)> OpenProjectPostAsync(string projectId, HttpContext context, ProjectCatalog catalog, IAntiforgery antiforgery, bool casework = false)
    {
        if (await ReadAsync(context, antiforgery) is not { } posted)
        {
            return (null, BadRequest(context, antiforgery));
        }

        var page = Page(context, antiforgery, posted["lang"]);
        if (Find(catalog, context.User, projectId) is not { } project)
        {
            return (null, NotFound(page));
        }

        return casework && ClosedRefusal(page, project, context) is { } closed ? (null, closed) : (new ProjectPost(page, project, posted), null);
    }

    /// <summary>
    /// When <paramref name="project"/> is closed, the answer to new participants and new casework (409, saying since when);
    /// else null. What collects the forms (tasks, links, contact attempts, assisted forms, marking someone as left, who looks
    /// after them) and the participants' rights (export, correction, erasure, withdrawing consent) are not casework: the
    /// follow-up outlives the project.
    /// </summary>
    private static IResult? ClosedRefusal(PageContext page, Project project, HttpContext context) =>
        project.IsClosed(DayOf(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()))
            ? CoordinatorLayout.Message(page, StatusCodes.Status409Conflict, "closed-title", page.T("closed-body", ("name", project.Name), ("day", Day(project.Closed!.From))))
            : null;

    /// <summary>The posted form once its antiforgery token checks out, else null.</summary>
    private static async Task<IFormCollection?> ReadAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (await PostedForms.TryReadAsync(context, MaxPostBytes) is not { } posted)
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

    /// <summary>Turns statuses into sentences (<see cref="StatusSentences"/>), each pinned definition read once.</summary>
    private static async Task<Func<WorkflowStatus?, string>> SentencesAsync(
        PageContext page, IServiceProvider services, IEnumerable<WorkflowStatus?> states, CancellationToken cancellationToken)
    {
        var definitions = services.GetRequiredService<IWorkflowDefinitions>();
        var pinned = new Dictionary<(string Workflow, string Version), WorkflowDefinition>();
        foreach (var state in states.OfType<WorkflowStatus>())
        {
            if (!pinned.ContainsKey((state.Workflow, state.Version)))
            {
                pinned[(state.Workflow, state.Version)] = await definitions.PinnedAsync(state.Workflow, state.Version, cancellationToken);
            }
        }

        var forms = services.GetRequiredService<FormCatalog>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        return state => StatusSentences.Of(page, state, state is null ? null : pinned.GetValueOrDefault((state.Workflow, state.Version)), form => forms.Find(form)?.Title, now);
    }

    /// <summary>The status as the engine says it (step, awaited event, next timer): for support, beside the sentence.</summary>
    private static string State(PageContext page, WorkflowStatus? state)
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

        if (state.Waiting is { } awaiting)
        {
            parts.Add(page.T("state-awaiting", ("what", awaiting.Name)));
        }

        if (state.NextTimer is { } timer && !state.IsFinished)
        {
            parts.Add(page.T("state-next-timer", ("when", Time(timer.Due)), ("kind", timer.Kind)));
        }

        return string.Join(", ", parts);
    }

    private static string Received(PageContext page, DateTimeOffset? at) =>
        at is { } when ? page.T("received", ("date", Day(when))) : page.T("not-received");
}
