using System.Globalization;
using Askel.App.Summaries.Rendering;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;

namespace Askel.App.Tests.Summaries.Rendering;

public sealed class SummaryWorkbookTests
{
    [Fact]
    public void Xlsx_IsAValidWorkbook_WithAnAboutSheetAndASheetPerTable()
    {
        var summary = SampleSummary.October2026();

        using var document = Open(SummaryWorkbook.Xlsx(summary, "fi"));

        Assert.Empty(new OpenXmlValidator().Validate(document));
        var sheets = document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!).ToList();
        var tables = SummaryTables.Of(summary, "fi");
        Assert.Equal(tables.Count + 1, sheets.Count);
        Assert.Equal("Tiedot", sheets[0]);
        Assert.All(sheets, name => Assert.InRange(name.Length, 1, 31));
        Assert.Equal(sheets.Count, sheets.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains("Tilanne kuusi kuukautta lähdön", sheets);
    }

    [Fact]
    public void Xlsx_AboutSheet_NamesProjectMonthAndGenerationTimeInHelsinki()
    {
        using var document = Open(SummaryWorkbook.Xlsx(SampleSummary.October2026(), "fi"));

        var rows = Rows(document, "Tiedot");
        Assert.Equal(["Projekti", "Polku työhön – Tampere"], rows[1].Select(c => c.Text));
        Assert.Equal(["Kuukausi", "lokakuu 2026"], rows[3].Select(c => c.Text));
        var generated = rows[4][1];
        Assert.Equal(new DateTime(2026, 11, 1, 6, 0, 0), DateTime.FromOADate(generated.Number!.Value));
        Assert.Equal("yyyy-mm-dd hh:mm", generated.Format);
    }

    [Fact]
    public void Xlsx_TableSheet_HasABoldFrozenHeader_AndNumbersAsNumbersWithFormats()
    {
        using var document = Open(SummaryWorkbook.Xlsx(SampleSummary.October2026(), "fi"));

        var rows = Rows(document, "Lomakkeet saatu - erääntynyt");
        Assert.Equal("Lomake", rows[0][0].Text);
        Assert.All(rows[0], c => Assert.True(c.Bold));
        var exit = rows.Single(r => r[0].Text == "Loppukysely");
        Assert.Equal(51d, exit[3].Number);
        Assert.Equal(39d, exit[4].Number);
        Assert.Equal(39d / 51, exit[5].Number!.Value, 10);
        Assert.Equal("0%", exit[5].Format);
        Assert.Equal("0", exit[4].Format);

        var pane = Worksheet(document, "Lomakkeet saatu - erääntynyt").Descendants<Pane>().Single();
        Assert.Equal(PaneStateValues.Frozen, pane.State!.Value);
        Assert.Equal("A2", pane.TopLeftCell!.Value);
        Assert.All(Worksheet(document, "Lomakkeet saatu - erääntynyt").Descendants<Column>(), c => Assert.InRange(c.Width!.Value, 8, 50));

        var overview = Rows(document, "Kuukauden luvut");
        Assert.Equal(4.3, overview.Single(r => r[0].Text == "Tyytyväisyys (1–5)")[2].Number);
        Assert.Equal("0.0", overview.Single(r => r[0].Text == "Tyytyväisyys (1–5)")[2].Format);
        var status = Rows(document, "Tilanteen muutos alusta loppuun");
        Assert.Equal(-22d, status.Single(r => r[0].Text == "Työttömät")[2].Number);
        Assert.Equal("+0;-0;0", status.Single(r => r[0].Text == "Työttömät")[2].Format);
    }

