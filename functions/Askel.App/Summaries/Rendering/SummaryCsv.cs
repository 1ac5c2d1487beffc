using System.Globalization;
using System.Text;

namespace Askel.App.Summaries.Rendering;

/// <summary>
/// The summary's tables as one CSV file for Finnish Excel: UTF-8 with a BOM (so Excel does not guess a code page),
/// <c>;</c> between fields (the list separator of the Finnish locale), CRLF line ends, RFC 4180 quoting. Each table
/// is its title row, its header row and its rows, and an empty line separates tables.
/// </summary>
/// <remarks>
/// Numbers are written so that Excel reads them as numbers: no group separators, an ASCII minus (Excel reads
/// U+2212 as text), no plus sign on positive changes, the decimal mark of the language (<c>3,5</c> in Finnish) and
/// shares as a percentage with a percent sign and no space (<c>45%</c>, <c>76,5%</c>), which Excel turns into a
/// number with a percent format in every locale, whereas <c>45 %</c> may stay text. Text that a spreadsheet could
/// take for a formula gets a leading apostrophe (<see cref="Neutralise"/>).
/// </remarks>
public static class SummaryCsv
{
    /// <summary>The media type of the file.</summary>
    public const string ContentType = "text/csv";

    private const char Separator = ';';

    /// <summary>The tables as CSV bytes, UTF-8 with a byte order mark.</summary>
    public static byte[] Write(IReadOnlyList<SummaryTable> tables, string language)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var culture = SummaryTexts.Culture(language);
        var csv = new StringBuilder();
        for (var t = 0; t < tables.Count; t++)
        {
            var table = tables[t];
            if (t > 0)
            {
                csv.Append("\r\n");
            }

            AppendLine(csv, [Field(table.Title)]);
            AppendLine(csv, [.. table.Columns.Select(Field)]);
            foreach (var row in table.Rows)
            {
                AppendLine(csv, [.. row.Select(cell => Cell(cell, culture))]);
            }
        }

        var preamble = Encoding.UTF8.GetPreamble();
        var body = Encoding.UTF8.GetBytes(csv.ToString());
        return [.. preamble, .. body];
    }

    /// <summary>
    /// Text that a spreadsheet would run as a formula (it begins with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a
    /// line break, or their full-width forms) gets a leading apostrophe, as the OWASP CSV injection guidance says;
    /// other text is returned as it is.
    /// </summary>
    public static string Neutralise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n' or '\uFF1D' or '\uFF0B' or '\uFF0D' or '\uFF20'
            ? "'" + text
            : text;
    }

    /// <summary>A number as this file writes it (see the remarks on the class).</summary>
    internal static string Number(double number, CellFormat format, CultureInfo culture)
    {
        var text = format switch
        {
            CellFormat.Percent => (number * 100).ToString("0.#", culture.NumberFormat) + "%",
            CellFormat.Decimal => number.ToString("0.0", culture.NumberFormat),
            _ => number.ToString("0", culture.NumberFormat),
        };

        // Finnish formatting writes U+2212 for minus (ICU); Excel reads only the ASCII hyphen-minus as a sign.
        return text.Replace('\u2212', '-');
    }

    private static string Cell(SummaryCell cell, CultureInfo culture) =>
        cell.Number is { } n ? Number(n, cell.Format, culture) : Field(cell.Text ?? "");

    private static string Field(string text)
    {
        var safe = Neutralise(text);
        return safe.AsSpan().IndexOfAny([Separator, '"', '\r', '\n']) >= 0
            ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : safe;
    }

    private static void AppendLine(StringBuilder csv, IReadOnlyList<string> fields)
    {
        csv.AppendJoin(Separator, fields);
        csv.Append("\r\n");
    }
}
