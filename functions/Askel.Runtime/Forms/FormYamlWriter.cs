using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Askel.Runtime.Definitions;

namespace Askel.Runtime.Forms;

/// <summary>
/// Writes a <see cref="FormDefinition"/> as a form file (docs/FORMS.md) in the style of <c>workflows/forms</c>:
/// short texts as one-line maps, long ones a line per language, a blank line between questions. Texts are
/// always double-quoted with YAML's escapes, so any text reads back unchanged; keys the loader defaults
/// (maxLength 1000, lines 1) are left out.
/// </summary>
public static partial class FormYamlWriter
{
    private const int OneLineWidth = 160;

    /// <summary>The form's YAML text; <paramref name="comment"/> lines go under the schema line.</summary>
    public static string Write(FormDefinition form, IEnumerable<string> comment)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(comment);
        var yaml = new StringBuilder();
        void Line(string text) => yaml.Append(text).Append('\n');

        Line("# yaml-language-server: $schema=../schema/form.schema.json");
        foreach (var line in comment)
        {
            Line("# " + line);
        }

        Line($"form: {form.Name}");
        Localized(yaml, "", "title", form.Title, block: true);
        Localized(yaml, "", "intro", form.Intro, block: true);
        Localized(yaml, "", "thanks", form.Thanks, block: true);
        Line("pages:");
        foreach (var page in form.Pages)
        {
            Line($"  - id: {Value(page.Id)}");
            Localized(yaml, "    ", "title", page.Title);
            Localized(yaml, "    ", "help", page.Help);
            if (page.ShowIf is not null)
            {
                Line($"    showIf: {Quoted(page.ShowIf)}");
            }

            Line("    questions:");
            for (var i = 0; i < page.Questions.Count; i++)
            {
                if (i > 0)
                {
                    Line("");
                }

                Question(yaml, page.Questions[i]);
            }
        }

        return yaml.ToString();
    }

    private static void Question(StringBuilder yaml, Question q)
    {
        const string Indent = "        ";
        void Line(string text) => yaml.Append(Indent).Append(text).Append('\n');
        string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

        yaml.Append($"      - id: {Value(q.Id)}\n");
        Line($"type: {TypeName(q.Type)}");
        Line($"required: {(q.Required ? "true" : "false")}");
        if (q.PreferNotToAnswer)
        {
            Line("preferNotToAnswer: true");
        }

        if (q.ShowIf is not null)
        {
            Line($"showIf: {Quoted(q.ShowIf)}");
        }

        if (q.Report is not null)
        {
            Line($"report: {q.Report}");
        }

        if (q.Min is { } min)
        {
            Line($"min: {Number(min)}");
        }

        if (q.MaxIsCurrentYear || q.Max is not null)
        {
            Line($"max: {(q.MaxIsCurrentYear ? "current" : Number(q.Max!.Value))}");
        }

        if (q.NotBefore is { } notBefore)
        {
            Line($"notBefore: {notBefore.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        }

        if (q.NotAfterToday || q.NotAfter is not null)
        {
            Line($"notAfter: {(q.NotAfterToday ? "today" : q.NotAfter!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}");
        }

        if (q.Type == QuestionType.Text && q.MaxLength != 1000)
        {
            Line($"maxLength: {Number(q.MaxLength)}");
        }

        if (q.Type == QuestionType.Text && q.Lines != 1)
        {
            Line($"lines: {Number(q.Lines)}");
        }

        Localized(yaml, Indent, "label", q.Label);
        Localized(yaml, Indent, "help", q.Help);
        Localized(yaml, Indent, "low", q.Low);
        Localized(yaml, Indent, "high", q.High);
        if (q.Options.Count > 0)
        {
            Line("options:");
            foreach (var option in q.Options)
            {
                Line($"  - value: {Value(option.Value)}");
                if (option.Report is not null)
                {
                    Line($"    report: {Value(option.Report)}");
                }

                Localized(yaml, Indent + "    ", "label", option.Label);
            }
        }
    }

    /// <summary>The type's name in a form file (<c>choice</c>, <c>yesno</c>, …).</summary>
    public static string TypeName(QuestionType type) => type.ToString().ToLowerInvariant();

    private static void Localized(StringBuilder yaml, string indent, string key, LocalizedText? text, bool block = false)
    {
        if (text is null)
        {
            return;
        }

        var entries = WorkflowLoader.AllowedLanguages.Where(text.Texts.ContainsKey).Select(l => (Language: l, Text: Quoted(text.Texts[l]))).ToList();
        var oneLine = $"{indent}{key}: {{ {string.Join(", ", entries.Select(e => $"{e.Language}: {e.Text}"))} }}";
        if (!block && oneLine.Length <= OneLineWidth)
        {
            yaml.Append(oneLine).Append('\n');
            return;
        }

        yaml.Append($"{indent}{key}:\n");
        foreach (var (language, quoted) in entries)
        {
            yaml.Append($"{indent}  {language}: {quoted}\n");
        }
    }

    // Plain when YAML cannot read it as anything but text, as the shipped files write ids and option values.
    private static string Value(string value) =>
        PlainValue().IsMatch(value) && value.ToLowerInvariant() is not ("yes" or "no" or "y" or "n" or "on" or "off" or "true" or "false" or "null") ? value : Quoted(value);

    [GeneratedRegex("^[a-z][a-zA-Z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainValue();

    /// <summary>A YAML double-quoted scalar: only the backslash, the quote and control characters are escaped.</summary>
    private static string Quoted(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                '\u0085' => "\\N",
                '\u2028' => "\\L",
                '\u2029' => "\\P",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}
