using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using S = DocumentFormat.OpenXml.Spreadsheet;

namespace Askel.App.Summaries.Rendering;

/// <summary>
/// The summary as an XLSX workbook: a first sheet naming the project, the month, when it was made and the tables,
/// then a sheet per table with a bold, frozen header row, numbers as numbers with their number formats
/// (<c>0</c>, <c>0%</c>, <c>0.0</c>, <c>+0;-0;0</c>) and columns wide enough for their contents.
/// </summary>
/// <remarks>
/// Text is written as inline strings, which a spreadsheet never evaluates; text that looks like a formula still
/// gets a leading apostrophe (<see cref="SummaryCsv.Neutralise"/>) so that copying it elsewhere is safe too.
/// </remarks>
public static class SummaryWorkbook
{
    /// <summary>The media type of the file.</summary>
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The longest sheet name Excel accepts.</summary>
    public const int MaxSheetName = 31;

    private const uint StyleBold = 1;
    private const uint StyleInteger = 2;
    private const uint StylePercent = 3;
    private const uint StyleDecimal = 4;
    private const uint StyleSigned = 5;
    private const uint StyleDateTime = 6;
    private const uint StyleTitle = 7;

    private static readonly TimeZoneInfo Helsinki = Askel.Runtime.Calendar.CalendarPolicy.Default.TimeZone; // the runtime's zone: Europe/Helsinki

    /// <summary>The workbook's bytes, labelled in <paramref name="language"/>.</summary>
    public static byte[] Xlsx(MonthlySummary summary, string language)
    {
        ArgumentNullException.ThrowIfNull(summary);
        string T(string key) => SummaryTexts.Get(key, language);
        var tables = SummaryTables.Of(summary, language);

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var aboutName = SheetName(T("sheet-about"), names);
        var tableNames = tables.Select(t => SheetName(t.Title, names)).ToList();

        return Workbook((workbookPart, sheets) =>
        {
            var about = new List<IReadOnlyList<S.Cell?>>
            {
                new[] { Text(T("mail-title"), StyleTitle) },
                new[] { Text(T("about-project"), StyleBold), Text(summary.ProjectName) },
                new[] { Text(T("about-project-id"), StyleBold), Text(summary.ProjectId) },
                new[] { Text(T("about-month"), StyleBold), Text(SummaryTexts.MonthName(summary.Month, language)) },
                new[] { Text(T("about-generated"), StyleBold), Number(HelsinkiTime(summary.GeneratedAt).ToOADate(), StyleDateTime) },
                Array.Empty<S.Cell?>(),
                new[] { Text(T("about-sheet"), StyleBold), Text(T("about-table"), StyleBold) },
            };
            about.AddRange(tables.Select((t, i) => (IReadOnlyList<S.Cell?>)[Text(tableNames[i]), Text(t.Title)]));
            AddSheet(workbookPart, sheets, aboutName, about, [24, 60], freezeHeader: false);

            for (var i = 0; i < tables.Count; i++)
            {
                AddTable(workbookPart, sheets, tableNames[i], tables[i], language);
            }
        });
    }

