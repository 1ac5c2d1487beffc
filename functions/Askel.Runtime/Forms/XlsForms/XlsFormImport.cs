using System.Globalization;
using System.Text.RegularExpressions;
using Askel.Runtime.Definitions;
using Askel.Runtime.Expressions;
using static Askel.Runtime.Forms.XlsForms.XlsFormColumns;

namespace Askel.Runtime.Forms.XlsForms;

/// <summary>The outcome of importing an XLSForm: the form file's text, or the problems that stop it.</summary>
/// <param name="Yaml">The form file's text (docs/FORMS.md); null when there are problems.</param>
/// <param name="Form">The form as Askel's loader reads <paramref name="Yaml"/>; null when there are problems.</param>
/// <param name="Languages">The languages the XLSForm has texts in, in Askel's order.</param>
/// <param name="Problems">Every problem found, by sheet, row and column; empty when imported.</param>
public sealed record XlsFormImportResult(string? Yaml, FormDefinition? Form, IReadOnlyList<string> Languages, IReadOnlyList<XlsFormProblem> Problems);

/// <summary>
/// Reads an XLSForm workbook (survey, choices, settings; see xlsform.org) into an Askel form file. Groups are
/// pages, <c>relevant</c> becomes <c>showIf</c>; anything Askel cannot do the same way is refused with the
/// cell it is in and what to do, all problems at once.
/// </summary>
public static partial class XlsFormImport
{
    /// <summary>The largest workbook imported, in bytes.</summary>
    public const int MaxBytes = XlsWorkbook.MaxBytes;

    /// <summary>Imports <paramref name="workbook"/>; <paramref name="fileName"/> (without extension) names the form when settings has no form_id.</summary>
    public static XlsFormImportResult Import(byte[] workbook, string fileName)
    {
        ArgumentNullException.ThrowIfNull(workbook);
        ArgumentNullException.ThrowIfNull(fileName);
        var problems = new List<XlsFormProblem>();
        var sheets = XlsWorkbook.Read(workbook, problems);
        if (sheets is null)
        {
            return new(null, null, [], problems);
        }

        if (!sheets.TryGetValue(Survey, out var survey))
        {
            problems.Add(new(null, null, null, null, $"the workbook has no 'survey' sheet (its sheets: {string.Join(", ", sheets.Keys)})", "the questions go in a sheet named survey, the options in choices, the form's name and title in settings (see xlsform.org)"));
            return new(null, null, [], problems);
        }

        var importer = new Importer(problems, sheets.GetValueOrDefault(Choices), sheets.GetValueOrDefault(Settings));
        var form = importer.Build(survey, fileName);
        if (form is null || problems.Count > 0)
        {
            return new(null, null, importer.Languages, Sorted(problems));
        }

        var yaml = FormYamlWriter.Write(form, ["Imported from an XLSForm (askel form import)."]);
        var loaded = FormLoader.Load(yaml, form.Name + ".yaml", importer.Languages);
        // The checks above should leave nothing for the loader to find; if it does, say so rather than write a broken file.
        foreach (var error in loaded.Errors.Where(e => e.IsError))
        {
            problems.Add(new(Survey, null, null, null, $"the imported form does not load: {error.Message} (line {error.Location.Line} of the form file)", error.Fix));
        }

        return problems.Count > 0 ? new(null, null, importer.Languages, problems) : new(yaml, loaded.Form, importer.Languages, []);
    }

    /// <summary>The most problems reported: a sheet wrong in every cell says so in a screenful, not a million lines.</summary>
    public const int MaxProblems = 200;

    private static List<XlsFormProblem> Sorted(List<XlsFormProblem> problems)
    {
        string[] order = [Survey, Choices, Settings];
        List<XlsFormProblem> sorted =
        [
            .. problems.OrderBy(p => p.Sheet is null ? -1 : Array.IndexOf(order, p.Sheet))
                .ThenBy(p => p.Row ?? 0)
                .ThenBy(p => p.Column?.Length ?? 0)
                .ThenBy(p => p.Column, StringComparer.Ordinal)
                .Take(MaxProblems),
        ];
        if (problems.Count > MaxProblems)
        {
            sorted.Add(new(null, null, null, null, $"{problems.Count - MaxProblems} more problems are not listed", "mend these first, then import again"));
        }

        return sorted;
    }

    [GeneratedRegex("^[a-z][a-zA-Z0-9]*$", RegexOptions.CultureInvariant)]
    private static partial Regex QuestionId();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex OptionValue();