    [Fact]
    public void Xlsx_HostileText_IsAnInlineStringWithAnApostrophe_AndNoCellHasAFormula()
    {
        var summary = SampleSummary.Hostile("=HYPERLINK(\"http://x\")");

        using var document = Open(SummaryWorkbook.Xlsx(summary, "en"));

        Assert.Empty(new OpenXmlValidator().Validate(document));
        Assert.Empty(document.WorkbookPart!.WorksheetParts.SelectMany(p => p.Worksheet.Descendants<CellFormula>()));
        var about = Rows(document, "About");
        Assert.Equal("'=HYPERLINK(\"http://x\")", about[1][1].Text);
        var coordinators = Rows(document, "Caseload per coordinator");
        Assert.Equal("'=HYPERLINK(\"http://x\")", coordinators[1][0].Text);
        Assert.Equal("'@SUM(1)\"><img src=x onerror=alert(2)>", Rows(document, "Open coordinator tasks")[1][0].Text);
        Assert.All(document.WorkbookPart.WorksheetParts.SelectMany(p => p.Worksheet.Descendants<Cell>()).Where(c => c.InlineString is not null),
            c => Assert.Equal(CellValues.InlineString, c.DataType!.Value));
    }

    [Fact]
    public void Xlsx_HoldsNoParticipantId()
    {
        using var document = Open(SummaryWorkbook.Xlsx(SampleSummary.October2026(), "fi"));

        var text = string.Concat(document.WorkbookPart!.WorksheetParts.Select(p => p.Worksheet.OuterXml));
        Assert.All(SampleSummary.ParticipantIds, id => Assert.DoesNotContain(id, text, StringComparison.Ordinal));
    }

    [Fact]
    public void SheetName_RemovesForbiddenCharacters_ShortensAtAWord_AndKeepsNamesUnique()
    {
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        var first = SummaryWorkbook.SheetName("Tilanne kuusi kuukautta lähdön jälkeen [6/12]", taken);
        var second = SummaryWorkbook.SheetName("Tilanne kuusi kuukautta lähdön jälkeen", taken);
        var third = SummaryWorkbook.SheetName("'History'", taken);
        var fourth = SummaryWorkbook.SheetName("history", taken);

        Assert.Equal("Tilanne kuusi kuukautta lähdön", first);
        Assert.Equal("Tilanne kuusi kuukautta (2)", second);
        Assert.Equal("Sheet", third);
        Assert.Equal("Sheet (2)", fourth);
        Assert.All(taken, n => Assert.True(n.Length <= 31));
    }

    private static SpreadsheetDocument Open(byte[] bytes) => SpreadsheetDocument.Open(new MemoryStream(bytes), isEditable: false);

    private static Worksheet Worksheet(SpreadsheetDocument document, string sheet)
    {
        var workbook = document.WorkbookPart!;
        var id = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheet).Id!.Value!;
        return ((WorksheetPart)workbook.GetPartById(id)).Worksheet;
    }

    /// <summary>The sheet's rows as read back: each cell's text or number, its number format code and whether its font is bold.</summary>
    private static List<List<ReadCell>> Rows(SpreadsheetDocument document, string sheet)
    {
        var stylesheet = document.WorkbookPart!.WorkbookStylesPart!.Stylesheet;
        var formats = stylesheet.CellFormats!.Elements<DocumentFormat.OpenXml.Spreadsheet.CellFormat>().ToList();
        var fonts = stylesheet.Fonts!.Elements<Font>().ToList();
        var custom = stylesheet.NumberingFormats?.Elements<NumberingFormat>().ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode!.Value!) ?? [];
        var builtIn = new Dictionary<uint, string> { [0] = "General", [1] = "0", [9] = "0%" };
        return [.. Worksheet(document, sheet).Descendants<Row>().Select(row => row.Elements<Cell>().Select(cell =>
        {
            var format = formats[(int)(cell.StyleIndex?.Value ?? 0)];
            var id = format.NumberFormatId?.Value ?? 0;
            var text = cell.DataType?.Value == CellValues.InlineString ? cell.InlineString!.InnerText : null;
            double? number = text is null && cell.CellValue is { } value ? double.Parse(value.Text, CultureInfo.InvariantCulture) : null;
            return new ReadCell(text, number, custom.TryGetValue(id, out var code) ? code : builtIn[id], fonts[(int)(format.FontId?.Value ?? 0)].Bold is not null);
        }).ToList())];
    }

    private sealed record ReadCell(string? Text, double? Number, string Format, bool Bold);
}
