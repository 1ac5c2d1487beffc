using Askel.Runtime.Definitions;
using Askel.Testing;
using YamlDotNet.RepresentationModel;

namespace Askel.Runtime.Tests.Definitions;

/// <summary>The repository's own workflows folder is valid, and the example's SMS texts fit in one message.</summary>
public sealed class ExampleWorkflowTests
{
    private const string Gsm7 = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    [Fact]
    public void RepositoryWorkflows_HaveNoErrorsOrWarnings()
    {
        var catalog = WorkflowCatalog.Load(Repository.Path("workflows"));

        Assert.Empty(catalog.Validate());
        Assert.Contains("form-chase-example", catalog.Names);
    }

    [Fact]
    public void FormChaseExample_HasTheAgreedShape()
    {
        var definition = WorkflowCatalog.Load(Repository.Path("workflows")).Get("form-chase-example");
        var ask = Assert.IsType<AskStep>(definition.Step(definition.Start));
        var task = Assert.IsType<TaskStep>(definition.Step(ask.OnExpired));

        Assert.Equal("example-feedback", ask.Form);
        Assert.Equal("example-feedback-link", ask.Message);
        Assert.Equal(["P0D via sms", "P2D via email", "P5D via sms"], ask.Attempts.Select(a => $"{a.After} via {a.Via}"));
        Assert.Equal("P10D", ask.Expires.ToString());
        Assert.Equal(["answered-by-phone", "unreachable"], task.Outcomes.Keys);
        Assert.All(task.Outcomes.Values, id => Assert.IsType<EndStep>(definition.Step(id)));
        Assert.Equal(WorkflowLoader.AllowedLanguages, definition.Languages);
    }

    [Fact]
    public void FormChaseExample_SmsTextsFitOneMessage()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Repository.Path("workflows", "messages", "example-feedback-link.yaml"))));
        var sms = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["sms"];

        Assert.Equal(8, sms.Children.Count);
        foreach (var (key, value) in sms.Children)
        {
            var language = ((YamlScalarNode)key).Value!;
            var text = ((YamlScalarNode)value).Value!;
            Assert.Contains("{{ firstName }}", text, StringComparison.Ordinal);
            Assert.Contains("{{ link }}", text, StringComparison.Ordinal);
            if (language is "fi" or "sv" or "en" or "so")
            {
                Assert.True(text.Length < 160, $"{language}: {text.Length} characters");
                Assert.All(text.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), c => Assert.Contains(c, Gsm7));
            }
            else
            {
                Assert.True(text.Length < 70, $"{language}: {text.Length} characters");
            }
        }
    }
}
