using System.IO.Compression;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Askel.Runtime.Forms.XlsForms;

/// <summary>A column of a sheet: its position, letter and header text.</summary>
internal sealed record XlsColumn(int Index, string Letter, string Header);

/// <summary>A row of a sheet with its number as the spreadsheet shows it; cells by column index, text only.</summary>
internal sealed record XlsRow(int Number, IReadOnlyDictionary<int, string> Cells)
{
    public string Cell(XlsColumn? column) => column is not null && Cells.TryGetValue(column.Index, out var text) ? text : "";
}

/// <summary>One sheet as text: its header row's columns, then the non-empty rows below it.</summary>
internal sealed record XlsSheet(string Name, int HeaderRow, IReadOnlyList<XlsColumn> Columns, IReadOnlyList<XlsRow> Rows);

/// <summary>
/// Reads and writes the cells of an .xlsx workbook as text with DocumentFormat.OpenXml. Reading is bounded
/// (file size, unpacked size, rows, columns) so a hostile or accidental huge file is refused, not loaded.
/// </summary>
internal static class XlsWorkbook
{
    /// <summary>The largest workbook read: 5 MiB.</summary>
    public const int MaxBytes = 5 * 1024 * 1024;

    /// <summary>The most a workbook may unpack to (a small zip can hold gigabytes).</summary>
    public const long MaxUnpackedBytes = 50L * 1024 * 1024;

    /// <summary>The most rows a sheet may have.</summary>
    public const int MaxRows = 5000;

    /// <summary>The most columns a sheet may have.</summary>
    public const int MaxColumns = 200;

