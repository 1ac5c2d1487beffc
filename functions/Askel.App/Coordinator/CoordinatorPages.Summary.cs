using System.Security.Claims;
using Askel.App.Audit;
using Askel.App.Coordinator.Components;
using Askel.App.Forecasts;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.App.Summaries.Rendering;
using Microsoft.AspNetCore.Antiforgery;

namespace Askel.App.Coordinator;

/// <summary>
/// A project's monthly summary in the app, and the same tables as XLSX and CSV downloads. Open to the project's
/// managers (by name or through its manager group), its coordinators and admins; anyone else gets 404. Managers
/// see counts and coordinator names only; the overdue list names participants (first name, a link to the
/// timeline) only for those who may open the participants, the coordinators and admins.
/// </summary>
public static partial class CoordinatorPages
{
    /// <summary>The earliest month the summary can be asked for.</summary>
    public const string EarliestSummaryMonth = "2000-01";

    /// <summary>Whether the user may read the project's summary: admin, coordinator, or manager (by name or group).</summary>
    internal static bool MayReadSummary(ClaimsPrincipal user, Project project) => MayOpen(user, project) || project.IsManager(user);

    /// <summary>The latest month the summary can be asked for: the month after the current one (Europe/Helsinki).</summary>
    internal static string LatestSummaryMonth(DateTimeOffset now) => SummaryCalculator.NextMonth(SummaryEvents.MonthOf(now));

    /// <summary>
    /// The month asked for: the previous month when none is given, else a <c>yyyy-MM</c> month from
    /// <see cref="EarliestSummaryMonth"/> to the month after the current one; null when it is not.
    /// </summary>
    internal static string? SummaryMonth(string? asked, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(asked))
        {
            return SummaryCalculator.PreviousMonth(now);
        }

        var month = asked.Trim();
        return SummaryCalculator.IsMonth(month)
            && string.CompareOrdinal(month, EarliestSummaryMonth) >= 0
            && string.CompareOrdinal(month, LatestSummaryMonth(now)) <= 0
            ? month
            : null;
    }

    internal static async Task<IResult> SummaryAsync(string projectId, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        var project = services.GetRequiredService<ProjectCatalog>().Find(projectId);
        if (project is null || !MayReadSummary(context.User, project))
        {
            return NotFound(page);
        }

        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var path = $"/coordinator/projects/{project.Id}/summary";
        if (SummaryMonth(context.Request.Query["month"], now) is not { } month)
        {
            return BadMonth(page with { Path = path }, project, now);
        }

        var summary = await services.GetRequiredService<SummaryService>().BuildAsync(project, month, cancellationToken) with
        {
            ExitForecast = await services.GetRequiredService<ExitForecasts>().ForSummaryAsync(project, month, page.User ?? "", cancellationToken),
        };
        if (summary.Warnings.Count > 0)
        {
            // Project id, month and warning keys only: nothing personal.
            Logs.SummaryWarnings(services.GetRequiredService<ILoggerFactory>().CreateLogger("Askel.Summary"), project.Id, month, string.Join(", ", summary.Warnings));
        }

        // Names of the overdue participants, for those who may open participants: a point read of each, nobody else.
        var mayOpen = MayOpen(context.User, project);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (mayOpen)
        {
            var participants = services.GetRequiredService<ParticipantService>();
            foreach (var id in summary.Overdue.Select(o => o.ParticipantId).Distinct(StringComparer.Ordinal))
            {
                if (await participants.FindAsync(project.Id, id, cancellationToken) is { } participant)
                {
                    names[id] = participant.FirstName;
                }
            }
        }

        await services.GetRequiredService<AuditLog>().RecordAsync(
            UserName(context.User), "view-summary", project.Id, null,
            mayOpen ? $"{month}; {names.Count} overdue participant(s) named" : month, cancellationToken);

        var view = new SummaryView(
            project, month, SummaryTexts.MonthName(month, page.Language), page.T("summary-title", ("project", project.Name)), summary,
            SummaryTables.Of(summary, page.Language), mayOpen, names, now);
        return new ComponentPage<SummaryPage, SummaryView>(page with { Path = $"{path}?month={month}" }, view, StatusCodes.Status200OK);
    }

    internal static async Task<IResult> SummaryFileAsync(string projectId, string kind, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        var project = services.GetRequiredService<ProjectCatalog>().Find(projectId);
        if (project is null || !MayReadSummary(context.User, project))
        {
            return NotFound(page);
        }

        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (SummaryMonth(context.Request.Query["month"], now) is not { } month)
        {
            return BadMonth(page with { Path = $"/coordinator/projects/{project.Id}/summary" }, project, now);
        }

        var summary = await services.GetRequiredService<SummaryService>().BuildAsync(project, month, cancellationToken);
        var (bytes, contentType) = kind == "xlsx"
            ? (SummaryWorkbook.Xlsx(summary, page.Language), SummaryWorkbook.ContentType)
            : (SummaryCsv.Write(SummaryTables.Of(summary, page.Language), page.Language), SummaryCsv.ContentType + "; charset=utf-8");
        await services.GetRequiredService<AuditLog>().RecordAsync(UserName(context.User), "download-summary-" + kind, project.Id, null, month, cancellationToken);
        return TypedResults.File(bytes, contentType, SummaryFileName(project.Id, month, kind));
    }

    /// <summary>The download's file name: <c>askel-&lt;project&gt;-&lt;yyyy-MM&gt;.xlsx|csv</c>.</summary>
    internal static string SummaryFileName(string projectId, string month, string extension) => $"askel-{projectId}-{month}.{extension}";

    private static IResult BadMonth(PageContext page, Project project, DateTimeOffset now) =>
        new ComponentPage<BadMonthPage, BadMonthView>(page, new BadMonthView(project, now), StatusCodes.Status400BadRequest);
}
