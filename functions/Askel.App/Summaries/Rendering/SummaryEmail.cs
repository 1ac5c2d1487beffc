using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Askel.App.Messaging;

namespace Askel.App.Summaries.Rendering;

/// <summary>
/// The monthly summary as an email to the project's managers: a subject, an HTML body that reads on a 360 px phone
/// and in desktop Outlook, a plain-text body with the same key figures, the trend chart inline and the tables as
/// XLSX and CSV attachments.
/// </summary>
/// <remarks>
/// The HTML is one column at most 640 px wide, laid out with tables and inline styles (what Outlook's Word engine
/// and Gmail keep); wide tables scroll sideways on a phone rather than shrink (the fixed-layout column keeps a wide
/// table from widening the whole page). Every value from outside (project,
/// coordinator and task names) is HTML-encoded. The email holds counts only: no participant names or ids.
/// </remarks>
public static class SummaryEmail
{
    /// <summary>The content id of the inline chart (<c>&lt;img src="cid:trend"&gt;</c>).</summary>
    public const string ChartContentId = "trend";

    private const string Font = "font-family:Arial,Helvetica,sans-serif;";
    private const string Ink = "#1f2937";
    private const string Muted = "#4b5563";
    private const string Rule = "#d1d5db";
    private const string LinkColour = "#1d4ed8";

    // Letters stay as they are (ä, ö, –); markup characters and anything unsafe are encoded.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>The email for <paramref name="summary"/> in <paramref name="language"/> (<c>fi</c>, <c>sv</c> or <c>en</c>; the monthly delivery sends Finnish), linking to <paramref name="summaryUrl"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="summaryUrl"/> is not an absolute http(s) address.</exception>
    public static SummaryMail Render(MonthlySummary summary, string language, string summaryUrl)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (!Uri.TryCreate(summaryUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The summary address must be an absolute http(s) address, not '{summaryUrl}'.", nameof(summaryUrl));
        }

        string T(string key) => SummaryTexts.Get(key, language);
        var culture = SummaryTexts.Culture(language);
        var month = SummaryTexts.MonthName(summary.Month, language);
        var subject = OneLine(string.Format(culture, T("mail-subject"), summary.ProjectName, month));
        var tables = SummaryTables.Of(summary, language);
        var headline = Headline(summary, language, culture);
        var warnings = summary.Warnings.Select(w => T("warning-" + w)).ToList();

        var html = HtmlBody(summary, language, url.AbsoluteUri, subject, month, headline, warnings, tables);
        var text = TextBody(summary, language, url.AbsoluteUri, month, headline, warnings, tables);

        var baseName = "askel-" + FileNamePart(summary.ProjectId) + "-" + FileNamePart(summary.Month);
        IReadOnlyList<MailAttachment> attachments =
        [
            new(baseName + "-trend.png", SummaryChart.ContentType, SummaryChart.Png(summary, language), ChartContentId),
            new(baseName + ".xlsx", SummaryWorkbook.ContentType, SummaryWorkbook.Xlsx(summary, language)),
            new(baseName + ".csv", SummaryCsv.ContentType, SummaryCsv.Write(tables, language)),
        ];
        return new SummaryMail(subject, html, text, attachments);
    }

    /// <summary>The key facts, one sentence each: starts and exits, the exit-form capture rate, to work or education, overdue forms.</summary>
    internal static IReadOnlyList<string> Headline(MonthlySummary summary, string language, CultureInfo culture)
    {
        string T(string key) => SummaryTexts.Get(key, language);
        string Percent(double share) => SummaryCell.Of(share, CellFormat.Percent).Display(language);
        var lines = new List<string>
        {
            string.Format(culture, T("headline-flow"), summary.Starts.InMonth, summary.Exits.InMonth, summary.Starts.Cumulative, summary.Exits.Cumulative),
        };

        var exitForms = summary.Capture.FirstOrDefault(c => c.Form == "exit");
        lines.Add(exitForms is { Rate: { } rate }
            ? string.Format(culture, T("headline-capture"), exitForms.ReceivedTotal, exitForms.DueTotal, Percent(rate))
            : T("headline-capture-none"));

        var workOrEducation = summary.ExitOutcomes.Where(o => o.Outcome is "employed" or "education").ToList();
        var inMonth = workOrEducation.Sum(o => o.InMonth);
        var cumulative = workOrEducation.Sum(o => o.Cumulative);
        var share = summary.Exits.Cumulative == 0 ? "–" : Percent((double)cumulative / summary.Exits.Cumulative);
        lines.Add(string.Format(culture, T("headline-work"), inMonth, cumulative, summary.Exits.Cumulative, share));

        var overdue = summary.Capture.Sum(c => c.Overdue);
        if (overdue > 0)
        {
            lines.Add(string.Format(culture, T("headline-overdue"), overdue));
        }

        if (summary.ExitForecast is { Pending: > 0 } forecast)
        {
            lines.Add(string.Format(
                culture, T(forecast.Soon ? "headline-forecast-soon" : "headline-forecast"), forecast.EndDate.ToString("d.M.yyyy", CultureInfo.InvariantCulture), forecast.WeeksLeft, forecast.AtRisk, forecast.Pending, forecast.NoChannel));
        }

        return lines;
    }

