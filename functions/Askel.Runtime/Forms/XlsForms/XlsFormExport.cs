using System.Globalization;
using Askel.Runtime.Definitions;
using static Askel.Runtime.Forms.XlsForms.XlsFormColumns;

namespace Askel.Runtime.Forms.XlsForms;

/// <summary>
/// The labels of the choices Askel adds itself, which an XLSForm must list: yes and no for a yes/no question,
/// and "I prefer not to answer" (from <c>workflows/pages/texts.yaml</c>).
/// </summary>
/// <param name="Yes">The "yes" label.</param>
/// <param name="No">The "no" label.</param>
/// <param name="PreferNotToAnswer">The label of the <c>declined</c> choice.</param>
public sealed record XlsFormChoiceTexts(LocalizedText Yes, LocalizedText No, LocalizedText PreferNotToAnswer);

/// <summary>
/// Writes an Askel form as an XLSForm workbook (survey, choices, settings) that ODK and KoboToolbox tools read,
/// with what XLSForm cannot say in <c>askel_*</c> columns, so <see cref="XlsFormImport"/> reads back the same form.
/// </summary>
public static class XlsFormExport
{
    /// <summary>The .xlsx bytes of <paramref name="form"/>.</summary>
    public static byte[] Export(FormDefinition form, XlsFormChoiceTexts texts)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(texts);
        var languages = WorkflowLoader.AllowedLanguages.Where(form.Title.Texts.ContainsKey).ToList();
        var survey = new Table([TypeColumn, Name, Label, Hint, Required, Relevant, Constraint, Appearance, Parameters, AskelType, AskelReport, AskelShowIf, AskelLow, AskelHigh], languages);
        var choices = new Table([ListName, Name, Label, AskelReport], languages);
        var multiple = form.Questions.Where(q => q.Type == QuestionType.Choices).Select(q => q.Id).ToHashSet(StringComparer.Ordinal);

        foreach (var page in form.Pages)
        {
            var group = survey.Row();
            group[TypeColumn] = "begin_group";
            group[Name] = page.Id;
            survey.Texts(group, Label, page.Title);
            survey.Texts(group, Hint, page.Help);
            survey.Condition(group, page.ShowIf, multiple);
            group[Appearance] = "field-list";
            foreach (var question in page.Questions)
            {
                Question(survey, choices, question, texts, multiple);
            }

            survey.Row()[TypeColumn] = "end_group";
        }

        var settings = new Table([FormId, FormTitle, VersionColumn, DefaultLanguage, AskelTitle, AskelIntro, AskelThanks], languages);
        var values = settings.Row();
        values[FormId] = form.Name;
        values[FormTitle] = form.Title.For(languages.FirstOrDefault() ?? "fi");
        values[VersionColumn] = form.Version;
        values[DefaultLanguage] = languages.Count > 0 ? $"{LanguageNames[languages[0]]} ({languages[0]})" : "";
        settings.Texts(values, AskelTitle, form.Title);
        settings.Texts(values, AskelIntro, form.Intro);
        settings.Texts(values, AskelThanks, form.Thanks);

