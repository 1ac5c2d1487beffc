using Askel.App.Cooperation;
using Askel.App.Coordinator.Components;
using Askel.App.Forms;
using Askel.App.Guidance;
using Askel.App.Projects;
using Microsoft.AspNetCore.Antiforgery;
using static Askel.App.Coordinator.Components.Formats;

namespace Askel.App.Coordinator;

public static partial class CoordinatorPages
{
    /// <summary>
    /// The employer register with an empty form, or the form for the employer <c>?edit=</c> names; <c>?saved=</c> names
    /// the employer just saved.
    /// </summary>
    internal static async Task<IResult> EmployersPageAsync(
        string projectId, HttpContext context, ProjectCatalog catalog, CooperationRegister register, TimeProvider time, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        if (Find(catalog, context.User, projectId) is not { } project)
        {
            return NotFound(page);
        }

        var employers = await register.EmployersAsync(project.Id, cancellationToken);
        var asked = context.Request.Query;
        var values = employers.FirstOrDefault(e => e.BusinessId == asked["edit"].ToString()) is { } editing
            ? new EmployerEntry(editing.BusinessId, editing.BusinessId, editing.Name, editing.Size, editing.Sector, editing.ContactPerson, editing.Cooperation, Day(editing.Since))
            : new EmployerEntry("", "", "", "", "", "", [], Day(DayOf(time.GetUtcNow())));
        var saved = employers.FirstOrDefault(e => e.BusinessId == asked["saved"].ToString())?.Name;
        return await EmployersFormAsync(context, page, project, employers, values, [], saved, StatusCodes.Status200OK, cancellationToken);
    }

    /// <summary>Registers or edits an employer and goes back to the register; with problems, shows the form as posted with them (422).</summary>
    internal static async Task<IResult> SaveEmployerAsync(
        string projectId, HttpContext context, ProjectCatalog catalog, CooperationRegister register, TimeProvider time, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (post, refusal) = await OpenProjectPostAsync(projectId, context, catalog, antiforgery, casework: true);
        if (post is null)
        {
            return refusal!;
        }

        var (page, project, posted) = post;
        var entry = new EmployerEntry(
            BusinessIds.Normalise(posted["editing"].ToString()) ?? "", posted["businessId"].ToString(), posted["name"].ToString(), posted["size"].ToString(),
            posted["sector"].ToString(), posted["contactPerson"].ToString(), [.. posted["cooperation"].OfType<string>()], posted["since"].ToString());
        var problems = entry.Check(DayOf(time.GetUtcNow()));
        if (problems.Count == 0)
        {
            var (outcome, employer) = await register.SaveAsync(project, entry, Enroller(project, context.User), cancellationToken);
            if (outcome != CooperationRegister.Outcome.Exists)
            {
                return FormFlow.SeeOther(page.Href($"/coordinator/projects/{project.Id}/employers?saved={employer.BusinessId}"));
            }

            problems = [("businessId", "employer-exists")];
        }

        return await EmployersFormAsync(context, page, project, await register.EmployersAsync(project.Id, cancellationToken), entry, problems, null, StatusCodes.Status422UnprocessableEntity, cancellationToken);
    }

    /// <summary>The event log with a form for a new event, or for the event <c>?edit=</c> names; <c>?saved=</c> names the event just saved.</summary>
    internal static async Task<IResult> EventsPageAsync(
        string projectId, HttpContext context, ProjectCatalog catalog, CooperationRegister register, SatisfactionVotes votes, TimeProvider time, IAntiforgery antiforgery,
        CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        if (Find(catalog, context.User, projectId) is not { } project)
        {
            return NotFound(page);
        }

        var events = await register.EventsAsync(project.Id, cancellationToken);
        var asked = context.Request.Query;
        var editing = events.FirstOrDefault(e => e.Id == asked["edit"].ToString());
        var values = editing is null
            ? new EventEntry(NewFormKey(), Day(DayOf(time.GetUtcNow())), "", "", "", "")
            : new EventEntry(editing.Id, Day(editing.Date), editing.Kind, editing.Title, editing.Organiser, editing.Attendance.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var saved = events.FirstOrDefault(e => e.Id == asked["saved"].ToString())?.Title;
        var feedback = editing is null ? null : votes.UrlOf(project, editing.Id);
        return await EventsFormAsync(context, page, project, events, values, editing is not null, [], saved, StatusCodes.Status200OK, cancellationToken, feedback);
    }

    /// <summary>Records or edits an event and goes back to the log; with problems, shows the form as posted with them (422).</summary>
    internal static async Task<IResult> SaveEventAsync(
        string projectId, HttpContext context, ProjectCatalog catalog, CooperationRegister register, TimeProvider time, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (post, refusal) = await OpenProjectPostAsync(projectId, context, catalog, antiforgery, casework: true);
        if (post is null)
        {
            return refusal!;
        }

        var (page, project, posted) = post;
        var entry = new EventEntry(
            FormKey(posted["key"].ToString()), posted["date"].ToString(), posted["kind"].ToString(), posted["title"].ToString(), posted["organiser"].ToString(), posted["attendance"].ToString());
        var problems = entry.Check(DayOf(time.GetUtcNow()));
        if (problems.Count > 0)
        {
            var events = await register.EventsAsync(project.Id, cancellationToken);
            return await EventsFormAsync(context, page, project, events, entry, events.Any(e => e.Id == entry.Key), problems, null, StatusCodes.Status422UnprocessableEntity, cancellationToken);
        }

        var (_, saved) = await register.SaveAsync(project, entry, Enroller(project, context.User), cancellationToken);
        return FormFlow.SeeOther(page.Href($"/coordinator/projects/{project.Id}/events?saved={saved.Id}"));
    }

    // The register with how many participants were placed at each employer.
    private static async Task<ComponentPage<EmployersPage, EmployersView>> EmployersFormAsync(
        HttpContext context, PageContext page, Project project, IReadOnlyList<Employer> employers, EmployerEntry values, IReadOnlyList<(string Field, string Problem)> problems, string? saved,
        int status, CancellationToken cancellationToken) =>
        new(
            page with { Path = $"/coordinator/projects/{project.Id}/employers" },
            new EmployersView(project, employers, values, problems, saved,
                await context.RequestServices.GetRequiredService<Participations>().CountsAsync(project.Id, Participations.Placement, cancellationToken)),
            status);

    // The log with how many participants were named as attendees of each event.
    private static async Task<ComponentPage<EventsPage, EventsView>> EventsFormAsync(
        HttpContext context, PageContext page, Project project, IReadOnlyList<CooperationEvent> events, EventEntry values, bool editing, IReadOnlyList<(string Field, string Problem)> problems,
        string? saved, int status, CancellationToken cancellationToken, string? feedbackUrl = null) =>
        new(
            page with { Path = $"/coordinator/projects/{project.Id}/events" },
            new EventsView(project, events, values, editing, problems, saved, feedbackUrl is null ? null : new(feedbackUrl, QrPng(feedbackUrl)),
                await context.RequestServices.GetRequiredService<Participations>().CountsAsync(project.Id, Participations.Attendance, cancellationToken)),
            status);
}
