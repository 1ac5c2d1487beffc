using System.Globalization;
using System.Security.Claims;
using Askel.App.Audit;
using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.App.Summaries.Rendering;
using Microsoft.AspNetCore.Antiforgery;
using static Askel.App.Coordinator.Components.Formats;

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

        var summary = await services.GetRequiredService<SummaryService>().BuildAsync(project, month, cancellationToken);
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

        var query = $"?month={month}";
        var title = page.T("summary-title", ("project", project.Name));
        var monthName = SummaryTexts.MonthName(month, page.Language);
        return CoordinatorLayout.Content(CoordinatorLayout.Render(page with { Path = path + query }, $"{title}, {monthName}", html =>
        {
            html.Raw("<p>");
            if (mayOpen)
            {
                html.Raw($"<a href=\"{Html.Encode(page.Href($"/coordinator/projects/{project.Id}"))}\">").Text(page.T("back-to-project")).Raw("</a> · ");
            }

            html.Raw($"<a href=\"{Html.Encode(page.Href("/coordinator"))}\">").Text(page.T("back-to-projects")).Raw("</a></p>")
                .Raw("<h1>").Text(title).Raw("</h1>")
                .Raw("<p class=\"lead\">").Text(page.T("summary-of-month", ("month", monthName), ("generated", Time(summary.GeneratedAt)))).Raw("</p>");

            if (summary.Warnings.Count > 0)
            {
                html.Raw("<section class=\"summary\" aria-labelledby=\"warnings-title\"><h2 id=\"warnings-title\">").Text(page.T("summary-warnings")).Raw("</h2><ul>");
                foreach (var warning in summary.Warnings)
                {
                    html.Raw("<li>").Text(SummaryTexts.Get("warning-" + warning, page.Language)).Raw("</li>");
                }

                html.Raw("</ul></section>");
            }

            MonthPicker(html, page, project, month, now);

            html.Raw("<h2>").Text(page.T("summary-downloads")).Raw("</h2><ul>")
                .Raw($"<li><a href=\"{Html.Encode(page.Href($"{path}.xlsx{query}"))}\" download>").Text(page.T("summary-xlsx", ("month", monthName))).Raw("</a></li>")
                .Raw($"<li><a href=\"{Html.Encode(page.Href($"{path}.csv{query}"))}\" download>").Text(page.T("summary-csv", ("month", monthName))).Raw("</a></li></ul>");

            foreach (var table in SummaryTables.Of(summary, page.Language))
            {
                SummaryTableHtml(html, page, table);
            }

            OverdueList(html, page, project, summary, mayOpen, names);
        }));
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

    private static IResult BadMonth(PageContext page, Project project, DateTimeOffset now)
    {
        var title = page.T("summary-bad-month-title");
        var summaryPath = $"/coordinator/projects/{project.Id}/summary";
        return CoordinatorLayout.Content(CoordinatorLayout.Render(page, title, html =>
        {
            html.Raw("<h1>").Text(title).Raw("</h1><p>")
                .Text(page.T("summary-bad-month-body", ("example", SummaryCalculator.PreviousMonth(now)), ("earliest", EarliestSummaryMonth), ("latest", LatestSummaryMonth(now))))
                .Raw("</p>");
            MonthForm(html, page, summaryPath, SummaryCalculator.PreviousMonth(now), now);
            html.Raw($"<p><a href=\"{Html.Encode(page.Href(summaryPath))}\">").Text(page.T("summary-previous-month-link")).Raw("</a></p>");
        }), StatusCodes.Status400BadRequest);
    }

    private static void MonthPicker(Html html, PageContext page, Project project, string month, DateTimeOffset now)
    {
        var path = $"/coordinator/projects/{project.Id}/summary";
        var previous = SummarySchedule.PreviousMonth(month);
        var next = SummaryCalculator.NextMonth(month);
        html.Raw($"<nav aria-label=\"{Html.Encode(page.T("summary-months"))}\"><ul class=\"months\">");
        if (string.CompareOrdinal(previous, EarliestSummaryMonth) >= 0)
        {
            html.Raw($"<li><a href=\"{Html.Encode(page.Href($"{path}?month={previous}"))}\" rel=\"prev\">")
                .Text(page.T("summary-previous", ("month", SummaryTexts.MonthName(previous, page.Language)))).Raw("</a></li>");
        }

        if (string.CompareOrdinal(next, LatestSummaryMonth(now)) <= 0)
        {
            html.Raw($"<li><a href=\"{Html.Encode(page.Href($"{path}?month={next}"))}\" rel=\"next\">")
                .Text(page.T("summary-next", ("month", SummaryTexts.MonthName(next, page.Language)))).Raw("</a></li>");
        }

        html.Raw("</ul></nav>");
        MonthForm(html, page, path, month, now);
    }

    private static void MonthForm(Html html, PageContext page, string path, string month, DateTimeOffset now) =>
        html.Raw($"<form method=\"get\" action=\"{Html.Encode(path)}\" class=\"month\"><label for=\"month\">").Text(page.T("summary-choose-month")).Raw("</label>")
            .Raw("<p class=\"hint\" id=\"month-hint\">").Text(page.T("summary-month-hint")).Raw("</p>")
            .Raw($"<input type=\"month\" id=\"month\" name=\"month\" value=\"{Html.Encode(month)}\" min=\"{EarliestSummaryMonth}\" max=\"{LatestSummaryMonth(now)}\" aria-describedby=\"month-hint\">")
            .Raw($"<input type=\"hidden\" name=\"lang\" value=\"{page.Language}\"> <button type=\"submit\">").Text(page.T("summary-show")).Raw("</button></form>");

    private static void SummaryTableHtml(Html html, PageContext page, SummaryTable table)
    {
        var id = "table-" + table.Id;
        html.Raw($"<h2 id=\"{Html.Encode(id)}\">").Text(table.Title).Raw("</h2>");
        if (table.Rows.Count == 0)
        {
            html.Raw("<p>").Text(SummaryTexts.Get("no-rows", page.Language)).Raw("</p>");
            return;
        }

        // The row's name is its header: the indicator's name, not its code.
        var rowHeader = table.Id == "indicators" ? 1 : 0;
        html.Raw($"<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{Html.Encode(id)}\"><table aria-labelledby=\"{Html.Encode(id)}\"><thead><tr>");
        foreach (var column in table.Columns)
        {
            html.Raw("<th scope=\"col\">").Text(column).Raw("</th>");
        }

        html.Raw("</tr></thead><tbody>");
        foreach (var row in table.Rows)
        {
            html.Raw("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                var cell = row[i];
                var text = cell.Display(page.Language);
                if (i == rowHeader)
                {
                    html.Raw("<th scope=\"row\">").Text(text).Raw("</th>");
                }
                else
                {
                    html.Raw(cell.Number is null ? "<td>" : "<td class=\"n\">").Text(text).Raw("</td>");
                }
            }

            html.Raw("</tr>");
        }

        html.Raw("</tbody></table></div>");
    }

    private static void OverdueList(Html html, PageContext page, Project project, MonthlySummary summary, bool namesShown, IReadOnlyDictionary<string, string> names)
    {
        html.Raw("<h2 id=\"table-overdue\">").Text(page.T("summary-overdue-title", ("count", summary.Overdue.Count.ToString(CultureInfo.InvariantCulture)))).Raw("</h2>");
        if (summary.Overdue.Count == 0)
        {
            html.Raw("<p>").Text(page.T("summary-no-overdue")).Raw("</p>");
            return;
        }

        if (!namesShown)
        {
            // Managers see counts by coordinator and form: one row per participant, with its due date (the day they
            // enrolled or left), could tell a small project's manager who it is.
            html.Raw("<p>").Text(page.T("summary-overdue-no-names")).Raw("</p>")
                .Raw("<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"table-overdue\"><table aria-labelledby=\"table-overdue\"><thead><tr>")
                .Raw("<th scope=\"col\">").Text(page.T("col-coordinator")).Raw("</th><th scope=\"col\">").Text(page.T("col-form"))
                .Raw("</th><th scope=\"col\">").Text(SummaryTexts.Get("col-count", page.Language)).Raw("</th></tr></thead><tbody>");
            foreach (var group in summary.Overdue.GroupBy(o => (o.Coordinator, o.Form)).OrderBy(g => g.Key.Coordinator, StringComparer.Ordinal).ThenBy(g => g.Key.Form, StringComparer.Ordinal))
            {
                html.Raw("<tr><th scope=\"row\">").Text(group.Key.Coordinator).Raw("</th><td>").Text(SummaryTexts.Get("form-" + group.Key.Form, page.Language))
                    .Raw("</td><td class=\"n\">").Text(group.Count().ToString(CultureInfo.InvariantCulture)).Raw("</td></tr>");
            }

            html.Raw("</tbody></table></div>");
            return;
        }

        html.Raw("<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"table-overdue\"><table aria-labelledby=\"table-overdue\"><thead><tr>");
        foreach (var key in new[] { "col-participant", "col-form", "summary-col-due", "summary-col-days", "col-coordinator" })
        {
            html.Raw("<th scope=\"col\">").Text(page.T(key)).Raw("</th>");
        }

        html.Raw("</tr></thead><tbody>");
        foreach (var overdue in summary.Overdue)
        {
            html.Raw("<tr><th scope=\"row\">");
            if (names.TryGetValue(overdue.ParticipantId, out var name))
            {
                html.Raw($"<a href=\"{Html.Encode(page.Href($"/coordinator/projects/{project.Id}/participants/{overdue.ParticipantId}"))}\">").Text(name).Raw("</a>");
            }
            else
            {
                html.Text(page.T("summary-participant-gone"));
            }

            html.Raw("</th><td>").Text(SummaryTexts.Get("form-" + overdue.Form, page.Language)).Raw("</td>")
                .Raw("<td>").Text(Day(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(overdue.DueAt, Zone).DateTime))).Raw("</td>")
                .Raw("<td class=\"n\">").Text(overdue.DaysOverdue.ToString(CultureInfo.InvariantCulture)).Raw("</td>")
                .Raw("<td>").Text(overdue.Coordinator).Raw("</td></tr>");
        }

        html.Raw("</tbody></table></div>");
    }
}