    private static string HtmlBody(
        MonthlySummary summary, string language, string url, string subject, string month,
        IReadOnlyList<string> headline, IReadOnlyList<string> warnings, IReadOnlyList<SummaryTable> tables)
    {
        string T(string key) => SummaryTexts.Get(key, language);
        var h = new StringBuilder(16 * 1024);
        h.Append("<!DOCTYPE html>\n")
            .Append("<html lang=\"").Append(language is "en" or "sv" ? language : "fi").Append("\" dir=\"ltr\">\n<head>\n")
            .Append("<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"color-scheme\" content=\"light\">\n")
            .Append("<style>@media (max-width:480px){.askel-outer{padding:0 !important}.askel-inner{padding:16px 10px !important}}</style>\n")
            .Append("<title>").Append(E(subject)).Append("</title>\n</head>\n")
            .Append("<body style=\"margin:0;padding:0;background-color:#f3f4f6;\">\n")
            .Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"background-color:#f3f4f6;\">\n<tr><td align=\"center\" class=\"askel-outer\" style=\"padding:16px 8px;\">\n")
            .Append("<!--[if mso]><table role=\"presentation\" width=\"640\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\"><tr><td><![endif]-->\n")
            .Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"table-layout:fixed;max-width:640px;background-color:#ffffff;border:1px solid ").Append(Rule).Append(";\">\n")
            .Append("<tr><td class=\"askel-inner\" style=\"padding:20px 16px;").Append(Font).Append("color:").Append(Ink).Append(";font-size:16px;line-height:1.5;\">\n");

        h.Append("<p style=\"margin:0 0 4px 0;font-size:14px;color:").Append(Muted).Append(";\">").Append(E(T("mail-title"))).Append("</p>\n")
            .Append("<h1 style=\"margin:0 0 4px 0;font-size:24px;line-height:1.25;color:#111827;\">").Append(E(summary.ProjectName)).Append("</h1>\n")
            .Append("<p style=\"margin:0 0 16px 0;font-size:16px;color:").Append(Muted).Append(";\">")
            .Append(E(string.Format(CultureInfo.InvariantCulture, T("mail-summary-of"), month))).Append("</p>\n");

        if (warnings.Count > 0)
        {
            h.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"margin:0 0 16px 0;\">\n")
                .Append("<tr><td style=\"padding:12px 14px;background-color:#fff4e5;border-left:6px solid #b45309;color:#3b1f00;").Append(Font).Append("font-size:16px;\">\n")
                .Append("<p style=\"margin:0 0 4px 0;font-weight:bold;\">&#9888; ").Append(E(T("mail-warnings"))).Append("</p>\n");
            foreach (var warning in warnings)
            {
                h.Append("<p style=\"margin:4px 0 0 0;\">").Append(E(warning)).Append("</p>\n");
            }

            h.Append("</td></tr>\n</table>\n");
        }

        foreach (var line in headline)
        {
            h.Append("<p style=\"margin:0 0 8px 0;\">").Append(E(KeepPercent(line))).Append("</p>\n");
        }

        h.Append("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"margin:16px 0 8px 0;\"><tr>")
            .Append("<td style=\"background-color:").Append(LinkColour).Append(";border-radius:4px;\">")
            .Append("<a href=\"").Append(E(url)).Append("\" style=\"display:inline-block;padding:10px 18px;").Append(Font)
            .Append("font-size:16px;font-weight:bold;color:#ffffff;text-decoration:none;\">").Append(E(T("mail-open"))).Append("</a>")
            .Append("</td></tr></table>\n");

        foreach (var table in tables)
        {
            Section(h, table.Title);
            if (table.Id == "trend")
            {
                // The chart heads its own table: the table is the chart's data for those who cannot see it.
                h.Append("<img src=\"cid:").Append(ChartContentId).Append("\" width=\"").Append(SummaryChart.Width)
                    .Append("\" alt=\"").Append(E(SummaryChart.AltText(summary, language)))
                    .Append("\" style=\"display:block;width:100%;max-width:").Append(SummaryChart.Width)
                    .Append("px;height:auto;border:0;margin:0 0 12px 0;\">\n");
            }

            Table(h, table, language);
        }

        h.Append("<p style=\"margin:24px 0 0 0;font-size:14px;color:").Append(Muted).Append(";\">").Append(E(T("mail-footer"))).Append("</p>\n")
            .Append("<p style=\"margin:8px 0 0 0;font-size:14px;\"><a href=\"").Append(E(url)).Append("\" style=\"color:").Append(LinkColour).Append(";\">")
            .Append(E(T("mail-open"))).Append("</a></p>\n");

        h.Append("</td></tr>\n</table>\n")
            .Append("<!--[if mso]></td></tr></table><![endif]-->\n")
            .Append("</td></tr>\n</table>\n</body>\n</html>\n");
        return h.ToString();
    }

    private static void Section(StringBuilder h, string title) =>
        h.Append("<h2 style=\"margin:24px 0 8px 0;font-size:18px;line-height:1.3;color:#111827;\">").Append(E(title)).Append("</h2>\n");

    private static void Table(StringBuilder h, SummaryTable table, string language)
    {
        if (table.Rows.Count == 0)
        {
            h.Append("<p style=\"margin:0 0 8px 0;color:").Append(Muted).Append(";\">").Append(E(SummaryTexts.Get("no-rows", language))).Append("</p>\n");
            return;
        }

        var numeric = Enumerable.Range(0, table.Columns.Count)
            .Select(c => table.Rows.Any(r => c < r.Count && r[c].Number is not null) && table.Rows.All(r => c >= r.Count || r[c].Text is null or ""))
            .ToArray();
        const string Cell = "padding:6px 6px;border-bottom:1px solid #e5e7eb;vertical-align:top;";
        h.Append("<div style=\"overflow-x:auto;-webkit-overflow-scrolling:touch;\">\n")
            .Append("<table cellpadding=\"0\" cellspacing=\"0\" border=\"0\" width=\"100%\" style=\"border-collapse:collapse;").Append(Font).Append("font-size:14px;line-height:1.4;color:").Append(Ink).Append(";\">\n");
        h.Append("<thead><tr>");
        for (var c = 0; c < table.Columns.Count; c++)
        {
            h.Append("<th scope=\"col\" style=\"").Append(Cell).Append("background-color:#eef0f3;border-bottom:2px solid ").Append(Rule)
                .Append(";font-weight:bold;text-align:").Append(numeric[c] ? "right" : "left").Append(";\">").Append(E(table.Columns[c])).Append("</th>");
        }

        h.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            h.Append("<tr>");
            for (var c = 0; c < row.Count; c++)
            {
                var cell = row[c];
                h.Append(c == 0 ? "<th scope=\"row\" style=\"" : "<td style=\"").Append(Cell)
                    .Append(cell.Number is not null || numeric.ElementAtOrDefault(c)
                        ? "text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;"
                        : "text-align:left;")
                    .Append(c == 0 ? "font-weight:normal;" : "")
                    .Append("\">").Append(E(KeepPercent(cell.Display(language)))).Append(c == 0 ? "</th>" : "</td>");
            }

            h.Append("</tr>\n");
        }

        h.Append("</tbody>\n</table>\n</div>\n");
    }

    private static string TextBody(
        MonthlySummary summary, string language, string url, string month,
        IReadOnlyList<string> headline, IReadOnlyList<string> warnings, IReadOnlyList<SummaryTable> tables)
    {
        string T(string key) => SummaryTexts.Get(key, language);
        var t = new StringBuilder(8 * 1024);
        t.Append(T("mail-title")).Append('\n')
            .Append(OneLine(summary.ProjectName)).Append('\n')
            .Append(string.Format(CultureInfo.InvariantCulture, T("mail-summary-of"), month)).Append("\n\n");
        foreach (var warning in warnings)
        {
            t.Append("!! ").Append(T("mail-warnings")).Append(": ").Append(warning).Append('\n');
        }

        if (warnings.Count > 0)
        {
            t.Append('\n');
        }

        foreach (var line in headline)
        {
            t.Append(line).Append('\n');
        }

        t.Append('\n').Append(string.Format(CultureInfo.InvariantCulture, T("mail-open-text"), url)).Append('\n');
        foreach (var table in tables)
        {
            t.Append('\n').Append(table.Title).Append('\n').Append(new string('-', Math.Min(table.Title.Length, 60))).Append('\n');
            if (table.Rows.Count == 0)
            {
                t.Append(T("no-rows")).Append('\n');
                continue;
            }

            t.AppendJoin(" | ", table.Columns).Append('\n');
            foreach (var row in table.Rows)
            {
                t.AppendJoin(" | ", row.Select(c => OneLine(c.Display(language)))).Append('\n');
            }
        }

        t.Append('\n').Append(T("mail-footer")).Append('\n');
        return t.ToString();
    }

    private static string E(string text) => Html.Encode(text);

    /// <summary>A Finnish or Swedish percentage ("76 %") with a no-break space, so a narrow screen does not wrap the sign away from its number.</summary>
    private static string KeepPercent(string text) => text.Replace(" %", "\u00A0%", StringComparison.Ordinal);

    /// <summary>The text on one line: control characters (a line break in a project name would split a mail header) become spaces.</summary>
    private static string OneLine(string text) =>
        new([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);

    /// <summary>A piece of a file name: lower-case letters, digits and hyphens only.</summary>
    private static string FileNamePart(string text)
    {
        var part = new string([.. text.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' ? c : '-')]).Trim('-');
        return part.Length == 0 ? "project" : part;
    }
}
