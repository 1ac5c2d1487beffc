using Askel.App.Audit;
using Askel.App.Coordinator.Components;
using Askel.App.Forms;
using Askel.App.Projects;
using Askel.Runtime.Definitions;
using Microsoft.AspNetCore.Antiforgery;

namespace Askel.App.Coordinator;

/// <summary>
/// Projects' settings for admins: the list, a project's form (or a new project's), saving with the rules of project files,
/// and the export as a project file. Anyone but an admin gets 404. A save is audited and takes effect without a deployment.
/// </summary>
public static partial class CoordinatorPages
{
    internal static async Task<IResult> SettingsListAsync(HttpContext context, ProjectCatalog catalog, ProjectSettings settings, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        if (!page.IsAdmin)
        {
            return NotFound(page);
        }

        // A project whose saved settings stopped checking out and is out of the catalog is listed with its problem, to mend.
        var saved = await settings.AllAsync(cancellationToken);
        List<(Project, SavedProject?)> projects = [.. catalog.All.Select(p => (p, catalog.IsSaved(p.Id) ? saved.GetValueOrDefault(p.Id) : null))];
        return new ComponentPage<SettingsListPage, SettingsList>(page with { Path = "/coordinator/admin/projects" }, new SettingsList(projects, settings.Refused), StatusCodes.Status200OK);
    }

    internal static async Task<IResult> SettingsPageAsync(string? projectId, HttpContext context, ProjectCatalog catalog, ProjectSettings settings, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        if (!page.IsAdmin)
        {
            return NotFound(page);
        }

        var workflows = WorkflowNames(context);
        if (projectId is null)
        {
            return SettingsForm(page, null, ProjectSettingsEntry.New(workflows[0]), workflows, [], null, justSaved: false, StatusCodes.Status200OK);
        }

        if (await settings.CurrentAsync(projectId, cancellationToken) is not ({ } project, var saved))
        {
            return NotFound(page);
        }

        var values = ProjectSettingsEntry.From(project, saved?.Version ?? ProjectSettings.FromFile);
        var problems = settings.Refused.Where(r => r.ProjectId == project.Id).Select(r => new FormError("", r.Problem)).ToList();
        return SettingsForm(page, project, values, workflows, problems, saved, context.Request.Query["saved"] == "1", StatusCodes.Status200OK);
    }

    /// <summary>
    /// Saves a project's settings (a new project's, when <paramref name="projectId"/> is null) and goes back to its form;
    /// with problems (or someone's save in between), shows the form as posted with them (422, 409).
    /// </summary>
    internal static async Task<IResult> SaveSettingsAsync(string? projectId, HttpContext context, ProjectCatalog catalog, ProjectSettings settings, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ReadAsync(context, antiforgery) is not { } posted)
        {
            return BadRequest(context, antiforgery);
        }

        var page = Page(context, antiforgery, posted["lang"]);
        var (current, saved) = projectId is null ? (null, null) : await settings.CurrentAsync(projectId, cancellationToken);
        if (!page.IsAdmin || (projectId is not null && current is null))
        {
            return NotFound(page);
        }

        var workflows = WorkflowNames(context);
        var entry = ProjectSettingsEntry.Read(name => posted[name].ToString(), [.. posted["languages"].OfType<string>()]) is var read && current is not null ? read with { Id = current.Id } : read;
        IResult Refused(IReadOnlyList<FormError> problems, int status) => SettingsForm(page, current, entry, workflows, problems, saved, justSaved: false, status);
        if (entry.Missing(isNew: current is null) is { Count: > 0 } missing)
        {
            return Refused([.. missing.Select(m => new FormError(m.Field, page.T(m.Problem)))], StatusCodes.Status422UnprocessableEntity);
        }

        var text = ProjectFile.Text(entry.ApplyTo(current is null ? new() : ProjectFile.Of(current)), "");
        var errors = new List<string>();
        if (settings.Check(text, entry.Id, errors) is not { } project)
        {
            return Refused([.. ProjectSettingsEntry.Fields(text, ProjectSettings.FileName(entry.Id), errors).Select(e => new FormError(e.Field, e.Message))], StatusCodes.Status422UnprocessableEntity);
        }

        var version = saved?.Version ?? ProjectSettings.FromFile;
        if (current is not null && entry.Version != version)
        {
            // Saved by someone else since the form was made: say so, and let a second save replace theirs knowingly.
            entry = entry with { Version = version };
            return Refused([new FormError("", page.T("settings-changed-meanwhile"))], StatusCodes.Status409Conflict);
        }

        var user = UserName(context.User);
        var changes = ProjectFile.Changes(current, project);
        var comment = $"Project settings saved in Askel by {user.ReplaceLineEndings(" ")} on {Formats.Day(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow())}.";
        var outcome = await settings.SaveAsync(project, ProjectFile.Text(ProjectFile.Of(project), comment), current is null ? null : entry.Version, user, string.Join(", ", changes), cancellationToken);
        return outcome switch
        {
            SaveOutcome.Saved => FormFlow.SeeOther(page.Href($"/coordinator/admin/projects/{project.Id}?saved=1")),
            SaveOutcome.Exists => Refused([new FormError("project", page.T("settings-id-taken"))], StatusCodes.Status409Conflict),
            _ => await ChangedMeanwhileAsync(),
        };

        async Task<IResult> ChangedMeanwhileAsync()
        {
            entry = entry with { Version = (await settings.FindAsync(entry.Id, cancellationToken))?.Version ?? ProjectSettings.FromFile };
            return Refused([new FormError("", page.T("settings-changed-meanwhile"))], StatusCodes.Status409Conflict);
        }
    }

    /// <summary>The project's settings as its file, to download (audited: it names the project's people).</summary>
    internal static async Task<IResult> ExportSettingsAsync(string projectId, HttpContext context, ProjectCatalog catalog, ProjectSettings settings, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        if (!page.IsAdmin || await settings.CurrentAsync(projectId, cancellationToken) is not ({ } project, var saved))
        {
            return NotFound(page);
        }

        var text = saved?.Text ?? ProjectFile.Text(ProjectFile.Of(project), $"Project settings from its file, exported from Askel on {Formats.Day(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow())}.");
        await context.RequestServices.GetRequiredService<AuditLog>().RecordAsync(UserName(context.User), "export-project-settings", project.Id, null, saved is null ? "file" : "saved", cancellationToken);
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{project.Id}.yaml\"";
        return Results.Text(text, "application/yaml; charset=utf-8");
    }

    private static List<string> WorkflowNames(HttpContext context) =>
        [.. context.RequestServices.GetRequiredService<WorkflowCatalog>().Names.Order(StringComparer.Ordinal)];

    private static ComponentPage<SettingsPage, SettingsView> SettingsForm(
        PageContext page, Project? project, ProjectSettingsEntry values, IReadOnlyList<string> workflows, IReadOnlyList<FormError> problems, SavedProject? saved, bool justSaved, int status) =>
        new(page with { Path = project is null ? "/coordinator/admin/new-project" : $"/coordinator/admin/projects/{project.Id}" },
            new SettingsView(project, values, workflows, problems, saved, justSaved), status);
}
