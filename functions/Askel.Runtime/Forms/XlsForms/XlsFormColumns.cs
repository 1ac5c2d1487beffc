using System.Text.RegularExpressions;
using Askel.Runtime.Definitions;

namespace Askel.Runtime.Forms.XlsForms;

/// <summary>
/// The sheets, columns and language headers both directions use. Columns starting <c>askel_</c> carry what
/// XLSForm cannot say (reporting fields, the title per language, intro and thanks, scale ends, Askel's own
/// type where XLSForm's is ambiguous, a condition outside the translatable subset); ODK tools ignore them.
/// </summary>
internal static partial class XlsFormColumns
{
    public const string Survey = "survey";
    public const string Choices = "choices";
    public const string Settings = "settings";

    public const string TypeColumn = "type";
    public const string Name = "name";
    public const string Label = "label";
    public const string Hint = "hint";
    public const string Required = "required";
    public const string Relevant = "relevant";
    public const string Constraint = "constraint";
    public const string Appearance = "appearance";
    public const string Parameters = "parameters";
    public const string AskelType = "askel_type";
    public const string AskelReport = "askel_report";
    public const string AskelShowIf = "askel_show_if";
    public const string AskelLow = "askel_low";
    public const string AskelHigh = "askel_high";

    public const string ListName = "list_name";

    public const string FormId = "form_id";
    public const string FormTitle = "form_title";
    public const string VersionColumn = "version";
    public const string DefaultLanguage = "default_language";
    public const string Style = "style";
    public const string AskelTitle = "askel_title";
    public const string AskelIntro = "askel_intro";
    public const string AskelThanks = "askel_thanks";

    /// <summary>The value Askel stores for "I prefer not to answer"; as a choice it marks the question.</summary>
    public const string Declined = FormLoader.Declined;

    /// <summary>The range parameters of Askel's 1–5 scale.</summary>
    public const string ScaleParameters = "start=1 end=5 step=1";

    /// <summary>English names, as ODK writes <c>label::English (en)</c>.</summary>
    public static IReadOnlyDictionary<string, string> LanguageNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["fi"] = "Finnish", ["sv"] = "Swedish", ["en"] = "English", ["uk"] = "Ukrainian",
        ["ru"] = "Russian", ["ar"] = "Arabic", ["so"] = "Somali", ["fa"] = "Persian",
    };

    // Names people write without a code, in English and in the language itself.
    private static readonly Dictionary<string, string> NameToCode = new(StringComparer.OrdinalIgnoreCase)
    {
        ["finnish"] = "fi", ["suomi"] = "fi", ["swedish"] = "sv", ["svenska"] = "sv", ["english"] = "en",
        ["ukrainian"] = "uk", ["українська"] = "uk", ["russian"] = "ru", ["русский"] = "ru", ["arabic"] = "ar", ["العربية"] = "ar",
        ["somali"] = "so", ["soomaali"] = "so", ["persian"] = "fa", ["farsi"] = "fa", ["dari"] = "fa", ["فارسی"] = "fa",
    };

    /// <summary>The header of a text column in a language: <c>label::Finnish (fi)</c>.</summary>
    public static string Header(string column, string language) => $"{column}::{LanguageNames[language]} ({language})";

    /// <summary>The language code of <c>English (en)</c>, <c>en</c> or <c>English</c>; null when it is not one of Askel's languages.</summary>
    public static string? LanguageCode(string written)
    {
        var text = written.Trim();
        var code = LanguageInBrackets().Match(text) is { Success: true } match ? match.Groups[1].Value.ToLowerInvariant()
            : NameToCode.TryGetValue(text, out var named) ? named
            : text.ToLowerInvariant();
        return WorkflowLoader.AllowedLanguages.Contains(code) ? code : null;
    }

    /// <summary>What languages can be written as, for a fix.</summary>
    public static string LanguageExamples => string.Join(", ", WorkflowLoader.AllowedLanguages.Select(l => $"{LanguageNames[l]} ({l})"));

    [GeneratedRegex(@"\(([A-Za-z-]+)\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageInBrackets();
}
