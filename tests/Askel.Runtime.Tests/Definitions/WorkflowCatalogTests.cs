using Askel.Runtime.Definitions;
using static Askel.Runtime.Tests.Definitions.DefinitionsKit;

namespace Askel.Runtime.Tests.Definitions;

/// <summary>The catalog loads every workflow in a folder, with forms and messages beside them.</summary>
public sealed class WorkflowCatalogTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("askel-catalog-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_folder.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Load_FixtureFolder_LoadsEveryWorkflowWithoutErrors()
    {
        var catalog = WorkflowCatalog.Load(Fixtures("workflows"));

        Assert.Empty(catalog.Validate());
        Assert.Equal(["exit-chase", "minimal"], catalog.Names.Order(StringComparer.Ordinal));
        Assert.Equal("exit-form", Assert.IsType<AskStep>(catalog.Get("exit-chase").Step("exit")).Form);
    }

    [Fact]
    public void Load_Subfolders_AreNotWorkflows()
    {
        Write("done.yaml", Workflow("  done:\n    end: completed", name: "done"));
        Write("forms/x.yaml", "form: x\n");
        Write("messages/y.yaml", "nonsense: [");
        Write("schema/z.yaml", "not: a workflow");

        var catalog = WorkflowCatalog.Load(_folder.FullName);

        Assert.Empty(catalog.Validate());
        Assert.Equal([Path.Combine(_folder.FullName, "done.yaml")], catalog.Files);
    }

    [Fact]
    public void Validate_SeveralBrokenFiles_SortedByFileThenLine()
    {
        Write("b.yaml", Workflow("  done:\n    end: 1\n  x:\n    end: 2", name: "b"));
        Write("a.yaml", Workflow("  done:\n    end: completed\n    nxet: x", name: "a"));

        var errors = WorkflowCatalog.Load(_folder.FullName).Validate();

        Assert.Equal(
            [("a.yaml", 8), ("b.yaml", 7), ("b.yaml", 9)],
            errors.Select(e => (Path.GetFileName(e.Location.File), e.Location.Line)));
    }

    [Fact]
    public void Validate_FormChecksResolveInTheFolder()
    {
        Write("chase.yaml", Workflow("  go:\n    ask: f\n    attempts: [P0D]\n    expires: P2D\n    onExpired: done\n    next: done\n  done:\n    end: completed", name: "chase"));
        Write("forms/f.yaml", "form: f\ntitle: { fi: Lomake, en: Form }\npages:\n  - id: p\n    title: { fi: Sivu, en: Page }\n    questions:\n      - { id: q, type: yesno, label: { fi: Kysymys, en: Question } }\n");

        var error = Assert.Single(WorkflowCatalog.Load(_folder.FullName).Validate());

        Assert.Equal(Path.Combine(_folder.FullName, "chase.yaml"), error.Location.File);
        Assert.Contains(Path.Combine(_folder.FullName, "messages", "f-link.yaml"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_BrokenWorkflow_ThrowsAndTryGetIsFalse()
    {
        Write("bad.yaml", "workflow: bad\n");

        var catalog = WorkflowCatalog.Load(_folder.FullName);

        Assert.False(catalog.TryGet("bad", out _));
        Assert.Throws<KeyNotFoundException>(() => catalog.Get("bad"));
        Assert.Equal(4, catalog.Validate().Count);
    }

    [Fact]
    public void Load_MissingFolder_Throws()
    {
        Assert.Throws<DirectoryNotFoundException>(() => WorkflowCatalog.Load(Path.Combine(_folder.FullName, "nope")));
    }
}
