using System.Globalization;
using System.Text.RegularExpressions;
using Askel.Runtime.Definitions;
using Askel.Runtime.Expressions;

namespace Askel.Runtime.Forms;

/// <summary>
/// Reads a form file (docs/FORMS.md) into a <see cref="FormDefinition"/>, with every problem reported at its
/// file, line and column and a fix, like the workflow loader.
/// </summary>
public static partial class FormLoader
{
    private static readonly string[] TopKeys = ["form", "title", "intro", "thanks", "pages"];
    private static readonly string[] PageKeys = ["id", "title", "help", "showIf", "questions"];
    private static readonly string[] QuestionKeys = ["id", "type", "required", "label", "help", "options", "preferNotToAnswer", "showIf", "report", "min", "max", "notBefore", "notAfter", "maxLength", "lines", "low", "high"];
    private static readonly string[] OptionKeys = ["value", "label", "report"];

    private static readonly Dictionary<string, QuestionType> Types = new(StringComparer.Ordinal)
    {
        ["choice"] = QuestionType.Choice,
        ["choices"] = QuestionType.Choices,
        ["yesno"] = QuestionType.YesNo,
        ["date"] = QuestionType.Date,
        ["year"] = QuestionType.Year,
        ["number"] = QuestionType.Number,
        ["scale"] = QuestionType.Scale,
        ["text"] = QuestionType.Text,
        ["confirm"] = QuestionType.Confirm,
    };

    /// <summary>The reporting fields a question may feed (docs/FORMS.md).</summary>
    public static IReadOnlyList<string> ReportKeys { get; } =
    [
        "gender", "birthDate", "labourStatus", "unemployedMonths", "education", "thirdCountryNational", "foreignBackground",
        "disability", "minority", "homeless", "exitEmployment", "exitJobSearching", "exitEducation", "exitQualification",
        "sixMonthEmployment", "sixMonthImproved", "satisfaction",
    ];

    /// <summary>The value stored when a participant prefers not to answer.</summary>
    public const string Declined = "declined";

    /// <summary>Loads a form from its text; <paramref name="languages"/> are the languages every text must have.</summary>
    public static FormLoadResult Load(string source, string file, IReadOnlyList<string> languages)
    {
        ArgumentNullException.ThrowIfNull(source);
        var errors = new List<DefinitionError>();
        var root = YamlTree.Read(source, file, errors);
        FormDefinition? form = null;
        if (root is YamlMap map)
        {
            form = new Builder(file, languages, errors).Build(map, WorkflowLoader.VersionOf(source));
        }
        else if (root is not null)
        {
            errors.Add(new(root.Location(file), "a form file must be a map of keys", "start with 'form: <name>' and 'title: { fi: …, en: … }'"));
        }

        var sorted = DefinitionError.Sort(errors);
        return new(sorted.Any(e => e.IsError) ? null : form, sorted);
    }

    /// <summary>Loads <c>&lt;folder&gt;/&lt;name&gt;.yaml</c>.</summary>
    public static FormLoadResult LoadFile(string path, IReadOnlyList<string> languages, string? displayPath = null)
    {
        var file = displayPath ?? path;
        if (!File.Exists(path))
        {
            return new(null, [new(new(file, 1, 1), $"there is no form file {file}", "create it (see docs/FORMS.md) or correct the form's name")]);
        }

        var result = Load(File.ReadAllText(path), file, languages);
        var expected = Path.GetFileNameWithoutExtension(path);
        if (result.Form is { } form && form.Name != expected)
        {
            return new(null, [.. result.Errors, new(new(file, 1, 1), $"the form is named '{form.Name}' but its file is '{expected}.yaml'", $"write 'form: {expected}'")]);
        }

        return result;
    }

    [GeneratedRegex("^[a-z][a-zA-Z0-9]*$", RegexOptions.CultureInvariant)]
    private static partial Regex QuestionIdPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ValuePattern();

