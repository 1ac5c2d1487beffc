using Askel.App.Coordinator.Components;
using Askel.App.Projects;
using Askel.App.Workflows.Overview;
using Askel.Runtime.Definitions;
using Microsoft.AspNetCore.Antiforgery;

namespace Askel.App.Coordinator;

/// <summary>A workflow's page, for everyone who uses the coordinator pages: workflows hold no one's data.</summary>
public static partial class CoordinatorPages
{
    /// <summary>
    /// The workflow's diagram, steps in words, and forms and messages in the language asked for (<c>?in=sv</c>), else the
    /// page's when the workflow has it, else its first. The projects named as running it are those the user coordinates or manages.
    /// </summary>
    internal static IResult Workflow(string name, HttpContext context, ProjectCatalog catalog, IAntiforgery antiforgery)
    {
        var page = Page(context, antiforgery);
        var services = context.RequestServices;
        if (!services.GetRequiredService<WorkflowCatalog>().TryGet(name, out var workflow))
        {
            return NotFound(page);
        }

        var asked = context.Request.Query["in"].ToString();
        var textLanguage = workflow.Languages.Contains(asked) ? asked : workflow.Languages.Contains(page.Language) ? page.Language : workflow.Languages[0];
        var projects = catalog.All.Where(p => p.Workflow == workflow.Name && MayReadSummary(context.User, p)).Select(p => p.Name).ToList();
        var view = services.GetRequiredService<WorkflowOverviews>().View(workflow, page.Language, textLanguage, projects);
        return new ComponentPage<WorkflowPage, WorkflowView>(page with { Path = $"/coordinator/workflows/{workflow.Name}?in={textLanguage}" }, view, StatusCodes.Status200OK);
    }
}
