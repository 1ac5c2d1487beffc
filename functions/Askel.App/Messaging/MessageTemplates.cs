using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Text.RegularExpressions;
using Askel.App.Forms;
using Askel.Runtime.Definitions;
using Fluid;
using YamlDotNet.RepresentationModel;

namespace Askel.App.Messaging;

/// <summary>A rendered message: the email subject (null for SMS), the plain text and, for email, the HTML body.</summary>
public sealed record RenderedMessage(string? Subject, string Text, string? Html);

/// <summary>A message template's texts per language: the SMS, and the email's subject, text and HTML; null where it has none.</summary>
public sealed record MessageTexts(LocalizedText? Sms, LocalizedText? Subject, LocalizedText? Text, LocalizedText? Html);

/// <summary>
/// The message templates under <c>workflows/messages</c> (Liquid, one text per language and channel),
/// parsed once. The values a message may carry are few on purpose: a first name and links.
/// </summary>
public sealed partial class MessageTemplates(string folder)
{
    private static readonly FluidParser Parser = new();

    // A message fills in a few values: a template that takes more steps than this has run away (validate refuses loops).
    private static readonly TemplateOptions Limits = new() { MaxSteps = 10_000, MaxRecursion = 10 };

    // Encodes markup characters only: letters of every script stay readable in the email's source.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly ConcurrentDictionary<string, MessageTexts> _templates = new(StringComparer.Ordinal);

    // Pinned texts by their content: a handful per workflow version, each parsed once.
    private readonly ConcurrentDictionary<string, MessageTexts> _pinned = new(StringComparer.Ordinal);
    private readonly Lazy<PageTexts> _pageTexts = new(() => PageTexts.Load(Path.Combine(folder, "..", "pages", "texts.yaml"), []));

    /// <summary>
    /// Renders <paramref name="template"/> for a channel and language with <paramref name="values"/> (firstName, link, url,
    /// projectCode, and for email <c>unsubscribe</c>: the address of the participant's unsubscribe page, which ends the
    /// email as a line in their language). An email gets an HTML body: the template's <c>html</c>, else one made from the text.
    /// With <paramref name="pinnedText"/> (the template's file as the instance's workflow version pinned it), that text is used.
    /// </summary>
    public RenderedMessage RenderMessage(string template, string channel, string language, IReadOnlyDictionary<string, string> values, string? pinnedText = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var loaded = pinnedText is null ? Texts(template) : _pinned.GetOrAdd(pinnedText, Parse);
        var context = new TemplateContext(Limits);
        foreach (var (name, value) in values)
        {
            context.SetValue(name, value);
        }

        string Fill(LocalizedText text, string lang, TextEncoder? encoder = null)
        {
            if (!Parser.TryParse(text.For(lang), out var parsed, out var error))
            {
                throw new InvalidOperationException($"Template {template}: {error}");
            }

            try
            {
                return (encoder is null ? parsed.Render(context) : parsed.Render(context, encoder)).Trim();
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException($"Template {template} ran away (a loop, or over {Limits.MaxSteps} steps) and was stopped: {e.Message}", e);
            }
        }

        if (channel == "sms")
        {
            return new(null, Fill(loaded.Sms ?? throw Missing(template, channel), language), null);
        }

        var subject = loaded.Subject ?? throw Missing(template, channel);
        // A Finnish line beside the participant's language: a national-language subject is recognised and trusted.
        var subjectText = language == "fi" ? Fill(subject, "fi") : $"{Fill(subject, language)} | {Fill(subject, "fi")}";
        var text = Fill(loaded.Text ?? throw Missing(template, channel), language);
        var unsubscribe = values.TryGetValue("unsubscribe", out var url) && url.Length > 0 ? url : null;
        string html;
        if (loaded.Html is { } htmlTemplate)
        {
            var body = Fill(htmlTemplate, language, Encoder);
            html = unsubscribe is null ? body : InsertBeforeBodyEnd(body, Footer(language, unsubscribe));
            if (!body.Contains("<html", StringComparison.OrdinalIgnoreCase))
            {
                html = Document(language, subjectText, html);
            }
        }
        else
        {
            html = Document(language, subjectText, ToHtml(text) + (unsubscribe is null ? "" : Footer(language, unsubscribe)));
        }

        if (unsubscribe is not null)
        {
            text += "\n\n" + _pageTexts.Value.Get("unsubscribe-line", language, ("url", unsubscribe));
        }

        return new(subjectText, text, html);
    }

    /// <summary>A template's texts as written, placeholders and all (for showing what a workflow sends).</summary>
    public MessageTexts Texts(string template) => _templates.GetOrAdd(template, Load);

    /// <summary>Plain text as HTML: paragraphs at blank lines, line breaks kept, addresses as links, everything encoded.</summary>
    public static string ToHtml(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var html = new StringBuilder();
        foreach (var paragraph in text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            html.Append("<p>").Append(string.Join("<br>", paragraph.Split('\n').Select(Linked))).Append("</p>\n");
        }

        return html.ToString();
    }

    private string Footer(string language, string url)
    {
        var line = _pageTexts.Value.Get("unsubscribe-line", language, ("url", "\u0000"));
        var at = line.IndexOf('\u0000', StringComparison.Ordinal);
        var link = $"<a href=\"{Encoder.Encode(url)}\">{Encoder.Encode(url)}</a>";
        var content = at < 0 ? Encoder.Encode(line) + " " + link : Encoder.Encode(line[..at]) + link + Encoder.Encode(line[(at + 1)..]);
        return $"<hr>\n<p style=\"font-size:0.9em;color:#4a4a4a\">{content}</p>\n";
    }

    private static string Document(string language, string subject, string body) =>
        $"<!DOCTYPE html>\n<html lang=\"{Encoder.Encode(language)}\" dir=\"{(PageTexts.IsRightToLeft(language) ? "rtl" : "ltr")}\">\n" +
        $"<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{Encoder.Encode(subject)}</title></head>\n" +
        $"<body style=\"font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;font-size:1.05em;line-height:1.5;color:#1b1b1b\">\n{body}</body>\n</html>\n";

    private static string InsertBeforeBodyEnd(string html, string footer)
    {
        var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return end < 0 ? html + "\n" + footer : html[..end] + footer + html[end..];
    }

    private static string Linked(string line)
    {
        var html = new StringBuilder();
        var last = 0;
        foreach (Match match in Address().Matches(line))
        {
            var url = match.Value.TrimEnd('.', ',', ')', '!', '?', ';', ':');
            html.Append(Encoder.Encode(line[last..match.Index]))
                .Append("<a href=\"").Append(Encoder.Encode(url)).Append("\">").Append(Encoder.Encode(url)).Append("</a>");
            last = match.Index + url.Length;
        }

        return html.Append(Encoder.Encode(line[last..])).ToString();
    }

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Address();

    private static InvalidOperationException Missing(string template, string channel) => new($"The message template {template} has no {channel} text.");

    private MessageTexts Load(string name) => Parse(File.ReadAllText(Path.Combine(folder, name + ".yaml")));

    private static MessageTexts Parse(string text)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(text))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        static LocalizedText? Texts(YamlNode? node) => node is YamlMappingNode map
            ? new LocalizedText(map.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value ?? "", StringComparer.Ordinal))
            : null;
        YamlNode? Child(YamlMappingNode? map, string key) => map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;
        var email = Child(root, "email") as YamlMappingNode;
        return new MessageTexts(Texts(Child(root, "sms")), Texts(Child(email, "subject")), Texts(Child(email, "text")), Texts(Child(email, "html")));
    }
}
