using System.Collections.Concurrent;
using Askel.Runtime.Definitions;
using Fluid;
using YamlDotNet.RepresentationModel;

namespace Askel.App.Messaging;

/// <summary>
/// The message templates under <c>workflows/messages</c> (Liquid, one text per language and channel),
/// parsed once. The values a message may carry are few on purpose: a first name and links.
/// </summary>
public sealed class MessageTemplates(string folder)
{
    private static readonly FluidParser Parser = new();
    private readonly ConcurrentDictionary<string, Template> _templates = new(StringComparer.Ordinal);

    /// <summary>Renders <paramref name="template"/> for a channel and language with <paramref name="values"/> (firstName, link, url, projectCode).</summary>
    public (string? Subject, string Text) Render(string template, string channel, string language, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var loaded = _templates.GetOrAdd(template, Load);
        var context = new TemplateContext();
        foreach (var (name, value) in values)
        {
            context.SetValue(name, value);
        }

        string Fill(LocalizedText text, string lang) =>
            Parser.TryParse(text.For(lang), out var parsed, out var error) ? parsed.Render(context).Trim() : throw new InvalidOperationException($"Template {template}: {error}");

        if (channel == "sms")
        {
            return (null, Fill(loaded.Sms ?? throw Missing(template, channel), language));
        }

        var subject = loaded.Subject ?? throw Missing(template, channel);
        // A Finnish line beside the participant's language: a national-language subject is recognised and trusted.
        var subjectText = language == "fi" ? Fill(subject, "fi") : $"{Fill(subject, language)} | {Fill(subject, "fi")}";
        return (subjectText, Fill(loaded.Text ?? throw Missing(template, channel), language));
    }

    private static InvalidOperationException Missing(string template, string channel) => new($"The message template {template} has no {channel} text.");

    private Template Load(string name)
    {
        var path = Path.Combine(folder, name + ".yaml");
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        static LocalizedText? Texts(YamlNode? node) => node is YamlMappingNode map
            ? new LocalizedText(map.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value ?? "", StringComparer.Ordinal))
            : null;
        YamlNode? Child(YamlMappingNode? map, string key) => map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;
        var email = Child(root, "email") as YamlMappingNode;
        return new Template(Texts(Child(root, "sms")), Texts(Child(email, "subject")), Texts(Child(email, "text")));
    }

    private sealed record Template(LocalizedText? Sms, LocalizedText? Subject, LocalizedText? Text);
}
