using Askel.App.Commands;
using Askel.Runtime.Definitions;
using Askel.Runtime.Forms;
using Askel.Testing;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Askel.App.Tests.Commands;

public sealed class FormCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("askel-form-");

    private static string ExitForm => Repository.Path("workflows", "forms", "esf-exit.yaml");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Run_ExportThenImport_WritesTheSameFormBack()
    {
        var workbook = Path.Combine(_folder.FullName, "exit.xlsx");

        var (exportCode, exportOutput, exportError) = Run("export", ExitForm, "--out", workbook);

        Assert.True(exportCode == 0, exportError);
        Assert.Equal($"wrote {workbook}: 2 page(s), 6 question(s)\n", exportOutput);

        var (importCode, importOutput, importError) = Run("import", workbook, "--out", _folder.FullName);

        Assert.True(importCode == 0, importError);
        var written = Path.Combine(_folder.FullName, "esf-exit.yaml");
        Assert.StartsWith($"wrote {written}: 2 page(s), 6 question(s), in fi, sv, en, uk, ru, ar, so, fa\n", importOutput, StringComparison.Ordinal);
        var languages = WorkflowLoader.AllowedLanguages;
        var original = FormLoader.LoadFile(ExitForm, languages).Form!;
        var imported = FormLoader.LoadFile(written, languages);
        Assert.Empty(imported.Errors);
        Assert.Equal(original.Questions.Select(q => (q.Id, q.Type, q.Required, q.ShowIf, q.Report)), imported.Form!.Questions.Select(q => (q.Id, q.Type, q.Required, q.ShowIf, q.Report)));
    }

    [Fact]
    public void Run_ImportOverAnExistingFile_RefusesUnlessForced()
    {
        var workbook = Path.Combine(_folder.FullName, "exit.xlsx");
        Assert.Equal(0, Run("export", ExitForm, "--out", workbook).Code);
        var existing = Path.Combine(_folder.FullName, "esf-exit.yaml");
        File.WriteAllText(existing, "keep me");

        var (code, output, error) = Run("import", workbook, "--out", _folder.FullName);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"askel form import: {existing} already exists; give --force to replace it\n", error);
        Assert.Equal("keep me", File.ReadAllText(existing));

        Assert.Equal(0, Run("import", workbook, "--out", _folder.FullName, "--force").Code);
        Assert.StartsWith("# yaml-language-server", File.ReadAllText(existing), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ImportOfAnUnsupportedForm_PrintsEachProblemAtItsCellAndExitsOne()
    {
        var workbook = Path.Combine(_folder.FullName, "survey.xlsx");
        Workbook(workbook, ("survey", [["type", "name", "label::English (en)"], ["calculate", "total", ""], ["begin_repeat", "kids", "Kids"], ["end_repeat"]]), ("settings", [["form_title"], ["Survey"]]));

        var (code, output, error) = Run("import", workbook, "--out", _folder.FullName);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal(
            $"askel form import: {workbook} cannot be imported; fix these in the workbook:\n" +
            "survey, row 2, column A 'type': the question type 'calculate' is not supported (fix: Askel forms do not calculate values; remove the row and work out the value in the workflow or the report)\n" +
            "survey, row 3, column A 'type': repeats are not supported (fix: ask a fixed set of questions (e.g. about the first three children) in a group instead)\n" +
            "2 problem(s)\n",
            error);
        Assert.Empty(_folder.GetFiles("*.yaml"));
    }

    [Fact]
    public void Run_ImportOfAFileThatIsNotAWorkbook_ExitsOneWithoutATrace()
    {
        var file = Path.Combine(_folder.FullName, "form.xlsx");
        File.WriteAllText(file, "type,name,label\n");

        var (code, _, error) = Run("import", file, "--out", _folder.FullName);

        Assert.Equal(1, code);
        Assert.Contains("workbook: the file is not an Excel workbook (.xlsx) that can be read", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "give import or export")]
    [InlineData(new[] { "import" }, "give the file to import")]
    [InlineData(new[] { "convert", "x.xlsx" }, "'convert' is not import or export")]
    [InlineData(new[] { "import", "x.xlsx", "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "export", "esf-exit", "--out" }, "--out needs a value")]
    [InlineData(new[] { "import", "no-such-file.xlsx" }, "there is no file 'no-such-file.xlsx'")]
    [InlineData(new[] { "export", "no-such-form" }, "there is no form file")]
    public void Run_BadUsage_ExitsTwoWithUsage(string[] args, string message)
    {
        var (code, output, error) = Run(args);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains("usage: askel form import", error, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = FormCommand.Run(args, output, error);
        return (code, output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), error.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    /// <summary>A workbook of text cells, as a spreadsheet program writes one.</summary>
    private static void Workbook(string path, params (string Name, string[][] Rows)[] sheets)
    {
        using var document = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook();
        var list = workbook.Workbook.AppendChild(new Sheets());
        uint id = 1;
        foreach (var (name, rows) in sheets)
        {
            var part = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            foreach (var (cells, r) in rows.Select((cells, r) => (cells, r + 1)))
            {
                data.AppendChild(new Row(cells.Select((text, c) => new Cell(new InlineString(new Text(text))) { CellReference = $"{(char)('A' + c)}{r}", DataType = CellValues.InlineString })) { RowIndex = (uint)r });
            }

            part.Worksheet = new Worksheet(data);
            list.AppendChild(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id++, Name = name });
        }
    }
}
