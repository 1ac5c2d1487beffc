using Askel.Runtime.Definitions;

namespace Askel.Runtime.Tests.Definitions;

/// <summary>Builds workflow texts and loads them, with forms and messages held in memory.</summary>
internal static class DefinitionsKit
{
    /// <summary>The fixtures folder copied beside the tests.</summary>
    public static string Fixtures(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Definitions", "Fixtures", .. parts]);

    /// <summary>A workflow named <paramref name="name"/> with fi/en, sms and the given steps (indented by the caller at 2 spaces).</summary>
    public static string Workflow(string steps, string name = "test", string channels = "[sms]", string languages = "[fi, en]", string extra = "") =>
        $$"""
        workflow: {{name}}
        title: { fi: Testi, en: Test }
        languages: {{languages}}
        channels: {{channels}}
        {{extra}}steps:
        {{steps}}
        """;

    public static WorkflowLoadResult Load(string source, IWorkflowResources? resources = null, string file = "workflows/test.yaml") =>
        WorkflowLoader.Load(source, file, resources);

    /// <summary>The only error (asserts there is exactly one error-severity problem).</summary>
    public static DefinitionError SingleError(WorkflowLoadResult result)
    {
        var errors = result.Errors.Where(e => e.IsError).ToList();
        Assert.True(errors.Count == 1, "expected one error, got:\n" + string.Join("\n", result.Errors));
        Assert.Null(result.Definition);
        Assert.False(string.IsNullOrWhiteSpace(errors[0].Fix));
        return errors[0];
    }

    public static void AssertAt(DefinitionError error, int line, int column, string file = "workflows/test.yaml")
    {
        Assert.True(
            error.Location == new SourceLocation(file, line, column),
            $"expected {file}:{line}:{column}, got {error}");
    }

    public static WorkflowDefinition Valid(WorkflowLoadResult result)
    {
        Assert.True(result.Succeeded, "expected success, got:\n" + string.Join("\n", result.Errors));
        return result.Definition!;
    }
}

/// <summary>Forms and messages in memory, at workflows/forms/… and workflows/messages/….</summary>
internal sealed class MemoryResources : IWorkflowResources
{
    public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);

    public string FormPath(string name) => $"workflows/forms/{name}.yaml";

    public string MessagePath(string name) => $"workflows/messages/{name}.yaml";

    public string? ReadText(string path) => Files.GetValueOrDefault(path);

    public MemoryResources Form(string name, string languages = "fi: Lomake, en: Form")
    {
        Files[FormPath(name)] = $"form: {name}\ntitle: {{ {languages} }}\npages:\n  - id: p\n    title: {{ {languages} }}\n    questions:\n      - {{ id: q, type: yesno, label: {{ {languages} }} }}\n";
        return this;
    }

    public MemoryResources Message(string name, string text)
    {
        Files[MessagePath(name)] = text;
        return this;
    }

    public MemoryResources SmsMessage(string name, params string[] languages)
    {
        Files[MessagePath(name)] = "sms:\n" + string.Concat(languages.Select(l => $"  {l}: \"Hei {{{{ link }}}}\"\n"));
        return this;
    }
}