    [GeneratedRegex(@"answers\.([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant)]
    private static partial Regex AnswerReference();

    private sealed class Builder(string file, IReadOnlyList<string> languages, List<DefinitionError> errors)
    {
        private readonly List<string> _questionIds = [];

        public FormDefinition? Build(YamlMap map, string version)
        {
            CheckKeys(map, TopKeys, "a form");
            var name = RequiredText(map, "form", "the form's name", "form: esf-exit");
            if (name is not null && !WorkflowLoader.NamePattern().IsMatch(name))
            {
                Error(map["form"]!, $"'{name}' is not a valid form name", "use lowercase letters, digits and '-', e.g. esf-exit");
            }

            var title = RequiredLocalized(map, "title", "the form's title");
            var intro = map["intro"] is { } introNode ? Localized(introNode, "the form's intro") : null;
            var thanks = map["thanks"] is { } thanksNode ? Localized(thanksNode, "the thank-you text") : null;
            var pages = new List<FormPage>();
            if (map["pages"] is not YamlList list || list.Items.Count == 0)
            {
                Error(map["pages"] ?? map, "the form has no pages", "add 'pages:' with at least one '- id: …' page that has questions");
            }
            else
            {
                var pageIds = new HashSet<string>(StringComparer.Ordinal);
                foreach (var item in list.Items)
                {
                    if (Page(item) is { } page)
                    {
                        if (!pageIds.Add(page.Id))
                        {
                            Error(item, $"there are two pages with the id '{page.Id}'", "give each page its own id");
                        }

                        pages.Add(page);
                    }
                }
            }

            return name is null || title is null ? null : new FormDefinition(name, version, title, intro, thanks, pages);
        }

        private FormPage? Page(YamlNodeBase node)
        {
            if (node is not YamlMap map)
            {
                Error(node, "a page must be a map", "write '- id: about-you' with 'title:' and 'questions:'");
                return null;
            }

            CheckKeys(map, PageKeys, "a page");
            var id = RequiredText(map, "id", "the page's id", "id: about-you");
            if (id is not null && !WorkflowLoader.NamePattern().IsMatch(id))
            {
                Error(map["id"]!, $"'{id}' is not a valid page id", "use lowercase letters, digits and '-', e.g. about-you");
            }

            var title = RequiredLocalized(map, "title", "the page's title");
            var help = map["help"] is { } helpNode ? Localized(helpNode, "the page's help") : null;
            var showIf = map["showIf"] is { } showIfNode ? Condition(showIfNode) : null;
            var questions = new List<Question>();
            if (map["questions"] is not YamlList list || list.Items.Count == 0)
            {
                Error(map["questions"] ?? map, $"page '{id}' has no questions", "add 'questions:' with at least one '- id: …' question");
            }
            else
            {
                questions.AddRange(list.Items.Select(Question).OfType<Question>());
            }

            return id is null || title is null ? null : new FormPage(id, title, help, showIf, questions);
        }

        private Question? Question(YamlNodeBase node)
        {
            if (node is not YamlMap map)
            {
                Error(node, "a question must be a map", "write '- id: working' with 'type:' and 'label:'");
                return null;
            }

            CheckKeys(map, QuestionKeys, "a question");
            var id = RequiredText(map, "id", "the question's id", "id: working");
            if (id is not null && !QuestionIdPattern().IsMatch(id))
            {
                Error(map["id"]!, $"'{id}' is not a valid question id", "start with a lowercase letter and use only letters and digits, e.g. birthDate");
                id = null;
            }

            var typeName = RequiredText(map, "type", "the question's type", "type: choice");
            QuestionType type = default;
            if (typeName is not null && !Types.TryGetValue(typeName, out type))
            {
                Error(map["type"]!, $"'{typeName}' is not a question type{Suggestions.DidYouMean(typeName, [.. Types.Keys])}", "use one of: " + string.Join(", ", Types.Keys));
                typeName = null;
            }

            var label = RequiredLocalized(map, "label", "the question's label");
            // The condition may name only questions asked before this one.
            var showIf = map["showIf"] is { } showIfNode ? Condition(showIfNode) : null;
            if (id is not null && !_questionIds.Contains(id))
            {
                _questionIds.Add(id);
            }
            else if (id is not null)
            {
                Error(map["id"]!, $"there are two questions with the id '{id}'", "give each question its own id");
            }

            if (id is null || typeName is null || label is null)
            {
                return null;
            }

            var question = new Question(id, type, label)
            {
                Required = map["required"] is { } required && Bool(required, "'required'"),
                Help = map["help"] is { } helpNode ? Localized(helpNode, "the question's help") : null,
                PreferNotToAnswer = map["preferNotToAnswer"] is { } prefer && Bool(prefer, "'preferNotToAnswer'"),
                ShowIf = showIf,
                Report = map["report"] is { } report ? ReportKey(report) : null,
                Options = Options(map, type),
                Low = map["low"] is { } low ? Localized(low, "the scale's low end") : null,
                High = map["high"] is { } high ? Localized(high, "the scale's high end") : null,
            };
            question = Limits(map, question);
            if (question.PreferNotToAnswer && type is not (QuestionType.Choice or QuestionType.Choices or QuestionType.YesNo))
            {
                Error(map["preferNotToAnswer"]!, $"'preferNotToAnswer' is only for choice, choices and yesno questions, not {typeName}", "remove it, or make the question not required");
            }

            return question;
        }

        private Question Limits(YamlMap map, Question question)
        {
            foreach (var key in new[] { "min", "max" }.Where(k => map[k] is not null && question.Type is not (QuestionType.Number or QuestionType.Year)))
            {
                Error(map[key]!, $"'{key}' is only for number and year questions", $"remove '{key}'");
            }

            foreach (var key in new[] { "notBefore", "notAfter" }.Where(k => map[k] is not null && question.Type is not QuestionType.Date))
            {
                Error(map[key]!, $"'{key}' is only for date questions", $"remove '{key}'");
            }

            foreach (var key in new[] { "maxLength", "lines" }.Where(k => map[k] is not null && question.Type is not QuestionType.Text))
            {
                Error(map[key]!, $"'{key}' is only for text questions", $"remove '{key}'");
            }

            foreach (var key in new[] { "low", "high" }.Where(k => map[k] is not null && question.Type is not QuestionType.Scale))
            {
                Error(map[key]!, $"'{key}' is only for scale questions", $"remove '{key}'");
            }

            var maxNode = map["max"] as YamlText;
            var currentYear = question.Type == QuestionType.Year && maxNode?.Value == "current";
            var notAfterNode = map["notAfter"] as YamlText;
            var today = notAfterNode?.Value == "today";
            return question with
            {
                Min = map["min"] is { } min ? Integer(min, "'min'") : null,
                Max = maxNode is not null && !currentYear ? Integer(maxNode, "'max'") : null,
                MaxIsCurrentYear = currentYear,
                NotBefore = map["notBefore"] is { } before ? Date(before, "'notBefore'") : null,
                NotAfter = notAfterNode is not null && !today ? Date(notAfterNode, "'notAfter'") : null,
                NotAfterToday = today,
                MaxLength = map["maxLength"] is { } maxLength ? Integer(maxLength, "'maxLength'", 1, 10_000) ?? 1000 : 1000,
                Lines = map["lines"] is { } lines ? Integer(lines, "'lines'", 1, 20) ?? 1 : 1,
            };
        }

        private List<FormOption> Options(YamlMap map, QuestionType type)
        {
            var node = map["options"];
            if (type is not (QuestionType.Choice or QuestionType.Choices))
            {
                if (node is not null)
                {
                    Error(node, "'options' are only for choice and choices questions", "remove 'options', or use 'type: choice'");
                }

                return [];
            }

            if (node is not YamlList list || list.Items.Count < 2)
            {
                Error(node ?? map, "a choice question needs at least two options", "add 'options:' with '- { value: yes, label: { fi: …, en: … } }' items");
                return [];
            }

            var options = new List<FormOption>();
            foreach (var item in list.Items)
            {
                if (item is not YamlMap option)
                {
                    Error(item, "an option must be a map", "write '- { value: employee, label: { fi: …, en: … } }'");
                    continue;
                }

                CheckKeys(option, OptionKeys, "an option");
                var value = RequiredText(option, "value", "the option's value", "value: employee");
                if (value is not null && (!ValuePattern().IsMatch(value) || value == Declined))
                {
                    Error(option["value"]!, value == Declined ? "'declined' is kept for \"I prefer not to answer\"" : $"'{value}' is not a valid option value", value == Declined ? "use 'preferNotToAnswer: true' on the question instead" : "use lowercase letters, digits and '-', e.g. self-employed");
                    value = null;
                }

                if (value is not null && options.Any(o => o.Value == value))
                {
                    Error(option["value"]!, $"two options have the value '{value}'", "give each option its own value");
                    value = null;
                }

                var label = RequiredLocalized(option, "label", "the option's label");
                var report = option["report"] is { } reportNode ? Text(reportNode, "'report'", "report: employed") : null;
                if (value is not null && label is not null)
                {
                    options.Add(new FormOption(value, label, report));
                }
            }

            return options;
        }

        private string? ReportKey(YamlNodeBase node)
        {
            var key = Text(node, "'report'", "report: labourStatus");
            if (key is not null && !ReportKeys.Contains(key))
            {
                Error(node, $"'{key}' is not a reporting field{Suggestions.DidYouMean(key, ReportKeys)}", "use one of: " + string.Join(", ", ReportKeys));
                return null;
            }

            return key;
        }

        private string? Condition(YamlNodeBase node)
        {
            if (Text(node, "'showIf'", "showIf: \"answers.working == 'no'\"") is not { } text)
            {
                return null;
            }

            try
            {
                Expression.Parse(text);
            }
            catch (ExpressionSyntaxException e)
            {
                Error(node, $"the condition does not parse: {e.Message}", "write e.g. \"answers.working == 'no'\" (see docs/WORKFLOWS.md)");
                return null;
            }

            foreach (var name in AnswerReference().Matches(text).Select(m => m.Groups[1].Value).Where(n => !_questionIds.Contains(n)))
            {
                Error(node, $"the condition reads answers.{name}, which is not a question asked before this point", "name a question from an earlier page or higher on this page");
            }

            return text;
        }

        private LocalizedText? RequiredLocalized(YamlMap map, string key, string what)
        {
            if (map[key] is not { } node)
            {
                Error(map, $"{what} is missing", $"add '{key}: {{ {string.Join(", ", languages.Select(l => l + ": …"))} }}'");
                return null;
            }

            return Localized(node, what);
        }

        private LocalizedText? Localized(YamlNodeBase node, string what)
        {
            if (node is not YamlMap map)
            {
                Error(node, $"{what} must be a map of language → text", "write e.g. '{ fi: …, en: … }'");
                return null;
            }

            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in map.Entries)
            {
                if (!WorkflowLoader.AllowedLanguages.Contains(key.Value))
                {
                    Error(key, $"'{key.Value}' is not a language code{Suggestions.DidYouMean(key.Value, WorkflowLoader.AllowedLanguages)}", "use one of: " + string.Join(", ", WorkflowLoader.AllowedLanguages));
                }
                else if (Text(value, $"{what} in '{key.Value}'", "the text") is { } text)
                {
                    texts[key.Value] = text.Trim();
                }
            }

            foreach (var language in languages.Where(l => map[l] is null))
            {
                Error(node, $"{what} has no '{language}' text", $"add '{language}: …' (every participant reads the form in their own language)");
            }

            return new(texts);
        }

        private string? RequiredText(YamlMap map, string key, string what, string example)
        {
            if (map[key] is not { } node)
            {
                Error(map, $"{what} is missing", $"add '{example}'");
                return null;
            }

            return Text(node, what, example);
        }

        private string? Text(YamlNodeBase node, string what, string example)
        {
            if (node is not YamlText text || text.Value.Trim().Length == 0)
            {
                Error(node, $"{what} must be a non-empty text", $"write e.g. {example}");
                return null;
            }

            return text.Value;
        }

        private bool Bool(YamlNodeBase node, string what)
        {
            if (node is YamlText { IsPlain: true, Value: "true" or "false" } text)
            {
                return text.Value == "true";
            }

            Error(node, $"{what} must be true or false", $"write {what.Trim('\'')}: true (without quotes)");
            return false;
        }

        private int? Integer(YamlNodeBase node, string what, int min = int.MinValue, int max = int.MaxValue)
        {
            if (node is YamlText text && int.TryParse(text.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            Error(node, $"{what} must be a whole number{(min > int.MinValue ? $" from {min} to {max}" : "")}", $"write e.g. {what.Trim('\'')}: {Math.Max(min, 1)}");
            return null;
        }

        private DateOnly? Date(YamlNodeBase node, string what)
        {
            if (node is YamlText text && DateOnly.TryParseExact(text.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            Error(node, $"{what} must be a date YYYY-MM-DD{(what == "'notAfter'" ? " or 'today'" : "")}", $"write e.g. {what.Trim('\'')}: 1920-01-01");
            return null;
        }

        private void CheckKeys(YamlMap map, string[] allowed, string what)
        {
            foreach (var (key, _) in map.Entries.Where(e => !allowed.Contains(e.Key.Value)))
            {
                Error(key, $"{what} has no key '{key.Value}'{Suggestions.DidYouMean(key.Value, allowed)}", "use only: " + string.Join(", ", allowed));
            }
        }

        private void Error(YamlNodeBase node, string message, string fix) => errors.Add(new(node.Location(file), message, fix));
    }
}