        return XlsWorkbook.Write([survey.Sheet(Survey), choices.Sheet(Choices), settings.Sheet(Settings)]);
    }

    private static void Question(Table survey, Table choices, Question q, XlsFormChoiceTexts texts, HashSet<string> multiple)
    {
        var row = survey.Row();
        row[Name] = q.Id;
        survey.Texts(row, Label, q.Label);
        survey.Texts(row, Hint, q.Help);
        row[Required] = q.Required ? "yes" : "";
        survey.Condition(row, q.ShowIf, multiple);
        row[AskelReport] = q.Report ?? "";
        var constraint = new List<string>();
        string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
        string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        switch (q.Type)
        {
            case QuestionType.Choice or QuestionType.Choices:
                row[TypeColumn] = $"{(q.Type == QuestionType.Choice ? "select_one" : "select_multiple")} {q.Id}";
                foreach (var option in q.Options)
                {
                    Choice(choices, q.Id, option.Value, option.Label, option.Report);
                }

                break;
            case QuestionType.YesNo:
                row[TypeColumn] = $"select_one {q.Id}";
                row[AskelType] = "yesno";
                Choice(choices, q.Id, "yes", texts.Yes, null);
                Choice(choices, q.Id, "no", texts.No, null);
                break;
            case QuestionType.Number or QuestionType.Year:
                row[TypeColumn] = "integer";
                row[AskelType] = q.Type == QuestionType.Year ? "year" : "";
                if (q.Min is { } min)
                {
                    constraint.Add($". >= {Number(min)}");
                }

                if (q.MaxIsCurrentYear || q.Max is not null)
                {
                    constraint.Add(q.MaxIsCurrentYear ? ". <= format-date(today(), '%Y')" : $". <= {Number(q.Max!.Value)}");
                }

                break;
            case QuestionType.Date:
                row[TypeColumn] = "date";
                if (q.NotBefore is { } before)
                {
                    constraint.Add($". >= date('{Date(before)}')");
                }

                if (q.NotAfterToday || q.NotAfter is not null)
                {
                    constraint.Add(q.NotAfterToday ? ". <= today()" : $". <= date('{Date(q.NotAfter!.Value)}')");
                }

                break;
            case QuestionType.Scale:
                row[TypeColumn] = "range";
                row[Parameters] = ScaleParameters;
                survey.Texts(row, AskelLow, q.Low);
                survey.Texts(row, AskelHigh, q.High);
                break;
            case QuestionType.Text:
                row[TypeColumn] = "text";
                constraint.Add($"string-length(.) <= {Number(q.MaxLength)}");
                row[Appearance] = q.Lines > 1 ? "multiline" : "";
                row[Parameters] = q.Lines > 1 ? $"rows={Number(q.Lines)}" : "";
                break;
            case QuestionType.Confirm:
                row[TypeColumn] = "acknowledge";
                break;
        }

        if (q.PreferNotToAnswer)
        {
            Choice(choices, q.Id, Declined, texts.PreferNotToAnswer, null);
        }

        row[Constraint] = string.Join(" and ", constraint);
    }

    private static void Choice(Table choices, string list, string value, LocalizedText label, string? report)
    {
        var row = choices.Row();
        row[ListName] = list;
        row[Name] = value;
        choices.Texts(row, Label, label);
        row[AskelReport] = report ?? "";
    }

    /// <summary>Rows of named cells, in a fixed column order; a text column has a column per language.</summary>
    private sealed class Table(IReadOnlyList<string> order, IReadOnlyList<string> languages)
    {
        private static readonly string[] TextColumns = [Label, Hint, AskelLow, AskelHigh, AskelTitle, AskelIntro, AskelThanks];
        private readonly List<Dictionary<string, string>> _rows = [];

        public Dictionary<string, string> Row()
        {
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            _rows.Add(row);
            return row;
        }

        public void Texts(Dictionary<string, string> row, string column, LocalizedText? text)
        {
            foreach (var language in languages)
            {
                row[Header(column, language)] = text is not null && text.Texts.TryGetValue(language, out var value) ? value : "";
            }
        }

        // A condition XLSForm can say goes in 'relevant' only when reading it back gives the very same text.
        public void Condition(Dictionary<string, string> row, string? showIf, HashSet<string> multiple)
        {
            if (showIf is null)
            {
                return;
            }

            try
            {
                var relevant = Conditions.ToXlsForm(Conditions.FromAskel(showIf));
                if (Conditions.ToAskel(Conditions.ParseXlsForm(relevant), multiple.Contains) == showIf)
                {
                    row[Relevant] = relevant;
                    return;
                }
            }
            catch (ConditionException)
            {
                // Outside the subset: kept as Askel wrote it.
            }

            row[AskelShowIf] = showIf;
        }

        public (string, IReadOnlyList<string>, IEnumerable<IReadOnlyList<string>>) Sheet(string name)
        {
            // Columns no row fills are left out, so a form without conditions has no 'relevant' column.
            var columns = order.SelectMany(c => TextColumns.Contains(c) ? languages.Select(l => Header(c, l)) : [c]);
            var used = columns.Where(c => c is TypeColumn or Name or ListName or FormId || _rows.Any(r => r.TryGetValue(c, out var v) && v.Length > 0)).ToList();
            return (name, used, _rows.Select(r => (IReadOnlyList<string>)[.. used.Select(c => r.GetValueOrDefault(c, ""))]));
        }
    }
}