    /// <summary>One table as a workbook of one sheet, its header frozen (a coordinator's exported list).</summary>
    public static byte[] Xlsx(SummaryTable table, string language)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Workbook((workbookPart, sheets) => AddTable(workbookPart, sheets, SheetName(table.Title, new HashSet<string>(StringComparer.OrdinalIgnoreCase)), table, language));
    }

    // A workbook with the styles every sheet uses, and the sheets the caller adds.
    private static byte[] Workbook(Action<WorkbookPart, S.Sheets> addSheets)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.Workbook = new S.Workbook();
            var sheets = workbookPart.Workbook.AppendChild(new S.Sheets());
            var styles = workbookPart.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Stylesheet();
            addSheets(workbookPart, sheets);
            workbookPart.Workbook.Save();
        }

        return stream.ToArray();
    }

    // A table as a sheet: its header row bold and frozen, then its rows.
    private static void AddTable(WorkbookPart workbookPart, S.Sheets sheets, string name, SummaryTable table, string language)
    {
        List<IReadOnlyList<S.Cell?>> rows = [[.. table.Columns.Select(c => Text(c, StyleBold))]];
        rows.AddRange(table.Rows.Select(r => (IReadOnlyList<S.Cell?>)[.. r.Select(Cell)]));
        AddSheet(workbookPart, sheets, name, rows, Widths(table, language), freezeHeader: true);
    }

    /// <summary>
    /// A sheet name from <paramref name="title"/>: without the characters Excel forbids (<c>[]:*?</c> dropped, <c>/</c> and <c>\</c> as hyphens), at most
    /// <see cref="MaxSheetName"/> characters (cut at a word where one is near), and unlike every name in
    /// <paramref name="taken"/> (which it joins).
    /// </summary>
    internal static string SheetName(string title, ISet<string> taken)
    {
        var kept = title
            .Select(c => c is '/' or '\\' ? '-' : c)
            .Where(c => c is not ('[' or ']' or ':' or '*' or '?') && !char.IsControl(c));
        var clean = string.Join(' ', new string([.. kept]).Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim('\'').Trim();
        if (clean.Length == 0 || clean.Equals("History", StringComparison.OrdinalIgnoreCase))
        {
            clean = "Sheet";
        }

        var name = Shorten(clean, MaxSheetName);
        for (var n = 2; !taken.Add(name); n++)
        {
            var suffix = " (" + n.ToString(CultureInfo.InvariantCulture) + ")";
            name = Shorten(clean, MaxSheetName - suffix.Length) + suffix;
        }

        return name;
    }

    private static string Shorten(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var space = text.LastIndexOf(' ', max);
        return (space > max / 2 ? text[..space] : text[..max]).TrimEnd();
    }

    private static void AddSheet(WorkbookPart workbookPart, S.Sheets sheets, string name, IReadOnlyList<IReadOnlyList<S.Cell?>> rows, IReadOnlyList<double> widths, bool freezeHeader)
    {
        var part = workbookPart.AddNewPart<WorksheetPart>();
        var view = new S.SheetView { WorkbookViewId = 0U, TabSelected = sheets.ChildElements.Count == 0 };
        if (freezeHeader)
        {
            view.Append(
                new S.Pane { VerticalSplit = 1D, TopLeftCell = "A2", ActivePane = S.PaneValues.BottomLeft, State = S.PaneStateValues.Frozen },
                new S.Selection { Pane = S.PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } });
        }

        var columns = new S.Columns();
        for (var c = 0; c < widths.Count; c++)
        {
            columns.Append(new S.Column { Min = (uint)c + 1, Max = (uint)c + 1, Width = widths[c], CustomWidth = true });
        }

        var data = new S.SheetData();
        for (var r = 0; r < rows.Count; r++)
        {
            var row = new S.Row { RowIndex = (uint)r + 1 };
            for (var c = 0; c < rows[r].Count; c++)
            {
                if (rows[r][c] is { } cell)
                {
                    cell.CellReference = ColumnName(c) + (r + 1).ToString(CultureInfo.InvariantCulture);
                    row.Append(cell);
                }
            }

            data.Append(row);
        }

        part.Worksheet = new S.Worksheet(new S.SheetViews(view), columns, data);
        part.Worksheet.Save();
        sheets.Append(new S.Sheet
        {
            Id = workbookPart.GetIdOfPart(part),
            SheetId = (uint)sheets.ChildElements.Count + 1,
            Name = name,
        });
    }

    private static S.Cell? Cell(SummaryCell cell) => cell.Number is { } n
        ? Number(n, cell.Format switch
        {
            CellFormat.Percent => StylePercent,
            CellFormat.Decimal => StyleDecimal,
            CellFormat.Signed => StyleSigned,
            _ => StyleInteger,
        })
        : string.IsNullOrEmpty(cell.Text) ? null : Text(cell.Text);

    private static S.Cell Number(double number, uint style) =>
        new() { CellValue = new S.CellValue(number), StyleIndex = style };

    private static S.Cell Text(string text, uint style = 0) => new()
    {
        DataType = S.CellValues.InlineString,
        InlineString = new S.InlineString(new S.Text(XmlSafe(SummaryCsv.Neutralise(text))) { Space = SpaceProcessingModeValues.Preserve }),
        StyleIndex = style == 0 ? null : style,
    };

    /// <summary>The text without the characters XML 1.0 cannot hold (control characters, lone surrogates).</summary>
    private static string XmlSafe(string text)
    {
        var safe = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                safe.Append(c).Append(text[++i]);
            }
            else if (XmlConvertIsChar(c))
            {
                safe.Append(c);
            }
        }

        return safe.ToString();
    }

    private static bool XmlConvertIsChar(char c) =>
        c is '\t' or '\n' or '\r' || (c >= ' ' && !char.IsSurrogate(c) && c is not ('\uFFFE' or '\uFFFF'));

    private static List<double> Widths(SummaryTable table, string language) =>
        [.. table.Columns.Select((column, c) =>
        {
            var longest = table.Rows.Select(r => c < r.Count ? r[c].Display(language).Length : 0).Append(column.Length).Max();
            return Math.Clamp(longest + 2, 8, 50);
        })];

    private static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private static DateTime HelsinkiTime(DateTimeOffset moment) =>
        TimeZoneInfo.ConvertTime(moment, Helsinki).DateTime;

    private static S.Stylesheet Stylesheet() => new(
        new S.NumberingFormats(
            new S.NumberingFormat { NumberFormatId = 164U, FormatCode = "0.0" },
            new S.NumberingFormat { NumberFormatId = 165U, FormatCode = "+0;-0;0" },
            new S.NumberingFormat { NumberFormatId = 166U, FormatCode = "yyyy-mm-dd hh:mm" })
        { Count = 3U },
        new S.Fonts(
            new S.Font(new S.FontSize { Val = 11D }, new S.FontName { Val = "Calibri" }),
            new S.Font(new S.Bold(), new S.FontSize { Val = 11D }, new S.FontName { Val = "Calibri" }),
            new S.Font(new S.Bold(), new S.FontSize { Val = 14D }, new S.FontName { Val = "Calibri" }))
        { Count = 3U },
        new S.Fills(
            new S.Fill(new S.PatternFill { PatternType = S.PatternValues.None }),
            new S.Fill(new S.PatternFill { PatternType = S.PatternValues.Gray125 }))
        { Count = 2U },
        new S.Borders(new S.Border(new S.LeftBorder(), new S.RightBorder(), new S.TopBorder(), new S.BottomBorder(), new S.DiagonalBorder())) { Count = 1U },
        new S.CellStyleFormats(new S.CellFormat { NumberFormatId = 0U, FontId = 0U, FillId = 0U, BorderId = 0U }) { Count = 1U },
        new S.CellFormats(
            new S.CellFormat { NumberFormatId = 0U, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U },
            new S.CellFormat { NumberFormatId = 0U, FontId = 1U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyFont = true },
            new S.CellFormat { NumberFormatId = 1U, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyNumberFormat = true },
            new S.CellFormat { NumberFormatId = 9U, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyNumberFormat = true },
            new S.CellFormat { NumberFormatId = 164U, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyNumberFormat = true },
            new S.CellFormat { NumberFormatId = 165U, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyNumberFormat = true },
            new S.CellFormat { NumberFormatId = 166U, FontId = 0U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyNumberFormat = true },
            new S.CellFormat { NumberFormatId = 0U, FontId = 2U, FillId = 0U, BorderId = 0U, FormatId = 0U, ApplyFont = true })
        { Count = 8U },
        new S.CellStyles(new S.CellStyle { Name = "Normal", FormatId = 0U, BuiltinId = 0U }) { Count = 1U });
}