    [GeneratedRegex(@"answers\.([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.CultureInvariant)]
    private static partial Regex AnswerReference();

    [GeneratedRegex(@"^\.(>=|<=)(-?[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberLimit();

    [GeneratedRegex(@"^\.(>=|<=)date\(['""]([0-9]{4}-[0-9]{2}-[0-9]{2})['""]\)$", RegexOptions.CultureInvariant)]
    private static partial Regex DateLimit();

    [GeneratedRegex(@"^string-length\(\.\)<=([0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex LengthLimit();

    [GeneratedRegex(@"\s+and\s+", RegexOptions.CultureInvariant)]
    private static partial Regex AndSplit();

    /// <summary>Columns XLSForm has that Askel does not use, with what to do instead.</summary>
    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.OrdinalIgnoreCase)
    {
        ["calculation"] = "Askel forms do not calculate values; remove the column and work out the value in the workflow or the report",
        ["choice_filter"] = "cascading selects (choice_filter) are not supported; give the question only the options that apply, or split it into questions with showIf",
        ["default"] = "Askel questions start empty; remove the default",
        ["constraint_message"] = "Askel shows its own messages (workflows/pages/texts.yaml); clear the cell",
        ["required_message"] = "Askel shows its own messages (workflows/pages/texts.yaml); clear the cell",
        ["read_only"] = "every Askel question can be answered; remove the column",
        ["repeat_count"] = "repeats are not supported; ask a fixed set of questions",
        ["trigger"] = "Askel forms do not recalculate; remove the column",
        ["guidance_hint"] = "put the text in the hint column",
        ["image"] = "Askel forms show no media; describe it in the label or hint",
        ["audio"] = "Askel forms play no media; describe it in the label or hint",
        ["video"] = "Askel forms play no media; describe it in the label or hint",
        ["media"] = "Askel forms show no media; describe it in the label or hint",
    };

    /// <summary>Question types XLSForm has and Askel does not, with what to do instead.</summary>
    private static readonly Dictionary<string, string> UnsupportedTypes = new(StringComparer.Ordinal)
    {
        ["calculate"] = "Askel forms do not calculate values; remove the row and work out the value in the workflow or the report",
        ["note"] = "Askel forms have no notes between questions; put the text in the group's hint (the page's help) or a question's hint",
        ["decimal"] = "Askel numbers are whole numbers; use integer",
        ["geopoint"] = "Askel does not ask for locations; remove the row or ask for a place name with text",
        ["geotrace"] = "Askel does not ask for locations; remove the row",
        ["geoshape"] = "Askel does not ask for locations; remove the row",
        ["time"] = "Askel asks for dates only; use date, or text for a time",
        ["datetime"] = "Askel asks for dates only; use date",
        ["dateTime"] = "Askel asks for dates only; use date",
        ["image"] = "Askel forms do not take files; remove the row",
        ["audio"] = "Askel forms do not take files; remove the row",
        ["video"] = "Askel forms do not take files; remove the row",
        ["file"] = "Askel forms do not take files; remove the row",
        ["background-audio"] = "Askel forms do not record; remove the row",
        ["barcode"] = "Askel does not scan codes; use text",
        ["rank"] = "Askel has no ranking question; use select_multiple or several select_one questions",
        ["hidden"] = "Askel forms have no hidden fields; remove the row",
        ["trigger"] = "use acknowledge (a box to tick)",
    };

    private static readonly string[] MetadataTypes = ["start", "end", "today", "deviceid", "phonenumber", "username", "email", "audit", "simserial", "subscriberid", "start-geopoint", "uri:subscriberid", "uri:phonenumber", "uri:email", "uri:username", "uri:deviceid"];

    /// <summary>A column of a sheet as understood: its base (label, hint, …) and its language, if any.</summary>
    private sealed record Column(XlsColumn Cell, string Base, string? Language);

    /// <summary>A choice row, read once.</summary>
    private sealed record ChoiceRow(XlsRow Row, string Name, string? Report);

    /// <summary>A page being read: its group row and questions.</summary>
    private sealed class PageDraft(XlsRow row, string id, LocalizedText? title, LocalizedText? help, string? showIf)
    {
        public XlsRow Row { get; } = row;

        public List<Question> Questions { get; } = [];

        public FormPage ToPage() => new(id, title ?? new(new Dictionary<string, string>()), help, showIf, Questions);
    }

    /// <summary>A sheet's columns by base and language; the problems with its headers already reported.</summary>
    private sealed class Columns(XlsSheet sheet, List<Column> columns)
    {
        public XlsSheet Sheet { get; } = sheet;

        public IReadOnlyList<Column> All { get; } = columns;

        public XlsColumn? Plain(string name) => All.FirstOrDefault(c => c.Base == name && c.Language is null)?.Cell;

        public XlsColumn? In(string name, string language) => All.FirstOrDefault(c => c.Base == name && c.Language == language)?.Cell;

        public IEnumerable<Column> Texts(string name) => All.Where(c => c.Base == name);
    }

    private sealed class Importer(List<XlsFormProblem> problems, XlsSheet? choicesSheet, XlsSheet? settingsSheet)
    {
        private static readonly string[] TextBases = [Label, Hint, AskelLow, AskelHigh, AskelTitle, AskelIntro, AskelThanks];
        private static readonly string[] SurveyBases = [TypeColumn, Name, Label, Hint, Required, Relevant, Constraint, Appearance, Parameters, AskelType, AskelReport, AskelShowIf, AskelLow, AskelHigh];
        private static readonly string[] ChoiceBases = [ListName, Name, Label, AskelReport];
        private static readonly string[] SettingsBases = [FormId, FormTitle, VersionColumn, DefaultLanguage, Style, AskelTitle, AskelIntro, AskelThanks];

        private readonly Dictionary<string, (int Row, QuestionType Type, IReadOnlyList<string> Values)> _questions = new(StringComparer.Ordinal);
        private readonly HashSet<string> _checkedLists = new(StringComparer.Ordinal);
        private Dictionary<string, List<ChoiceRow>> _lists = [];
        private Columns? _choices;
        private string? _defaultLanguage;

        public List<string> Languages { get; private set; } = [];

        public FormDefinition? Build(XlsSheet survey, string fileName)
        {
            // The default language first: a plain 'label' column is in it.
            var settingsRow = settingsSheet?.Rows.FirstOrDefault();
            Columns? settings = null;
            if (settingsSheet is not null)
            {
                var defaultColumn = settingsSheet.Columns.FirstOrDefault(c => Base(c.Header).Base == DefaultLanguage);
                var written = settingsRow?.Cell(defaultColumn) ?? "";
                if (written.Length > 0)
                {
                    _defaultLanguage = LanguageCode(written);
                    if (_defaultLanguage is null)
                    {
                        Problem(settingsSheet, settingsRow!.Number, defaultColumn, $"'{written}' is not one of Askel's languages", "write one of: " + LanguageExamples);
                    }
                }

                settings = Read(settingsSheet, SettingsBases);
            }

            var columns = Read(survey, SurveyBases);
            foreach (var required in new[] { TypeColumn, Name })
            {
                if (columns.Plain(required) is null)
                {
                    Problem(survey, survey.HeaderRow, null, $"the survey sheet has no '{required}' column", $"add a column headed {required} in row {survey.HeaderRow}");
                }
            }

            // The form's languages are those it has label columns for.
            Languages = [.. WorkflowLoader.AllowedLanguages.Where(l => columns.In(Label, l) is not null)];
            if (Languages.Count == 0)
            {
                Problem(survey, survey.HeaderRow, null, "the survey sheet has no labels", "add a column label::English (en) (one per language) with each question's text");
            }

            if (columns.Plain(TypeColumn) is null || columns.Plain(Name) is null || Languages.Count == 0)
            {
                return null;
            }

            if (choicesSheet is not null)
            {
                _choices = Read(choicesSheet, ChoiceBases);
                _lists = Lists(_choices);
            }

            var (name, title, intro, thanks) = FormTexts(settings, settingsRow, fileName);
            var pages = Pages(columns, title);
            return name is null || title is null || pages.Count == 0 ? null : new FormDefinition(name, "", title, intro, thanks, pages);
        }

        private (string? Name, LocalizedText? Title, LocalizedText? Intro, LocalizedText? Thanks) FormTexts(Columns? settings, XlsRow? row, string fileName)
        {
            var name = fileName;
            var nameColumn = settings?.Plain(FormId);
            var sheet = settings?.Sheet;
            if (row?.Cell(nameColumn) is { Length: > 0 } formId)
            {
                name = formId;
            }

            if (!WorkflowLoader.NamePattern().IsMatch(name))
            {
                var fix = $"use lowercase letters, digits and '-', e.g. {Slug(name)}";
                if (sheet is not null && nameColumn is not null)
                {
                    Problem(sheet, row?.Number ?? sheet.HeaderRow + 1, nameColumn, $"'{name}' is not a valid form name", fix);
                }
                else
                {
                    problems.Add(new(Settings, null, null, null, $"the form has no form_id and its file name '{name}' is not a valid form name", $"add a settings sheet with a form_id column, or rename the file; {fix}"));
                }

                name = null;
            }

            if (sheet is null || settings is null || row is null)
            {
                problems.Add(new(Settings, null, null, null, "there is no settings sheet with the form's title", "add a sheet named settings with the columns form_id and form_title and the values in row 2"));
                return (name, null, null, null);
            }

            var title = Texts(settings, row, AskelTitle, "the form's title");
            if (title is null && row.Cell(settings.Plain(FormTitle)) is { Length: > 0 } formTitle)
            {
                // XLSForm has one title; Askel shows it in every language unless askel_title columns say otherwise.
                title = new(Languages.ToDictionary(l => l, _ => formTitle));
            }

            if (title is null)
            {
                Problem(sheet, row.Number, settings.Plain(FormTitle), "the form has no title", "write the title in form_title (or askel_title::English (en) and the other languages)");
            }

            return (name, title, Texts(settings, row, AskelIntro, "the form's intro"), Texts(settings, row, AskelThanks, "the thank-you text"));
        }

        private List<FormPage> Pages(Columns columns, LocalizedText? formTitle)
        {
            var survey = columns.Sheet;
            var type = columns.Plain(TypeColumn)!;
            var pages = new List<FormPage>();
            var pageIds = new Dictionary<string, int>(StringComparer.Ordinal);
            var loose = new List<(XlsRow Row, Question Question)>();
            PageDraft? page = null;
            var groups = false;
            var repeat = 0;
            var nested = 0;
            foreach (var row in survey.Rows)
            {
                // 'begin group' and 'begin_group' are both XLSForm.
                var kind = string.Join(' ', row.Cell(type).Split(' ', StringSplitOptions.RemoveEmptyEntries));
                kind = kind.StartsWith("begin ", StringComparison.Ordinal) || kind.StartsWith("end ", StringComparison.Ordinal) ? kind.Replace(' ', '_') : kind;
                if (repeat > 0)
                {
                    // Inside a refused repeat: its rows are not read, so the one problem is not buried under others.
                    repeat += kind == "begin_repeat" ? 1 : kind == "end_repeat" ? -1 : 0;
                    continue;
                }

                switch (kind)
                {
                    case "":
                        Problem(survey, row.Number, type, "the row has no type", "write the question's type (e.g. text, integer, select_one list) or delete the row");
                        continue;
                    case "begin_group":
                        groups = true;
                        if (page is not null)
                        {
                            Problem(survey, row.Number, type, $"a group inside the group of row {page.Row.Number}", "Askel's pages do not nest: end the first group (end_group) before this one begins");
                            nested++;
                            continue;
                        }

                        Cells(columns, row, [TypeColumn, Name, Label, Hint, Relevant, AskelShowIf, Appearance], "a group");
                        page = Group(columns, row, pageIds);
                        continue;
                    case "end_group":
                        Cells(columns, row, [TypeColumn, Name], "an end_group");
                        if (nested > 0)
                        {
                            // The end of a refused inner group: its questions count as the outer page's.
                            nested--;
                        }
                        else if (page is null)
                        {
                            Problem(survey, row.Number, type, "end_group without a begin_group", "delete the row, or add a begin_group row above the questions of the page");
                        }
                        else
                        {
                            if (page.Questions.Count == 0)
                            {
                                Problem(survey, page.Row.Number, type, "the group has no questions", "add questions between begin_group and end_group, or delete both rows");
                            }

                            pages.Add(page.ToPage());
                            page = null;
                        }

                        continue;
                    case "begin_repeat":
                        Problem(survey, row.Number, type, "repeats are not supported", "ask a fixed set of questions (e.g. about the first three children) in a group instead");
                        repeat = 1;
                        continue;
                }

                if (Question(columns, row, kind) is { } question)
                {
                    if (page is not null)
                    {
                        page.Questions.Add(question);
                    }
                    else
                    {
                        loose.Add((row, question));
                    }
                }
            }

            if (page is not null)
            {
                Problem(survey, page.Row.Number, type, "the group is not closed", "add an end_group row after its last question");
                pages.Add(page.ToPage());
            }

            if (groups)
            {
                foreach (var (row, _) in loose)
                {
                    Problem(survey, row.Number, type, "the question is outside every group", "the form has groups, which are Askel's pages: move the row into a group (between begin_group and end_group)");
                }
            }
            else if (loose.Count > 0)
            {
                // No groups: one page, titled like the form.
                pages.Add(new FormPage("questions", formTitle ?? new(new Dictionary<string, string>()), null, null, [.. loose.Select(l => l.Question)]));
            }

            return pages;
        }

        private PageDraft Group(Columns columns, XlsRow row, Dictionary<string, int> pageIds)
        {
            var survey = columns.Sheet;
            var nameColumn = columns.Plain(Name)!;
            var id = row.Cell(nameColumn);
            if (id.Length == 0)
            {
                Problem(survey, row.Number, nameColumn, "the group has no name", "write the page's id, e.g. about-you");
            }
            else if (!WorkflowLoader.NamePattern().IsMatch(id))
            {
                Problem(survey, row.Number, nameColumn, $"'{id}' is not a valid page id", $"use lowercase letters, digits and '-', e.g. {Slug(id)}");
            }
            else if (pageIds.TryGetValue(id, out var first))
            {
                Problem(survey, row.Number, nameColumn, $"the group name '{id}' is already used in row {first}", "give each group its own name");
            }
            else
            {
                pageIds[id] = row.Number;
            }

            var title = Texts(columns, row, Label, "the group's label");
            if (title is null)
            {
                Problem(survey, row.Number, columns.In(Label, Languages[0]), "the group has no label", "write the page's title in the label columns");
            }

            return new PageDraft(row, id, title, Texts(columns, row, Hint, "the group's hint"), ShowIf(columns, row));
        }

        private Question? Question(Columns columns, XlsRow row, string kind)
        {
            var survey = columns.Sheet;
            var type = columns.Plain(TypeColumn)!;
            var parts = kind.Split(' ');
            var word = parts[0];
            if (MetadataTypes.Contains(word))
            {
                Problem(survey, row.Number, type, $"'{word}' (form metadata) is not supported", "delete the row: Askel records when and by whom a form was answered itself");
                return null;
            }

            if (UnsupportedTypes.TryGetValue(word, out var instead) || word.StartsWith("select_one_from_file", StringComparison.Ordinal) || word.StartsWith("select_multiple_from_file", StringComparison.Ordinal))
            {
                Problem(survey, row.Number, type, $"the question type '{word}' is not supported", instead ?? "list the options in the choices sheet and use select_one or select_multiple");
                return null;
            }

            var select = word is "select_one" or "select_multiple" || (word == "select" && parts.Length > 1 && parts[1] is "one" or "multiple");
            if (select && word == "select")
            {
                word = "select_" + parts[1];
                parts = [word, .. parts[2..]];
            }

            if (!select && !(word is "integer" or "date" or "text" or "range" or "acknowledge"))
            {
                Problem(survey, row.Number, type, $"'{kind}' is not a question type Askel can import", "use select_one, select_multiple, integer, date, text, range (1 to 5) or acknowledge");
                return null;
            }

            if (select && parts.Length != 2)
            {
                Problem(survey, row.Number, type, parts.Length < 2 ? $"'{kind}' names no list of choices" : $"'{string.Join(' ', parts[2..])}' after the list name is not supported", parts.Length < 2 ? $"write '{word} <list_name>' with the list's name from the choices sheet" : "remove it (or_other is not supported: add an option 'other' and a text question shown when it is chosen)");
                return null;
            }

            string[] reads = word switch
            {
                "select_one" => [AskelType],
                "integer" => [Constraint, AskelType],
                "date" => [Constraint],
                "text" => [Constraint, Parameters, Appearance],
                "range" => [Parameters, AskelLow, AskelHigh],
                _ => [],
            };
            Cells(columns, row, [TypeColumn, Name, Label, Hint, Required, Relevant, AskelShowIf, AskelReport, .. reads], $"a {word} question");

            var id = QuestionName(columns, row);
            var label = Texts(columns, row, Label, "the question's label");
            if (label is null)
            {
                Problem(survey, row.Number, columns.In(Label, Languages[0]), "the question has no label", "write the question in the label columns");
            }

            var askelType = row.Cell(columns.Plain(AskelType));
            var questionType = (word, askelType) switch
            {
                ("select_one", "yesno") => QuestionType.YesNo,
                ("select_one", _) => QuestionType.Choice,
                ("select_multiple", _) => QuestionType.Choices,
                ("integer", "year") => QuestionType.Year,
                ("integer", _) => QuestionType.Number,
                ("date", _) => QuestionType.Date,
                ("range", _) => QuestionType.Scale,
                ("acknowledge", _) => QuestionType.Confirm,
                _ => QuestionType.Text,
            };
            if (askelType.Length > 0 && (askelType, word) is not (("yesno", "select_one") or ("year", "integer")))
            {
                Problem(survey, row.Number, columns.Plain(AskelType), $"askel_type '{askelType}' does not fit a {word} question", "clear the cell, or write yesno (on a select_one with the choices yes and no) or year (on an integer)");
            }

            var showIf = ShowIf(columns, row);
            var question = new Question(id ?? "", questionType, label ?? new(new Dictionary<string, string>()))
            {
                Required = RequiredValue(columns, row),
                Help = Texts(columns, row, Hint, "the question's hint"),
                ShowIf = showIf,
                Report = Report(columns, row),
            };
            question = questionType switch
            {
                QuestionType.Choice or QuestionType.Choices or QuestionType.YesNo => Options(columns, row, parts[1], question),
                QuestionType.Scale => Scale(columns, row, question),
                QuestionType.Number or QuestionType.Year or QuestionType.Date or QuestionType.Text => Limits(columns, row, question),
                _ => question,
            };
            if (id is not null)
            {
                _questions[id] = (row.Number, questionType, questionType == QuestionType.YesNo ? ["yes", "no"] : [.. question.Options.Select(o => o.Value)]);
            }

            return id is null || label is null ? null : question;
        }

        private string? QuestionName(Columns columns, XlsRow row)
        {
            var column = columns.Plain(Name)!;
            var id = row.Cell(column);
            if (id.Length == 0)
            {
                Problem(columns.Sheet, row.Number, column, "the question has no name", "write the answer's key, e.g. birthDate");
                return null;
            }

            if (!QuestionId().IsMatch(id))
            {
                Problem(columns.Sheet, row.Number, column, $"'{id}' is not a valid question name for Askel", $"start with a lowercase letter and use only letters and digits, e.g. {Camel(id)} (rename it in relevant expressions too)");
                return null;
            }

            if (_questions.TryGetValue(id, out var first))
            {
                Problem(columns.Sheet, row.Number, column, $"the name '{id}' is already used in row {first.Row}", "give each question its own name");
                return null;
            }

            return id;
        }

        private bool RequiredValue(Columns columns, XlsRow row)
        {
            var column = columns.Plain(Required);
            var text = row.Cell(column).Trim().ToLowerInvariant();
            switch (text)
            {
                case "yes" or "true" or "1" or "true()":
                    return true;
                case "" or "no" or "false" or "0" or "false()":
                    return false;
                default:
                    Problem(columns.Sheet, row.Number, column, $"'{row.Cell(column)}' is not yes or no", "write yes or leave it empty; a question with a relevant condition is required only when it is shown");
                    return false;
            }
        }

        private string? Report(Columns columns, XlsRow row)
        {
            var column = columns.Plain(AskelReport);
            var report = row.Cell(column);
            if (report.Length == 0)
            {
                return null;
            }

            if (!FormLoader.ReportKeys.Contains(report))
            {
                Problem(columns.Sheet, row.Number, column, $"'{report}' is not a reporting field{Suggestions.DidYouMean(report, FormLoader.ReportKeys)}", "use one of: " + string.Join(", ", FormLoader.ReportKeys));
                return null;
            }

            return report;
        }

        private string? ShowIf(Columns columns, XlsRow row)
        {
            var survey = columns.Sheet;
            var relevantColumn = columns.Plain(Relevant);
            var askelColumn = columns.Plain(AskelShowIf);
            var relevant = row.Cell(relevantColumn);
            var askel = row.Cell(askelColumn);
            if (relevant.Length > 0 && askel.Length > 0)
            {
                Problem(survey, row.Number, askelColumn, "the row has both relevant and askel_show_if", "keep one of them");
                return null;
            }

            if (askel.Length > 0)
            {
                try
                {
                    Expression.Parse(askel);
                }
                catch (ExpressionSyntaxException e)
                {
                    Problem(survey, row.Number, askelColumn, $"the condition does not parse: {e.Message}", "write e.g. answers.working == 'no' (see docs/WORKFLOWS.md)");
                    return null;
                }

                return Earlier(columns, row, askelColumn, AnswerReference().Matches(askel).Select(m => m.Groups[1].Value)) ? askel : null;
            }

            if (relevant.Length == 0)
            {
                return null;
            }

            const string Subset = "use only ${q} = 'x', ${q} != 'x', selected(${q}, 'x'), ${q} > 3 (=, !=, <, <=, >, >= with a number), and, or, not(…) and brackets; or write Askel's condition in an askel_show_if column";
            Condition condition;
            try
            {
                condition = Conditions.ParseXlsForm(relevant);
            }
            catch (ConditionException e)
            {
                Problem(survey, row.Number, relevantColumn, $"the condition '{relevant}' cannot be translated: {e.Message}", Subset);
                return null;
            }

            if (!Earlier(columns, row, relevantColumn, condition.Questions()) || !Fits(columns, row, relevantColumn, condition))
            {
                return null;
            }

            return Conditions.ToAskel(condition, q => _questions[q].Type == QuestionType.Choices);
        }

        // A condition may read only the questions above it, as Askel asks them in order.
        private bool Earlier(Columns columns, XlsRow row, XlsColumn? column, IEnumerable<string> names)
        {
            var ok = true;
            foreach (var name in names.Distinct().Where(n => !_questions.ContainsKey(n)))
            {
                Problem(columns.Sheet, row.Number, column, $"the condition reads '{name}', which is not a question above this row", "name a question asked before this one (a condition cannot look ahead)");
                ok = false;
            }

            return ok;
        }

        private bool Fits(Columns columns, XlsRow row, XlsColumn? column, Condition condition)
        {
            switch (condition)
            {
                case Condition.Compare c when _questions[c.Question].Type == QuestionType.Choices && c.Value.IsString:
                    Problem(columns.Sheet, row.Number, column, $"'{c.Question}' takes several options, so it cannot be compared with '{c.Value.Text}'", $"write selected(${{{c.Question}}}, '{c.Value.Text}')");
                    return false;
                case Condition.Selected s when _questions[s.Question].Type is not (QuestionType.Choice or QuestionType.Choices or QuestionType.YesNo):
                    Problem(columns.Sheet, row.Number, column, $"selected() reads '{s.Question}', which is not a select question", $"compare it instead, e.g. ${{{s.Question}}} = 'x'");
                    return false;
                case Condition.Selected s when !_questions[s.Question].Values.Contains(s.Value):
                    Problem(columns.Sheet, row.Number, column, $"'{s.Question}' has no option '{s.Value}'", "use one of: " + string.Join(", ", _questions[s.Question].Values));
                    return false;
                case Condition.And a:
                    return Fits(columns, row, column, a.Left) & Fits(columns, row, column, a.Right);
                case Condition.Or o:
                    return Fits(columns, row, column, o.Left) & Fits(columns, row, column, o.Right);
                case Condition.Not n:
                    return Fits(columns, row, column, n.Operand);
            }

            return true;
        }

        private Question Options(Columns columns, XlsRow row, string list, Question question)
        {
            var survey = columns.Sheet;
            var type = columns.Plain(TypeColumn);
            if (!_lists.TryGetValue(list, out var choices) || choices.Count == 0)
            {
                Problem(survey, row.Number, type, $"the list '{list}' has no choices", choicesSheet is null ? "add a sheet named choices with the columns list_name, name and label" : $"add rows with list_name '{list}' to the choices sheet, or correct the list's name{Suggestions.DidYouMean(list, _lists.Keys)}");
                return question;
            }

            var firstUse = _checkedLists.Add(list);
            var options = new List<FormOption>();
            var declined = false;
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            var nameColumn = _choices!.Plain(Name);
            foreach (var choice in choices)
            {
                if (choice.Name == Declined)
                {
                    declined = true;
                    continue;
                }

                var valid = OptionValue().IsMatch(choice.Name);
                if (firstUse && !valid)
                {
                    Problem(_choices.Sheet, choice.Row.Number, nameColumn, $"'{choice.Name}' is not a valid option name for Askel", $"use lowercase letters, digits and '-', e.g. {Slug(choice.Name)} (change it in relevant expressions too)");
                }
                else if (firstUse && seen.TryGetValue(choice.Name, out var first))
                {
                    Problem(_choices.Sheet, choice.Row.Number, nameColumn, $"the list '{list}' already has the option '{choice.Name}' in row {first}", "give each option of a list its own name");
                }

                seen.TryAdd(choice.Name, choice.Row.Number);
                if (question.Type != QuestionType.YesNo && valid)
                {
                    // The label is read once per list, so a shared list's missing texts are told once.
                    var label = firstUse ? Texts(_choices, choice.Row, Label, "the choice's label") : Labels(_choices, choice.Row);
                    if (label is null && firstUse)
                    {
                        Problem(_choices.Sheet, choice.Row.Number, _choices.In(Label, Languages[0]), "the choice has no label", "write the option's text in the label columns");
                    }

                    options.Add(new FormOption(choice.Name, label ?? new(new Dictionary<string, string>()), choice.Report));
                }
            }

            if (question.Type == QuestionType.YesNo && !seen.Keys.Order(StringComparer.Ordinal).SequenceEqual(["no", "yes"]))
            {
                Problem(survey, row.Number, columns.Plain(AskelType), $"a yesno question's list must have the choices yes and no (and optionally declined); '{list}' has {string.Join(", ", seen.Keys)}", "use a list with exactly yes and no, or clear askel_type to make it an ordinary select_one");
            }
            else if (question.Type != QuestionType.YesNo && options.Count < 2 && seen.Count == options.Count)
            {
                Problem(survey, row.Number, type, $"the list '{list}' has {(options.Count == 0 ? "no options" : "only one option")} besides 'declined'", $"add at least two choices with list_name '{list}'");
            }

            return question with { Options = options, PreferNotToAnswer = declined };
        }

        private LocalizedText? Labels(Columns columns, XlsRow row)
        {
            var texts = Languages.Select(l => (l, Text: row.Cell(columns.In(Label, l)))).Where(t => t.Text.Length > 0).ToDictionary(t => t.l, t => t.Text);
            return texts.Count == 0 ? null : new(texts);
        }

        private Question Scale(Columns columns, XlsRow row, Question question)
        {
            var column = columns.Plain(Parameters);
            // A name given twice keeps its last value here; the checks below refuse anything but start=1 end=5 (step=1).
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in row.Cell(column).Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)))
            {
                parameters[pair[0].Trim()] = pair.Length > 1 ? pair[1].Trim() : "";
            }

            if (parameters.GetValueOrDefault("start") != "1" || parameters.GetValueOrDefault("end") != "5" || parameters.GetValueOrDefault("step", "1") != "1" || parameters.Count > 3 || (parameters.Count == 3 && !parameters.ContainsKey("step")))
            {
                Problem(columns.Sheet, row.Number, column ?? columns.Plain(TypeColumn), $"the range '{row.Cell(column)}' is not Askel's scale of 1 to 5", $"write {ScaleParameters} in parameters, or use integer with a constraint for other numbers");
            }

            return question with { Low = Texts(columns, row, AskelLow, "the scale's low end"), High = Texts(columns, row, AskelHigh, "the scale's high end") };
        }

        private Question Limits(Columns columns, XlsRow row, Question question)
        {
            var survey = columns.Sheet;
            var column = columns.Plain(Constraint);
            var constraint = row.Cell(column);
            if (question.Type == QuestionType.Text)
            {
                question = Lines(columns, row, question);
            }

            if (constraint.Length == 0)
            {
                return question;
            }

            foreach (var part in AndSplit().Split(constraint))
            {
                var compact = string.Concat(part.Where(c => !char.IsWhiteSpace(c)));
                var number = NumberLimit().Match(compact);
                var date = DateLimit().Match(compact);
                var length = LengthLimit().Match(compact);
                if (question.Type is QuestionType.Number or QuestionType.Year && number.Success && int.TryParse(number.Groups[2].Value, CultureInfo.InvariantCulture, out var limit))
                {
                    question = number.Groups[1].Value == ">=" ? question with { Min = limit } : question with { Max = limit, MaxIsCurrentYear = false };
                }
                else if (question.Type == QuestionType.Year && compact == ".<=format-date(today(),'%Y')")
                {
                    question = question with { Max = null, MaxIsCurrentYear = true };
                }
                else if (question.Type == QuestionType.Date && compact == ".<=today()")
                {
                    question = question with { NotAfter = null, NotAfterToday = true };
                }
                else if (question.Type == QuestionType.Date && date.Success && DateOnly.TryParseExact(date.Groups[2].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    question = date.Groups[1].Value == ">=" ? question with { NotBefore = day } : question with { NotAfter = day, NotAfterToday = false };
                }
                else if (question.Type == QuestionType.Text && length.Success && int.TryParse(length.Groups[1].Value, CultureInfo.InvariantCulture, out var max) && max is >= 1 and <= 10_000)
                {
                    question = question with { MaxLength = max };
                }
                else
                {
                    Problem(survey, row.Number, column, $"the constraint '{part.Trim()}' cannot be translated for a{(question.Type == QuestionType.Date ? " date" : question.Type == QuestionType.Text ? " text" : "n integer")} question", question.Type switch
                    {
                        QuestionType.Date => "write only . >= date('1920-01-01') and . <= today() (or . <= date('…')), joined with 'and'",
                        QuestionType.Text => "write only string-length(.) <= 1000 (at most 10000)",
                        _ => "write only . >= 0 and . <= 120 (whole numbers; on a year also . <= format-date(today(), '%Y')), joined with 'and'",
                    });
                }
            }

            return question;
        }

        private Question Lines(Columns columns, XlsRow row, Question question)
        {
            var appearance = row.Cell(columns.Plain(Appearance));
            if (appearance.Length > 0 && appearance != "multiline")
            {
                Problem(columns.Sheet, row.Number, columns.Plain(Appearance), $"the appearance '{appearance}' is not supported", "clear the cell (Askel lays out its pages itself), or write multiline for a larger text box");
            }

            var column = columns.Plain(Parameters);
            var parameters = row.Cell(column);
            if (parameters.Length == 0)
            {
                // A multiline box without rows gets the height of the shipped forms' comment boxes.
                return appearance == "multiline" ? question with { Lines = 4 } : question;
            }

            var compact = string.Concat(parameters.Where(c => !char.IsWhiteSpace(c)));
            if (compact.StartsWith("rows=", StringComparison.Ordinal) && int.TryParse(compact[5..], CultureInfo.InvariantCulture, out var rows) && rows is >= 1 and <= 20)
            {
                return question with { Lines = rows };
            }

            Problem(columns.Sheet, row.Number, column, $"the parameters '{parameters}' are not supported on a text question", "write rows=4 (1 to 20 lines), or clear the cell");
            return question;
        }

        private Dictionary<string, List<ChoiceRow>> Lists(Columns columns)
        {
            var lists = new Dictionary<string, List<ChoiceRow>>(StringComparer.Ordinal);
            var listColumn = columns.Plain(ListName);
            var nameColumn = columns.Plain(Name);
            if (listColumn is null || nameColumn is null)
            {
                Problem(columns.Sheet, columns.Sheet.HeaderRow, null, "the choices sheet needs the columns list_name and name", $"add them in row {columns.Sheet.HeaderRow}");
                return lists;
            }

            foreach (var row in columns.Sheet.Rows)
            {
                Cells(columns, row, ChoiceBases, "a choice");
                var list = row.Cell(listColumn);
                var name = row.Cell(nameColumn);
                if (list.Length == 0 || name.Length == 0)
                {
                    Problem(columns.Sheet, row.Number, list.Length == 0 ? listColumn : nameColumn, list.Length == 0 ? "the choice has no list_name" : "the choice has no name", "write the list's name and the option's name (the value stored), or delete the row");
                    continue;
                }

                var report = row.Cell(columns.Plain(AskelReport));
                lists.TryAdd(list, []);
                lists[list].Add(new ChoiceRow(row, name, report.Length > 0 ? report : null));
            }

            return lists;
        }

        /// <summary>A text in every language of the form; null when no language has one (a problem per missing language otherwise).</summary>
        private LocalizedText? Texts(Columns columns, XlsRow row, string name, string what)
        {
            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var language in Languages)
            {
                if (row.Cell(columns.In(name, language)) is { Length: > 0 } text)
                {
                    texts[language] = text;
                }
            }

            if (texts.Count == 0)
            {
                return null;
            }

            foreach (var language in Languages.Where(l => !texts.ContainsKey(l)))
            {
                var column = columns.In(name, language);
                Problem(columns.Sheet, row.Number, column ?? columns.In(name, texts.Keys.First()), $"{what} has no {LanguageNames[language]} ({language}) text, though the form's labels are in {LanguageNames[language]}", column is null ? $"add a column {Header(name, language)} with the text" : "write the text in this cell");
            }

            foreach (var (language, text) in texts.Where(t => t.Value.Contains("${", StringComparison.Ordinal)))
            {
                Problem(columns.Sheet, row.Number, columns.In(name, language), $"{what} shows an answer (${{…}}), which Askel's texts cannot", "write the text without ${…}");
            }

            return new(texts);
        }

        /// <summary>Reads a sheet's headers: known columns by base and language; unknown ones refused where they have values.</summary>
        private Columns Read(XlsSheet sheet, string[] known)
        {
            var columns = new List<Column>();
            foreach (var cell in sheet.Columns)
            {
                var (name, written) = Base(cell.Header);
                string? language = null;
                if (!known.Contains(name))
                {
                    var fix = Unsupported.GetValueOrDefault(name, $"{(sheet.Name == Choices ? "extra choice columns are for choice_filter, which is not supported; " : "")}delete the column or clear its cells (Askel reads: {string.Join(", ", known)})");
                    foreach (var row in sheet.Rows.Where(r => r.Cell(cell).Length > 0))
                    {
                        Problem(sheet, row.Number, cell, $"the column '{cell.Header}' is not supported", fix);
                    }

                    continue;
                }

                if (TextBases.Contains(name))
                {
                    language = written is null ? _defaultLanguage : LanguageCode(written);
                    if (language is null)
                    {
                        Problem(sheet, sheet.HeaderRow, cell, written is null ? $"the column '{cell.Header}' has no language and settings has no default_language" : $"'{written}' is not one of Askel's languages", written is null ? $"write {Header(name, "en")} (the language's name and code), or set default_language in settings" : "write one of: " + LanguageExamples);
                        continue;
                    }
                }
                else if (written is not null)
                {
                    Problem(sheet, sheet.HeaderRow, cell, $"the column '{name}' is not written per language", $"head it {name}");
                    continue;
                }

                if (columns.FirstOrDefault(c => c.Base == name && c.Language == language) is { } twice)
                {
                    Problem(sheet, sheet.HeaderRow, cell, $"the column is there twice (also column {twice.Cell.Letter} '{twice.Cell.Header}')", "keep one of the two");
                    continue;
                }

                columns.Add(new Column(cell, name, language));
            }

            return new Columns(sheet, columns);
        }

        /// <summary>Refuses values in known columns a row of this kind does not use.</summary>
        private void Cells(Columns columns, XlsRow row, string[] used, string what)
        {
            foreach (var column in columns.All.Where(c => !used.Contains(c.Base) && row.Cell(c.Cell).Length > 0))
            {
                Problem(columns.Sheet, row.Number, column.Cell, $"'{column.Cell.Header}' is not used on {what}", "clear the cell");
            }
        }

        private static (string Base, string? Language) Base(string header)
        {
            var split = header.Split("::", 2);
            var name = split[0].Trim().ToLowerInvariant().Replace(' ', '_');
            return (name, split.Length > 1 ? split[1].Trim() : null);
        }

        private void Problem(XlsSheet sheet, int row, XlsColumn? column, string message, string fix) =>
            problems.Add(new(sheet.Name, row, column?.Letter, column?.Header, message, fix));
    }

    private static string Slug(string text)
    {
        var slug = string.Concat(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')).Trim('-');
        return slug.Length > 0 ? slug : "my-form";
    }

    private static string Camel(string text)
    {
        var words = text.Split(['_', '-', '.', ' '], StringSplitOptions.RemoveEmptyEntries).Select(w => new string([.. w.Where(char.IsAsciiLetterOrDigit)])).Where(w => w.Length > 0).ToArray();
        var camel = string.Concat(words.Select((w, i) => i == 0 ? w.ToLowerInvariant() : char.ToUpperInvariant(w[0]) + w[1..]));
        return camel.Length > 0 && char.IsAsciiLetter(camel[0]) ? char.ToLowerInvariant(camel[0]) + camel[1..] : "q" + camel;
    }
}
