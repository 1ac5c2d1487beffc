using Askel.Runtime.Definitions;
using YamlDotNet.RepresentationModel;

namespace Askel.App.Forms;

/// <summary>
/// The words around the questions (buttons, errors, link pages) from <c>workflows/pages/texts.yaml</c>,
/// in every participant language.
/// </summary>
public sealed class PageTexts
{
    private readonly Dictionary<string, LocalizedText> _texts;

    private PageTexts(Dictionary<string, LocalizedText> texts) => _texts = texts;

    /// <summary>The languages, in the order the language switch shows them.</summary>
    public static IReadOnlyList<string> Languages => WorkflowLoader.AllowedLanguages;

    /// <summary>Whether a language is written right to left.</summary>
    public static bool IsRightToLeft(string language) => language is "ar" or "fa";

    /// <summary>Every key the pages use; <c>./askel validate</c> checks each has every language.</summary>
    public static IReadOnlyList<string> RequiredKeys { get; } =
    [
        "language-name", "choose-language", "skip-to-content", "site-name", "progress", "next", "back", "send", "saved-note",
        "required", "optional", "prefer-not-to-answer", "yes", "no", "date-day", "date-month", "date-year", "errors-title",
        "error-required", "error-number", "error-year", "error-date", "error-date-range", "error-too-long", "error-confirm",
        "error-choice", "thanks-title", "thanks-saved", "link-expired-title", "link-expired-body", "link-used-title",
        "link-used-body", "link-invalid-title", "link-invalid-body", "link-superseded-title", "link-superseded-body",
        "contact-coordinator", "assisted-banner", "external-title", "external-body", "external-code", "external-confirm", "external-done",
        "error-page-title", "error-page-body", "too-large", "accessibility-link", "privacy-link", "accessibility-title",
        "accessibility-body", "privacy-title", "privacy-body", "unsubscribe-line", "unsubscribe-title", "unsubscribe-body",
        "unsubscribe-confirm", "unsubscribe-done", "satisfaction-title", "satisfaction-question", "feedback-event-title", "feedback-event-question", "satisfaction-1", "satisfaction-2",
        "satisfaction-3", "satisfaction-4", "satisfaction-5", "satisfaction-thanks", "satisfaction-once",
    ];

    /// <summary>The text for <paramref name="key"/> in <paramref name="language"/>, with <c>{name}</c> placeholders filled in.</summary>
    public string Get(string key, string language, params (string Name, object Value)[] values)
    {
        var text = _texts.TryGetValue(key, out var localized) ? localized.For(language) : key;
        foreach (var (name, value) in values)
        {
            text = text.Replace("{" + name + "}", Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Reads the texts file; <paramref name="problems"/> gets one line per missing key or language.</summary>
    public static PageTexts Load(string path, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var texts = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            problems.Add($"{path}: the page texts are missing (fix: restore workflows/pages/texts.yaml)");
            return new PageTexts(texts);
        }

        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            problems.Add($"{path}:{e.Start.Line}:{e.Start.Column}: {e.Message} (fix: correct the YAML there)");
            return new PageTexts(texts);
        }

        if (stream.Documents.FirstOrDefault()?.RootNode is YamlMappingNode root)
        {
            foreach (var (key, value) in root.Children)
            {
                if (key is YamlScalarNode { Value: { } name } && value is YamlMappingNode map)
                {
                    texts[name] = new LocalizedText(map.Children
                        .Where(c => c.Key is YamlScalarNode && c.Value is YamlScalarNode)
                        .ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => (((YamlScalarNode)c.Value).Value ?? "").Trim(), StringComparer.Ordinal));
                }
            }
        }

        foreach (var key in RequiredKeys)
        {
            if (!texts.TryGetValue(key, out var text))
            {
                problems.Add($"{path}: the text '{key}' is missing (fix: add '{key}: {{ fi: …, en: … }}' with every language)");
                continue;
            }

            foreach (var language in Languages.Where(l => !text.Texts.ContainsKey(l) || text.Texts[l].Length == 0))
            {
                problems.Add($"{path}: the text '{key}' has no '{language}' (fix: add '{language}: …')");
            }
        }

        return new PageTexts(texts);
    }
}
