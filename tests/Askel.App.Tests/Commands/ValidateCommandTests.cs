using Askel.App.Commands;
using Askel.Testing;

namespace Askel.App.Tests.Commands;

/// <summary><c>askel validate</c> on temporary folders.</summary>
public sealed class ValidateCommandTests : IDisposable
{
    private const string Good = """
        workflow: good
        title: { fi: Hyvä, en: Good }
        languages: [fi, en]
        channels: [sms]
        steps:
          done:
            end: completed
        """;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("askel-validate-");
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public ValidateCommandTests()
    {
        // Every workflows folder has the page texts around its forms.
        Directory.CreateDirectory(Path.Combine(_folder.FullName, "pages"));
        File.Copy(Repository.Path("workflows", "pages", "texts.yaml"), Path.Combine(_folder.FullName, "pages", "texts.yaml"));
    }

    public void Dispose()
    {
        _output.Dispose();
        _error.Dispose();
        _folder.Delete(recursive: true);
    }

    private int Run(params string[] args) => ValidateCommand.Run(args, _output, _error);

    [Fact]
    public void Run_ValidFolder_ReturnsZeroAndSummarises()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "good.yaml"), Good);

        Assert.Equal(0, Run(_folder.FullName));
        Assert.Equal("1 workflow(s) checked, 0 error(s), 0 warning(s)", _output.ToString().Trim());
    }

    [Fact]
    public void Run_BrokenWorkflow_ReturnsOneAndNamesFileLineColumn()
    {
        var file = Path.Combine(_folder.FullName, "good.yaml");
        File.WriteAllText(file, Good.Replace("end: completed", "end: completed\n    nxet: done", StringComparison.Ordinal));

        Assert.Equal(1, Run(_folder.FullName));
        var lines = _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith($"{file}:8:5: error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("(fix: ", lines[0], StringComparison.Ordinal);
        Assert.Equal("1 workflow(s) checked, 1 error(s), 0 warning(s)", lines[^1]);
    }

    [Fact]
    public void Run_OnlyWarnings_ReturnsZero()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "good.yaml"), Good.Replace("[fi, en]", "[fi, en, sv]", StringComparison.Ordinal));

        Assert.Equal(0, Run(_folder.FullName));
        Assert.Contains(": warning: ", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("0 error(s), 1 warning(s)", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingFolder_ReturnsTwo()
    {
        Assert.Equal(2, Run(Path.Combine(_folder.FullName, "nope")));
        Assert.Contains("no folder", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TooManyArguments_ReturnsTwoWithUsage()
    {
        Assert.Equal(2, Run("a", "b"));
        Assert.Contains("usage", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_RepositoryWorkflows_AreValid()
    {
        Assert.Equal(0, Run(Repository.Path("workflows")));
    }

    [Fact]
    public void Run_PageTextMissingALanguage_IsAnError()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "good.yaml"), Good);
        var texts = Path.Combine(_folder.FullName, "pages", "texts.yaml");
        File.WriteAllText(texts, File.ReadAllText(texts).Replace("  so: \"Askel\"\n", "", StringComparison.Ordinal));

        Assert.Equal(1, Run(_folder.FullName));
        Assert.Contains("'site-name' has no 'so'", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ProjectNamingAMissingWorkflow_IsAnError()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "good.yaml"), Good);
        Directory.CreateDirectory(Path.Combine(_folder.FullName, "projects"));
        File.WriteAllText(Path.Combine(_folder.FullName, "projects", "p.yaml"), "project: p\nname: P\nworkflow: nope\nendDate: 2027-12-31\ncoordinators: [a@b.fi]\n");

        Assert.Equal(1, Run(_folder.FullName));
        Assert.Contains("p.yaml: error: workflow 'nope' does not exist", _output.ToString(), StringComparison.Ordinal);
    }
}
