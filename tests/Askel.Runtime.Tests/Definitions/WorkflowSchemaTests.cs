using Askel.Testing;
using NJsonSchema;
using static Askel.Runtime.Tests.Definitions.DefinitionsKit;

namespace Askel.Runtime.Tests.Definitions;

/// <summary>The JSON Schema editors use (workflows/schema/workflow.schema.json) agrees with the loader.</summary>
public sealed class WorkflowSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromJsonAsync(File.ReadAllText(Repository.Path("workflows", "schema", "workflow.schema.json"))).GetAwaiter().GetResult());

    private static ICollection<NJsonSchema.Validation.ValidationError> Check(string yaml) => Schema.Value.Validate(YamlAsJson.Convert(yaml));

    /// <summary>What the schema finds wrong with a workflow's text (for a loader test to hold both to the same key).</summary>
    internal static IReadOnlyList<string> Errors(string yaml) => [.. Check(yaml).Select(e => e.ToString())];

    public static TheoryData<string> ValidFiles() =>
    [
        Fixtures("workflows", "exit-chase.yaml"),
        Fixtures("workflows", "minimal.yaml"),
        Repository.Path("workflows", "form-chase-example.yaml"),
    ];

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void Schema_ValidWorkflow_Accepted(string path)
    {
        var errors = Check(File.ReadAllText(path));

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [InlineData("unknown-key.yaml")]
    [InlineData("bad-attempt.yaml")]
    [InlineData("missing-step-kind.yaml")]
    [InlineData("bad-via.yaml")]
    [InlineData("two-kinds.yaml")]
    public void Schema_InvalidFixture_Rejected(string file)
    {
        Assert.NotEmpty(Check(File.ReadAllText(Fixtures("invalid", file))));
    }

    [Theory]
    [InlineData("  done:\n    end: completed", "extra: 1\n")]
    [InlineData("  go:\n    wait: 6 months\n    next: done\n  done:\n    end: completed", "")]
    [InlineData("  go:\n    send: hi\n    optional: \"yes\"\n    next: done\n  done:\n    end: completed", "")]
    [InlineData("  Bad_Id:\n    end: completed", "")]
    [InlineData("  done:\n    end: completed", "calendar: { holidays: swedish }\n")]
    public void Schema_InvalidInline_Rejected(string steps, string extra)
    {
        Assert.NotEmpty(Check(Workflow(steps, extra: extra)));
    }

    [Fact]
    public void Schema_EveryProperty_HasADescription() =>
        Assert.Empty(SchemaDescriptions.Missing(Repository.Path("workflows", "schema", "workflow.schema.json")));
}
