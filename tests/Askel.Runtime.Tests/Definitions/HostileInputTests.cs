using System.Diagnostics;
using System.Text;
using static Askel.Runtime.Tests.Definitions.DefinitionsKit;

namespace Askel.Runtime.Tests.Definitions;

/// <summary>Hostile or broken input fails cleanly and quickly, with one error.</summary>
public sealed class HostileInputTests
{
    [Fact]
    public void Load_BillionLaughs_RejectedAtTheFirstAnchorWithoutExpanding()
    {
        var text = new StringBuilder("workflow: test\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 1; i < 10; i++)
        {
            var previous = (char)('a' + i - 1);
            var name = (char)('a' + i);
            text.Append(name).Append(": &").Append(name).Append(" [")
                .AppendJoin(",", Enumerable.Repeat("*" + previous, 9)).Append("]\n");
        }

        var watch = Stopwatch.StartNew();
        var error = SingleError(Load(text.ToString()));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        AssertAt(error, 2, 4);
        Assert.Contains("anchors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AliasWithoutAnchor_IsRejected()
    {
        Assert.Contains("aliases", SingleError(Load("workflow: *nothing\n")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DeeplyNestedFlow_RejectedWithDepthError()
    {
        var text = "workflow: test\nsteps: " + new string('[', 10_000) + new string(']', 10_000) + "\n";

        var error = SingleError(Load(text));

        Assert.Contains("nest too deeply", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Location.Line);
    }

    [Fact]
    public void Load_DeeplyNestedBlockMaps_RejectedWithDepthError()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 100; i++)
        {
            text.Append(new string(' ', i * 2)).Append('k').Append(i).Append(":\n");
        }

        Assert.Contains("nest too deeply", SingleError(Load(text.ToString())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_300KiBFile_RejectedAsTooLarge()
    {
        var text = Workflow("  done:\n    end: completed") + "\n" + string.Concat(Enumerable.Repeat("# padding padding padding padding\n", 300 * 1024 / 34));

        var error = SingleError(Load(text));

        Assert.Contains("too large", error.Message, StringComparison.Ordinal);
        AssertAt(error, 1, 1);
    }

    [Fact]
    public void Load_TwoDocuments_RejectsTheSecond()
    {
        var error = SingleError(Load(Workflow("  done:\n    end: completed") + "\n---\nworkflow: other\n"));

        Assert.Contains("one document", error.Message, StringComparison.Ordinal);
        Assert.Equal(8, error.Location.Line);
    }

    [Fact]
    public void Load_CustomTag_IsRejected()
    {
        AssertAt(SingleError(Load("workflow: !!binary aGVsbG8=\n")), 1, 11);
    }

    [Fact]
    public void Load_MapAsKey_IsRejected()
    {
        Assert.Single(Load("? { a: b }\n: c\n").Errors);
    }

    [Theory]
    [InlineData("\t- x")]
    [InlineData("a: 'unclosed")]
    [InlineData("a: [1, 2")]
    [InlineData("{ a")]
    [InlineData("a: b: c")]
    [InlineData("\"\\q\"")]
    [InlineData("%YAML 9.9\n---\na: b")]
    public void Load_Garbage_GivesOneErrorWithoutThrowing(string text)
    {
        var result = Load(text);

        Assert.Null(result.Definition);
        Assert.NotEmpty(result.Errors);
        Assert.All(result.Errors, e => Assert.True(e.Location.Line >= 1 && e.Location.Column >= 1, e.ToString()));
    }
}
