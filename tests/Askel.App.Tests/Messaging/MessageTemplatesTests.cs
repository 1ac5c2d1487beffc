using Askel.App.Messaging;

namespace Askel.App.Tests.Messaging;

/// <summary>Rendering a message template: a template that runs away is stopped, whatever validation let through.</summary>
public sealed class MessageTemplatesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("askel-messages-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ATemplateThatLoopsForEver_IsStopped_WithAClearError()
    {
        File.WriteAllText(Path.Combine(_folder, "loop.yaml"), "sms:\n  fi: \"{% for i in (1..1000000) %}x{% endfor %}\"\n");
        var templates = new MessageTemplates(_folder);

        var error = Assert.Throws<InvalidOperationException>(() => templates.RenderMessage("loop", "sms", "fi", new Dictionary<string, string> { ["firstName"] = "Aino" }));

        Assert.Contains("ran away", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOrdinaryTemplate_FillsItsValues()
    {
        File.WriteAllText(Path.Combine(_folder, "hello.yaml"), "sms:\n  fi: \"Hei {{ firstName }}, {{ link }}\"\n");

        var message = new MessageTemplates(_folder).RenderMessage("hello", "sms", "fi", new Dictionary<string, string> { ["firstName"] = "Aino", ["link"] = "https://x.fi/f/a" });

        Assert.Equal("Hei Aino, https://x.fi/f/a", message.Text);
    }
}
