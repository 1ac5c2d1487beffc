using System.Globalization;
using Askel.App.Audit;
using Askel.App.Coordinator.Components;
using Askel.App.Summaries.Rendering;
using Microsoft.AspNetCore.Antiforgery;
using static Askel.App.Coordinator.Components.Formats;

namespace Askel.App.Coordinator;

/// <summary>
/// The audit log for admins: search by project, participant, user and days, as a page or a CSV file. Admins are the
/// only role across projects, so each search is itself audited; anyone else gets 404.
/// </summary>
public static partial class CoordinatorPages
{
    private const int AuditPageSize = 500;
    private static readonly (string Field, string Label)[] AuditFields =
        [("project", "col-project"), ("participant", "col-participant-id"), ("user", "audit-user"), ("from", "audit-from"), ("to", "audit-to")];

    internal static async Task<IResult> AuditSearchAsync(HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        if (!page.IsAdmin)
        {
            return NotFound(page);
        }

        var (query, badDate) = AuditQueryOf(context.Request.Query);
        var records = badDate is null ? await SearchAuditAsync(context, services, query, "page", cancellationToken) : [];
        var csv = "/coordinator/audit.csv" + context.Request.QueryString;
        var fields = AuditFields.Select(f => (f.Field, f.Label, context.Request.Query[f.Field].ToString())).ToList();
        return new ComponentPage<AuditPage, AuditView>(
            page with { Path = "/coordinator/audit" },
            new AuditView(fields, badDate, badDate is null ? [.. records.Select(r => (IReadOnlyList<string>)AuditRow(r))] : null, AuditPageSize, csv),
            badDate is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    internal static async Task<IResult> AuditCsvAsync(HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        var (query, badDate) = AuditQueryOf(context.Request.Query);
        if (!page.IsAdmin || badDate is not null)
        {
            return badDate is null ? NotFound(page) : CoordinatorLayout.Message(page, StatusCodes.Status400BadRequest, "bad-request-title", page.T("audit-bad-date"));
        }

        var records = await SearchAuditAsync(context, services, query, "csv", cancellationToken);
        var columns = AuditView.Columns.Select(key => page.T(key)).ToList();
        var table = new SummaryTable("audit", page.T("audit-search-title"), columns, [.. records.Select(r => (IReadOnlyList<SummaryCell>)[.. AuditRow(r).Select(text => SummaryCell.Of(text))])]);
        context.Response.Headers.ContentDisposition = "attachment; filename=\"askel-audit.csv\"";
        return Results.Bytes(SummaryCsv.Write([table], page.Language), SummaryCsv.ContentType + "; charset=utf-8");
    }

    private static async Task<IReadOnlyList<AuditRecord>> SearchAuditAsync(HttpContext context, IServiceProvider services, AuditQuery query, string format, CancellationToken cancellationToken)
    {
        var audit = services.GetRequiredService<AuditLog>();
        var records = await audit.SearchAsync(query, AuditPageSize, cancellationToken);
        // What was searched for beyond the project and participant (the record's own columns): "csv; user x, from d; 3 records".
        var filters = string.Join(", ", new[] { ("user", query.Actor), ("from", query.From.HasValue ? Day(query.From.Value) : null), ("to", query.To.HasValue ? Day(query.To.Value) : null) }
            .Where(f => f.Item2 is not null).Select(f => $"{f.Item1} {f.Item2}"));
        string[] detail = [format, .. filters.Length > 0 ? [filters] : Array.Empty<string>(), $"{records.Count} records"];
        await audit.RecordAsync(UserName(context.User), "search-audit", query.ProjectId ?? "-", query.ParticipantId, string.Join("; ", detail), cancellationToken);
        return records;
    }

    // The query's parts, and the first date field that is not a date.
    private static (AuditQuery Query, string? BadDate) AuditQueryOf(IQueryCollection query)
    {
        string? Text(string field) => query[field].ToString().Trim() is { Length: > 0 } text ? text : null;
        DateOnly? Date(string field, ref string? bad)
        {
            if (Text(field) is not { } text)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return day;
            }

            bad ??= field;
            return null;
        }

        string? bad = null;
        var from = Date("from", ref bad);
        var to = Date("to", ref bad);
        return (new AuditQuery(Text("project"), Text("participant"), Text("user"), from, to), bad);
    }

    private static string[] AuditRow(AuditRecord r) => [Time(r.At), r.ProjectId, r.ParticipantId ?? "", r.Actor, r.Action, r.Detail];
}
