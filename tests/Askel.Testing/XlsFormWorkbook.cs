using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Askel.Testing;

/// <summary>
/// Builds XLSForm workbooks for tests as a spreadsheet program saves them: texts in the shared string table,
/// numbers as numbers, empty cells left out. Independent of the exporter, so the importer is tested on its own.
/// </summary>
public static class XlsFormWorkbook
{
    /// <summary>A workbook of these sheets; each row's first element is row 1 (the header).</summary>
    public static byte[] Build(params (string Name, string[][] Rows)[] sheets)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var strings = workbook.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new SharedStringTable();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var list = workbook.Workbook.AppendChild(new Sheets());
            uint id = 1;
            foreach (var (name, rows) in sheets)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                for (var r = 0; r < rows.Length; r++)
                {
                    var row = new Row { RowIndex = (uint)(r + 1) };
                    for (var c = 0; c < rows[r].Length; c++)
                    {
                        var text = rows[r][c];
                        if (text.Length == 0)
                        {
                            continue;
                        }

                        var reference = $"{(char)('A' + c)}{r + 1}";
                        if (int.TryParse(text, out _))
                        {
                            row.AppendChild(new Cell { CellReference = reference, CellValue = new CellValue(text), DataType = CellValues.Number });
                            continue;
                        }

                        if (!index.TryGetValue(text, out var position))
                        {
                            position = index[text] = index.Count;
                            strings.SharedStringTable.AppendChild(new SharedStringItem(new Text(text)));
                        }

                        row.AppendChild(new Cell { CellReference = reference, CellValue = new CellValue(position), DataType = CellValues.SharedString });
                    }

                    data.AppendChild(row);
                }

                part.Worksheet = new Worksheet(data);
                list.AppendChild(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id++, Name = name });
            }
        }

        return stream.ToArray();
    }
}
