using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DocumentFormat.OpenXml.Packaging;
using S = DocumentFormat.OpenXml.Spreadsheet;

namespace Askel.App.Participants.Import;

/// <summary>A spreadsheet's rows as the text of each cell under its header, with the line each came from.</summary>
/// <param name="Headers">The header row, as written.</param>
/// <param name="Rows">Each data row: its line (1 is the header) and its cells, as many as the header's.</param>
public sealed record ImportTable(IReadOnlyList<string> Headers, IReadOnlyList<(int Line, IReadOnlyList<string> Cells)> Rows);

/// <summary>
/// Reads the file a coordinator exported from Excel: a CSV (UTF-8, with or without a BOM, or Excel's Windows-1252; the
/// separator <c>;</c>, <c>,</c> or a tab, found from the header line) or an XLSX workbook (its first sheet).
/// </summary>
public static class ImportFile
{
    /// <summary>The largest file taken (about 3,000 rows of the usual columns).</summary>
    public const int MaxBytes = 320 * 1024;

    /// <summary>The most data rows taken.</summary>
    public const int MaxRows = 3000;

    static ImportFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The table in <paramref name="content"/>, or null when it is neither a CSV nor an XLSX file Askel can read.</summary>
    public static ImportTable? Read(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            return content.Length >= 4 && content[0] == 'P' && content[1] == 'K' ? ReadXlsx(content) : ReadCsv(Decode(content));
        }
        catch (Exception e) when (e is CsvHelperException or InvalidDataException or OpenXmlPackageException or FormatException or IOException)
        {
            return null;
        }
    }

    // UTF-8 when the bytes are valid UTF-8 (a BOM is dropped); else Windows-1252, which Finnish Excel writes ("CSV (puolipisteellä erotettu)").
    private static string Decode(byte[] content)
    {
        try
        {
            var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(content);
            return text.TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(1252).GetString(content);
        }
    }

    private static ImportTable? ReadCsv(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var firstLine = end >= 0 ? text[..end] : text;
        var delimiter = new[] { ";", ",", "\t" }.MaxBy(d => firstLine.Count(c => c == d[0]))!;
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter,
            HasHeaderRecord = false,
            BadDataFound = null,
            MissingFieldFound = null,
            DetectColumnCountChanges = false,
            TrimOptions = TrimOptions.Trim,
        };
        using var reader = new CsvReader(new StringReader(text), configuration);
        var rows = new List<(int, IReadOnlyList<string>)>();
        IReadOnlyList<string>? headers = null;
        while (reader.Read())
        {
            var cells = Enumerable.Range(0, reader.Parser.Count).Select(i => reader.GetField(i) ?? "").ToArray();
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (headers is null)
            {
                headers = cells;
                continue;
            }

            if (rows.Count == MaxRows)
            {
                throw new InvalidDataException("too many rows");
            }

            rows.Add((reader.Parser.Row, Fit(cells, headers.Count)));
        }

        return headers is null ? null : new ImportTable(headers, rows);
    }

    private static ImportTable? ReadXlsx(byte[] content)
    {
        using var stream = new MemoryStream(content, writable: false);
        using var document = SpreadsheetDocument.Open(stream, isEditable: false);
        var workbook = document.WorkbookPart ?? throw new InvalidDataException("no workbook");
        var sheet = workbook.Workbook.Sheets?.Elements<S.Sheet>().FirstOrDefault() ?? throw new InvalidDataException("no sheet");
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
        var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<S.SharedStringItem>().Select(i => i.InnerText).ToArray() ?? [];
        IReadOnlyList<string>? headers = null;
        var rows = new List<(int, IReadOnlyList<string>)>();
        foreach (var row in part.Worksheet.Descendants<S.Row>())
        {
            var cells = new SortedDictionary<int, string>();
            foreach (var cell in row.Elements<S.Cell>())
            {
                cells[ColumnIndex(cell.CellReference?.Value ?? "")] = cell.DataType?.Value == S.CellValues.SharedString && int.TryParse(cell.CellValue?.Text, CultureInfo.InvariantCulture, out var index) && index < shared.Length
                    ? shared[index]
                    : cell.DataType?.Value == S.CellValues.InlineString ? cell.InlineString?.InnerText ?? "" : cell.CellValue?.Text ?? "";
            }

            var values = cells.Count == 0 ? [] : Enumerable.Range(0, cells.Keys.Max() + 1).Select(i => cells.GetValueOrDefault(i, "").Trim()).ToArray();
            if (values.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (headers is null)
            {
                headers = values;
                continue;
            }

            if (rows.Count == MaxRows)
            {
                throw new InvalidDataException("too many rows");
            }

            rows.Add(((int)(row.RowIndex?.Value ?? (uint)rows.Count + 2), Fit(values, headers.Count)));
        }

        return headers is null ? null : new ImportTable(headers, rows);
    }

    private static string[] Fit(string[] cells, int count) => [.. Enumerable.Range(0, count).Select(i => i < cells.Length ? cells[i] : "")];

    // "C7" → 2
    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter))
        {
            index = (index * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return Math.Max(index - 1, 0);
    }
}