    /// <summary>The sheets by name (lowercase); null with a problem when the bytes are not a readable workbook.</summary>
    public static Dictionary<string, XlsSheet>? Read(byte[] bytes, List<XlsFormProblem> problems)
    {
        const string SaveAs = "open it in a spreadsheet program and save it as an Excel workbook (.xlsx)";
        const string OtherFormats = "; an old .xls, a .csv or an .ods file cannot be read";
        const string NotAWorkbook = "the file is not an Excel workbook (.xlsx) that can be read";
        if (bytes.Length > MaxBytes)
        {
            problems.Add(new(null, null, null, null, $"the file is too large ({bytes.Length / 1024} KiB; at most {MaxBytes / 1024} KiB is read)", "a form needs far less: remove images, other sheets and unused rows"));
            return null;
        }

        try
        {
            using (var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
            {
                if (zip.Entries.Sum(e => e.Length) > MaxUnpackedBytes)
                {
                    problems.Add(new(null, null, null, null, $"the workbook unpacks to more than {MaxUnpackedBytes / 1024 / 1024} MiB", "a form needs far less: remove images, other sheets and unused rows"));
                    return null;
                }
            }

            using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
            var workbook = document.WorkbookPart;
            if (workbook?.Workbook.Sheets is not { } sheets)
            {
                problems.Add(new(null, null, null, null, NotAWorkbook, SaveAs + OtherFormats));
                return null;
            }

            var strings = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(Text).ToArray() ?? [];
            var result = new Dictionary<string, XlsSheet>(StringComparer.OrdinalIgnoreCase);
            var before = problems.Count;
            foreach (var sheet in sheets.Elements<Sheet>())
            {
                var name = sheet.Name?.Value?.Trim() ?? "";
                if (sheet.Id?.Value is { } id && workbook.GetPartById(id) is WorksheetPart part && !result.ContainsKey(name))
                {
                    if (ReadSheet(name, part, strings, problems) is { } read)
                    {
                        result[name] = read;
                    }
                }
            }

            // A sheet over the limits stops the import: what follows would only be problems of its absence.
            return problems.Count > before ? null : result;
        }
        catch (Exception e) when (e is InvalidDataException or OpenXmlPackageException or FileFormatException or XmlException or InvalidOperationException)
        {
            problems.Add(new(null, null, null, null, NotAWorkbook, SaveAs + OtherFormats));
            return null;
        }
    }

    private static XlsSheet? ReadSheet(string name, WorksheetPart part, string[] strings, List<XlsFormProblem> problems)
    {
        var rows = new List<XlsRow>();
        var previous = 0;
        foreach (var row in part.Worksheet.Descendants<Row>())
        {
            // Rows without a number follow the one before, as Excel reads them.
            var number = (int?)row.RowIndex?.Value ?? previous + 1;
            previous = number;
            if (number > MaxRows + 1)
            {
                problems.Add(new(name, number, null, null, $"the sheet has more than {MaxRows} rows", "remove the rows below the form (a form has at most a few hundred)"));
                return null;
            }

            var cells = new Dictionary<int, string>();
            var column = 0;
            foreach (var cell in row.Elements<Cell>())
            {
                column = cell.CellReference?.Value is { } reference ? ColumnIndex(reference) : column + 1;
                if (column > MaxColumns)
                {
                    problems.Add(new(name, number, Letter(column), null, $"the sheet has more than {MaxColumns} columns", "remove the columns the form does not use"));
                    return null;
                }

                var value = Value(cell, strings).Trim();
                if (value.Length > 0)
                {
                    cells[column] = value;
                }
            }

            if (cells.Count > 0)
            {
                rows.Add(new(number, cells));
            }
        }

        if (rows.Count == 0)
        {
            return new(name, 1, [], []);
        }

        var header = rows[0];
        var columns = header.Cells.OrderBy(c => c.Key).Select(c => new XlsColumn(c.Key, Letter(c.Key), c.Value)).ToList();
        return new(name, header.Number, columns, rows.Skip(1).ToList());
    }

    private static string Value(Cell cell, string[] strings)
    {
        var raw = cell.CellValue?.Text ?? "";
        var type = cell.DataType?.Value;
        if (type == CellValues.SharedString)
        {
            return int.TryParse(raw, out var index) && index >= 0 && index < strings.Length ? strings[index] : "";
        }

        if (type == CellValues.InlineString)
        {
            return cell.InlineString is { } inline ? RichText(inline.Text, inline.Elements<Run>()) : "";
        }

        if (type == CellValues.Boolean)
        {
            return raw == "1" ? "true" : "false";
        }

        return raw;
    }

    private static string Text(SharedStringItem item) => RichText(item.Text, item.Elements<Run>());

    // Only the visible text: phonetic runs (rPh) are left out.
    private static string RichText(DocumentFormat.OpenXml.Spreadsheet.Text? text, IEnumerable<Run> runs) =>
        text?.Text ?? string.Concat(runs.Select(r => r.Text?.Text));

    /// <summary>1 for A, 27 for AA, from a reference like <c>AA12</c>.</summary>
    private static int ColumnIndex(string reference)
    {
        var index = 0;
        // Three letters reach XFD, Excel's last column; a longer reference is past any limit (and would overflow).
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter).Take(4))
        {
            index = (index * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return index;
    }

    /// <summary>A for 1, AA for 27.</summary>
    public static string Letter(int index)
    {
        var letters = "";
        while (index > 0)
        {
            var remainder = (index - 1) % 26;
            letters = (char)('A' + remainder) + letters;
            index = (index - 1) / 26;
        }

        return letters;
    }

    /// <summary>A workbook with these sheets, each a header row and text rows (empty cells are left out).</summary>
    public static byte[] Write(IEnumerable<(string Name, IReadOnlyList<string> Header, IEnumerable<IReadOnlyList<string>> Rows)> sheets)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var list = workbook.Workbook.AppendChild(new Sheets());
            uint id = 1;
            foreach (var (name, header, rows) in sheets)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                var number = 1;
                foreach (var values in rows.Prepend(header))
                {
                    var row = new Row { RowIndex = (uint)number };
                    for (var i = 0; i < values.Count; i++)
                    {
                        if (values[i].Length > 0)
                        {
                            row.AppendChild(new Cell(new InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(values[i]) { Space = SpaceProcessingModeValues.Preserve }))
                            {
                                CellReference = Letter(i + 1) + number,
                                DataType = CellValues.InlineString,
                            });
                        }
                    }

                    data.AppendChild(row);
                    number++;
                }

                part.Worksheet = new Worksheet(data);
                list.AppendChild(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id++, Name = name });
            }
        }

        return stream.ToArray();
    }
}
