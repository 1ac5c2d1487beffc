using System.IO.Compression;
using System.Text.Json;
using Askel.Runtime.Definitions;
using Askel.Runtime.Forms;
using Askel.Runtime.Forms.XlsForms;
using Askel.Testing;

namespace Askel.Runtime.Tests.Forms;

/// <summary>XLSForm import and export: what is translated, what is refused (at its cell), and round trips of the shipped forms.</summary>
public sealed class XlsFormTests
{
    private static readonly string[] AllLanguages = [.. WorkflowLoader.AllowedLanguages];

    private static readonly string[] SurveyHeader = ["type", "name", "label::English (en)", "label::Finnish (fi)", "relevant", "required", "constraint"];
    private static readonly string[] ChoicesHeader = ["list_name", "name", "label::English (en)", "label::Finnish (fi)"];
    private static readonly string[][] Settings = [["form_id", "form_title"], ["test", "Test"]];
    private static readonly string[][] YesNoChoices = [ChoicesHeader, ["yn", "yes", "Yes", "Kyllä"], ["yn", "no", "No", "Ei"]];

    [Fact]
    public void Import_ThreeLanguagesWithSelectsRelevantRequiredNumbersDatesAndGroups_GivesAFormTheLoaderLoads()
    {
        var workbook = XlsFormWorkbook.Build(
            ("survey",
            [
                ["type", "name", "label::Finnish (fi)", "label::sv", "label::English", "hint::Finnish (fi)", "hint::sv", "hint::English", "required", "relevant", "constraint"],
                ["begin_group", "now", "Nyt", "Nu", "Now"],
                ["select_one work", "working", "Töissä?", "Arbetar du?", "Working?", "", "", "", "yes"],
                ["integer", "age", "Ikä", "Ålder", "Age", "", "", "", "true", "${working} = 'no'", ". >= 16 and . <= 99"],
                ["date", "startDate", "Alku", "Start", "Start", "Päivämäärä", "Datum", "Date", "", "", ". >= date('2020-01-01') and . <= today()"],
                ["end_group"],
                ["begin group", "more", "Lisää", "Mer", "More", "", "", "", "", "${age} > 17"],
                ["select_multiple topics", "topics", "Aiheet", "Ämnen", "Topics", "", "", "", "1"],
                ["text", "other", "Muuta", "Annat", "Other", "", "", "", "", "selected(${topics}, 'other') and not(${working} = 'yes')"],
                ["end group"],
            ]),
            ("choices",
            [
                ["list_name", "name", "label::Finnish (fi)", "label::sv", "label::English"],
                ["work", "yes", "Kyllä", "Ja", "Yes"],
                ["work", "no", "Ei", "Nej", "No"],
                ["work", "declined"],
                ["topics", "money", "Raha", "Pengar", "Money"],
                ["topics", "other", "Muu", "Annat", "Other"],
            ]),
            ("settings", [["form_id", "form_title", "default_language"], ["intake", "Intake", "English (en)"]]));

        var result = XlsFormImport.Import(workbook, "ignored");

        Assert.Empty(result.Problems);
        Assert.Equal(["fi", "sv", "en"], result.Languages);
        var reloaded = FormLoader.Load(result.Yaml!, "workflows/forms/intake.yaml", ["fi", "sv", "en"]);
        Assert.Empty(reloaded.Errors);
        var form = reloaded.Form!;
        Assert.Equal("intake", form.Name);
        Assert.Equal("Intake", form.Title.Texts["sv"]);
        Assert.Equal(["now", "more"], form.Pages.Select(p => p.Id));
        Assert.Equal("Mer", form.Pages[1].Title.Texts["sv"]);
        Assert.Equal("answers.age > 17", form.Pages[1].ShowIf);

        var working = form.Question("working")!;
        Assert.Equal(QuestionType.Choice, working.Type);
        Assert.True(working.Required);
        Assert.True(working.PreferNotToAnswer);
        Assert.Equal(["yes", "no"], working.Options.Select(o => o.Value));
        Assert.Equal("Nej", working.Options[1].Label.Texts["sv"]);

        var age = form.Question("age")!;
        Assert.Equal((QuestionType.Number, true, 16, 99), (age.Type, age.Required, age.Min, age.Max));
        Assert.Equal("answers.working == 'no'", age.ShowIf);

        var start = form.Question("startDate")!;
        Assert.Equal((QuestionType.Date, false, new DateOnly(2020, 1, 1), true), (start.Type, start.Required, start.NotBefore, start.NotAfterToday));
        Assert.Equal("Datum", start.Help!.Texts["sv"]);

        Assert.Equal((QuestionType.Choices, true), (form.Question("topics")!.Type, form.Question("topics")!.Required));
        var other = form.Question("other")!;
        Assert.Equal(QuestionType.Text, other.Type);
        Assert.Equal("'other' in answers.topics and not (answers.working == 'yes')", other.ShowIf);
        Assert.StartsWith("# yaml-language-server: $schema=../schema/form.schema.json\n", result.Yaml, StringComparison.Ordinal);
        Assert.Contains("\nform: intake\n", result.Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_PlainLabelsAndNoGroups_OnePageInTheDefaultLanguage()
    {
        var workbook = XlsFormWorkbook.Build(
            ("survey", [["type", "name", "label", "parameters"], ["text", "comment", "Anything else?", "rows=3"], ["acknowledge", "consent", "I agree"], ["range", "satisfaction", "How satisfied?", "start=1 end=5 step=1"]]),
            ("settings", [["form_title", "default_language"], ["Feedback", "en"]]));

        var result = XlsFormImport.Import(workbook, "feedback");

        Assert.Empty(result.Problems);
        var form = result.Form!;
        Assert.Equal(("feedback", "Feedback"), (form.Name, form.Title.Texts["en"]));
        var page = Assert.Single(form.Pages);
        Assert.Equal("Feedback", page.Title.Texts["en"]);
        Assert.Equal([QuestionType.Text, QuestionType.Confirm, QuestionType.Scale], page.Questions.Select(q => q.Type));
        Assert.Equal(3, page.Questions[0].Lines);
    }

    public static TheoryData<string> RefusalCases => [.. Refusals.Keys];

    /// <summary>Each refusal: the survey rows after the header (and choices, when the case needs its own), and the exact problem.</summary>
    private static readonly Dictionary<string, (string[][] Survey, string[][]? Choices, string Expected)> Refusals = new()
    {
        ["calculate"] = ([["calculate", "total", "", "", "", "", ""]], null,
            "survey, row 2, column A 'type': the question type 'calculate' is not supported (fix: Askel forms do not calculate values; remove the row and work out the value in the workflow or the report)"),
        ["repeat"] = ([["begin_repeat", "kids", "Kids", "Lapset"], ["text", "kid", "Name", "Nimi"], ["end_repeat"]], null,
            "survey, row 2, column A 'type': repeats are not supported (fix: ask a fixed set of questions (e.g. about the first three children) in a group instead)"),
        ["geopoint"] = ([["geopoint", "place", "Where?", "Missä?"]], null,
            "survey, row 2, column A 'type': the question type 'geopoint' is not supported (fix: Askel does not ask for locations; remove the row or ask for a place name with text)"),
        ["note"] = ([["note", "intro", "Welcome", "Tervetuloa"]], null,
            "survey, row 2, column A 'type': the question type 'note' is not supported (fix: Askel forms have no notes between questions; put the text in the group's hint (the page's help) or a question's hint)"),
        ["metadata"] = ([["start", "start"]], null,
            "survey, row 2, column A 'type': 'start' (form metadata) is not supported (fix: delete the row: Askel records when and by whom a form was answered itself)"),
        ["relevant syntax"] = ([["integer", "age", "Age", "Ikä"], ["text", "why", "Why?", "Miksi?", "count-selected(${age}) > 1"]], null,
            "survey, row 3, column E 'relevant': the condition 'count-selected(${age}) > 1' cannot be translated: 'count-selected' is not supported (fix: use only ${q} = 'x', ${q} != 'x', selected(${q}, 'x'), ${q} > 3 (=, !=, <, <=, >, >= with a number), and, or, not(…) and brackets; or write Askel's condition in an askel_show_if column)"),
        ["relevant reads a later question"] = ([["text", "why", "Why?", "Miksi?", "${age} > 3"], ["integer", "age", "Age", "Ikä"]], null,
            "survey, row 2, column E 'relevant': the condition reads 'age', which is not a question above this row (fix: name a question asked before this one (a condition cannot look ahead))"),
        ["relevant compares a multiple select"] = ([["select_multiple yn", "which", "Which?", "Mitkä?"], ["text", "why", "Why?", "Miksi?", "${which} = 'yes'"]], YesNoChoices,
            "survey, row 3, column E 'relevant': 'which' takes several options, so it cannot be compared with 'yes' (fix: write selected(${which}, 'yes'))"),
        ["selected option missing"] = ([["select_one yn", "ok", "OK?", "OK?"], ["text", "why", "Why?", "Miksi?", "selected(${ok}, 'maybe')"]], YesNoChoices,
            "survey, row 3, column E 'relevant': 'ok' has no option 'maybe' (fix: use one of: yes, no)"),
        ["missing label language"] = ([["text", "why", "Why?", ""]], null,
            "survey, row 2, column D 'label::Finnish (fi)': the question's label has no Finnish (fi) text, though the form's labels are in Finnish (fix: write the text in this cell)"),
        ["duplicate name"] = ([["text", "why", "Why?", "Miksi?"], ["integer", "why", "How many?", "Montako?"]], null,
            "survey, row 3, column B 'name': the name 'why' is already used in row 2 (fix: give each question its own name)"),
        ["invalid name"] = ([["text", "why_not", "Why?", "Miksi?"]], null,
            "survey, row 2, column B 'name': 'why_not' is not a valid question name for Askel (fix: start with a lowercase letter and use only letters and digits, e.g. whyNot (rename it in relevant expressions too))"),
        ["list without choices"] = ([["select_one colours", "colour", "Colour?", "Väri?"]], YesNoChoices,
            "survey, row 2, column A 'type': the list 'colours' has no choices (fix: add rows with list_name 'colours' to the choices sheet, or correct the list's name)"),
        ["list with one choice"] = ([["select_one one", "only", "Only?", "Vain?"]], [ChoicesHeader, ["one", "yes", "Yes", "Kyllä"]],
            "survey, row 2, column A 'type': the list 'one' has only one option besides 'declined' (fix: add at least two choices with list_name 'one')"),
        ["invalid choice name"] = ([["select_one yn", "ok", "OK?", "OK?"]], [ChoicesHeader, ["yn", "Yes_Sir", "Yes", "Kyllä"], ["yn", "no", "No", "Ei"]],
            "choices, row 2, column B 'name': 'Yes_Sir' is not a valid option name for Askel (fix: use lowercase letters, digits and '-', e.g. yes-sir (change it in relevant expressions too))"),
        ["choice_filter"] = ([["select_one yn", "ok", "OK?", "OK?", "", "", "", "${x} = 1"]], YesNoChoices,
            "survey, row 2, column H 'choice_filter': the column 'choice_filter' is not supported (fix: cascading selects (choice_filter) are not supported; give the question only the options that apply, or split it into questions with showIf)"),
        ["required expression"] = ([["integer", "age", "Age", "Ikä"], ["text", "why", "Why?", "Miksi?", "", "${age} > 3"]], null,
            "survey, row 3, column F 'required': '${age} > 3' is not yes or no (fix: write yes or leave it empty; a question with a relevant condition is required only when it is shown)"),
        ["constraint"] = ([["integer", "age", "Age", "Ikä", "", "", ". mod 2 = 0"]], null,
            "survey, row 2, column G 'constraint': the constraint '. mod 2 = 0' cannot be translated for an integer question (fix: write only . >= 0 and . <= 120 (whole numbers; on a year also . <= format-date(today(), '%Y')), joined with 'and')"),
        ["nested group"] = ([["begin_group", "one", "One", "Yksi"], ["begin_group", "two", "Two", "Kaksi"], ["text", "why", "Why?", "Miksi?"], ["end_group"], ["end_group"]], null,
            "survey, row 3, column A 'type': a group inside the group of row 2 (fix: Askel's pages do not nest: end the first group (end_group) before this one begins)"),
        ["question outside groups"] = ([["begin_group", "one", "One", "Yksi"], ["text", "why", "Why?", "Miksi?"], ["end_group"], ["text", "more", "More?", "Lisää?"]], null,
            "survey, row 5, column A 'type': the question is outside every group (fix: the form has groups, which are Askel's pages: move the row into a group (between begin_group and end_group))"),
        ["empty group"] = ([["begin_group", "one", "One", "Yksi"], ["end_group"], ["begin_group", "two", "Two", "Kaksi"], ["text", "why", "Why?", "Miksi?"], ["end_group"]], null,
            "survey, row 2, column A 'type': the group has no questions (fix: add questions between begin_group and end_group, or delete both rows)"),
    };

    [Theory]
    [MemberData(nameof(RefusalCases))]
    public void Import_UnsupportedFeature_IsRefusedAtItsCell(string name)
    {
        var (survey, choices, expected) = Refusals[name];
        var header = name == "choice_filter" ? [.. SurveyHeader, "choice_filter"] : SurveyHeader;
        var sheets = new List<(string, string[][])> { ("survey", [header, .. survey]), ("settings", Settings) };
        if (choices is not null)
        {
            sheets.Add(("choices", choices));
        }

        var result = XlsFormImport.Import(XlsFormWorkbook.Build([.. sheets]), "test");

        Assert.Null(result.Yaml);
        Assert.Equal(expected, Assert.Single(result.Problems).ToString());
    }

    [Fact]
    public void Import_HostileCells_AreRefusedAtTheirCell_NeverThrown()
    {
        var deep = string.Concat(Enumerable.Repeat("not(", 70)) + "${age} > 1" + new string(')', 70);
        var longChain = string.Concat(Enumerable.Repeat("${age} > 1 and ", 200)) + "${age} > 2";
        var workbook = XlsFormWorkbook.Build(
            ("survey", [SurveyHeader, ["integer", "age", "Age", "Ikä"], ["text", "deep", "Why?", "Miksi?", deep], ["text", "long", "Why?", "Miksi?", longChain]]),
            ("settings", Settings));

        var problems = XlsFormImport.Import(workbook, "test").Problems.Select(p => p.ToString()).ToArray();

        Assert.Equal(2, problems.Length);
        Assert.StartsWith("survey, row 3, column E 'relevant': the condition 'not(not(", problems[0], StringComparison.Ordinal);
        Assert.Contains("cannot be translated: brackets are nested more than 64 deep (fix:", problems[0], StringComparison.Ordinal);
        Assert.Contains($"cannot be translated: the condition is {longChain.Length} characters long; at most 2000 are allowed (fix:", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Import_AParameterGivenTwice_IsRead_AndIdsYamlWouldReadAsOtherThanText_StayText()
    {
        var workbook = XlsFormWorkbook.Build(
            ("survey", [["type", "name", "label", "parameters"], ["range", "yes", "How satisfied?", "start=1 start=1 end=5"], ["text", "null", "Anything else?"]]),
            ("settings", [["form_id", "form_title", "default_language"], ["test", "Test", "English (en)"]]));

        var result = XlsFormImport.Import(workbook, "test");

        Assert.Empty(result.Problems);
        Assert.Contains("- id: \"yes\"", result.Yaml, StringComparison.Ordinal);
        Assert.Equal(["yes", "null"], Load(result.Yaml!, "workflows/forms/test.yaml", ["en"]).Questions.Select(q => q.Id));
    }

    [Fact]
    public void Import_ASheetWrongInEveryRow_ListsTheFirst200Problems_AndHowManyMore()
    {
        string[][] rows = [SurveyHeader, .. Enumerable.Range(0, 300).Select(i => new[] { "calculate", $"c{i}" })];

        var problems = XlsFormImport.Import(XlsFormWorkbook.Build(("survey", rows), ("settings", Settings)), "test").Problems;

        Assert.Equal(XlsFormImport.MaxProblems + 1, problems.Count);
        Assert.Equal("workbook: 100 more problems are not listed (fix: mend these first, then import again)", problems[^1].ToString());
    }

    [Fact]
    public void Import_SeveralProblems_AreAllReportedInSheetAndRowOrder()
    {
        var workbook = XlsFormWorkbook.Build(
            ("survey", [["type", "name", "label::English (en)", "label::Klingon (tlh)"], ["calculate", "x"], ["note", "y", "Hi"], ["text", "Bad", "Why?"]]),
            ("choices", [["list_name", "name", "label::English (en)", "media::image"], ["yn", "yes", "Yes", "yes.png"]]),
            ("settings", [["form_id", "form_title", "instance_name"], ["Bad Name", "Test", "x"]]));

        var problems = XlsFormImport.Import(workbook, "test").Problems.Select(p => p.ToString()).ToArray();

        Assert.Equal(
            [
                "survey, row 1, column D 'label::Klingon (tlh)': 'Klingon (tlh)' is not one of Askel's languages (fix: write one of: Finnish (fi), Swedish (sv), English (en), Ukrainian (uk), Russian (ru), Arabic (ar), Somali (so), Persian (fa))",
                "survey, row 2, column A 'type': the question type 'calculate' is not supported (fix: Askel forms do not calculate values; remove the row and work out the value in the workflow or the report)",
                "survey, row 3, column A 'type': the question type 'note' is not supported (fix: Askel forms have no notes between questions; put the text in the group's hint (the page's help) or a question's hint)",
                "survey, row 4, column B 'name': 'Bad' is not a valid question name for Askel (fix: start with a lowercase letter and use only letters and digits, e.g. bad (rename it in relevant expressions too))",
                "choices, row 2, column D 'media::image': the column 'media::image' is not supported (fix: Askel forms show no media; describe it in the label or hint)",
                "settings, row 2, column A 'form_id': 'Bad Name' is not a valid form name (fix: use lowercase letters, digits and '-', e.g. bad-name)",
                "settings, row 2, column C 'instance_name': the column 'instance_name' is not supported (fix: delete the column or clear its cells (Askel reads: form_id, form_title, version, default_language, style, askel_title, askel_intro, askel_thanks))",
            ],
            problems);
    }

    [Fact]
    public void Import_NotAWorkbook_IsRefusedWithoutAnException()
    {
        var result = XlsFormImport.Import("type,name,label\ntext,q,Q\n"u8.ToArray(), "test");

        Assert.Equal("workbook: the file is not an Excel workbook (.xlsx) that can be read (fix: open it in a spreadsheet program and save it as an Excel workbook (.xlsx); an old .xls, a .csv or an .ods file cannot be read)", Assert.Single(result.Problems).ToString());
    }

    [Fact]
    public void Import_AZipThatIsNotAWorkbook_IsRefusedWithoutAnException()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("readme.txt").Open());
            writer.Write("not a workbook");
        }

        var result = XlsFormImport.Import(stream.ToArray(), "test");

        Assert.StartsWith("workbook: the file is not an Excel workbook (.xlsx) that can be read", Assert.Single(result.Problems).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Import_HugeFile_IsRefusedBeforeReading()
    {
        var result = XlsFormImport.Import(new byte[6 * 1024 * 1024], "test");

        Assert.Equal("workbook: the file is too large (6144 KiB; at most 5120 KiB is read) (fix: a form needs far less: remove images, other sheets and unused rows)", Assert.Single(result.Problems).ToString());
    }

    [Fact]
    public void Import_TooManyRows_IsRefused()
    {
        var rows = Enumerable.Range(0, 5001).Select(i => new[] { "text", $"q{i}", "Q" }).Prepend(["type", "name", "label::English (en)"]).ToArray();

        var result = XlsFormImport.Import(XlsFormWorkbook.Build(("survey", rows), ("settings", Settings)), "test");

        Assert.Equal("survey, row 5002: the sheet has more than 5000 rows (fix: remove the rows below the form (a form has at most a few hundred))", Assert.Single(result.Problems).ToString());
    }

    [Fact]
    public void Import_NoSurveySheet_IsRefused()
    {
        var result = XlsFormImport.Import(XlsFormWorkbook.Build(("questions", [["type"]])), "test");

        Assert.Equal("workbook: the workbook has no 'survey' sheet (its sheets: questions) (fix: the questions go in a sheet named survey, the options in choices, the form's name and title in settings (see xlsform.org))", Assert.Single(result.Problems).ToString());
    }

    public static TheoryData<string> ShippedForms => [.. Directory.GetFiles(Repository.Path("workflows", "forms"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(ShippedForms))]
    public void ExportThenImport_ShippedForm_LoadsToTheSameDefinition(string file)
    {
        var original = Load(File.ReadAllText(Repository.Path("workflows", "forms", file)), file);

        var imported = RoundTrip(original);

        Assert.Equal(Comparable(original), Comparable(imported.Form!));
        // The text is Askel's own style, not the file's (comments and folded lines are not in a workbook), but it is stable.
        Assert.Equal(imported.Yaml, RoundTrip(Load(imported.Yaml!, file)).Yaml);
    }

    [Fact]
    public void ExportThenImport_EveryQuestionTypeAndAConditionXlsFormCannotSay_LoadsToTheSameDefinition()
    {
        const string L = "{ fi: Teksti, en: Text }";
        var source = $"""
            form: every-type
            title: {L}
            intro: {L}
            thanks: {L}
            pages:
              - id: one
                title: {L}
                help: {L}
                questions:
                  - {"{"} id: working, type: choice, required: true, preferNotToAnswer: true, report: labourStatus, label: {L}, options: [{"{"} value: employed, label: {L}, report: employed {"}"}, {"{"} value: "no", label: {L} {"}"}] {"}"}
                  - {"{"} id: topics, type: choices, label: {L}, options: [{"{"} value: a, label: {L} {"}"}, {"{"} value: b, label: {L} {"}"}] {"}"}
                  - {"{"} id: born, type: year, min: 1900, max: current, label: {L}, showIf: "answers.working in ['employed', 'no']" {"}"}
                  - {"{"} id: kids, type: number, min: 0, max: 20, label: {L}, showIf: "'a' in answers.topics or answers.working == 'no'" {"}"}
                  - {"{"} id: since, type: date, notBefore: 2000-01-01, notAfter: 2030-12-31, label: {L} {"}"}
              - id: two
                title: {L}
                showIf: "not (answers.kids >= 2)"
                questions:
                  - {"{"} id: happy, type: scale, label: {L}, low: {L}, high: {L} {"}"}
                  - {"{"} id: homeless, type: yesno, preferNotToAnswer: true, report: homeless, label: {L} {"}"}
                  - {"{"} id: comment, type: text, maxLength: 500, lines: 3, label: {L} {"}"}
                  - {"{"} id: ok, type: confirm, required: true, label: {L} {"}"}
            """;
        var original = Load(source, "every-type.yaml", ["fi", "en"]);

        var imported = RoundTrip(original);

        Assert.Empty(imported.Problems);
        Assert.Equal(Comparable(original), Comparable(imported.Form!));
    }

    [Fact]
    public void Export_ConditionsXlsFormCanSay_AreWrittenAsRelevant()
    {
        var form = Load(File.ReadAllText(Repository.Path("workflows", "forms", "esf-six-month.yaml")), "esf-six-month.yaml");

        var sheets = XlsWorkbook.Read(XlsFormExport.Export(form, ChoiceTexts), [])!;

        var survey = sheets["survey"];
        var relevant = survey.Columns.Single(c => c.Header == "relevant");
        var name = survey.Columns.Single(c => c.Header == "name");
        Assert.Equal("${working} != 'no'", survey.Rows.Single(r => r.Cell(name) == "improved").Cell(relevant));
        Assert.DoesNotContain(survey.Columns, c => c.Header == "askel_show_if");
        var choices = sheets["choices"];
        var declined = choices.Rows.Single(r => r.Cell(choices.Columns[0]) == "improved" && r.Cell(choices.Columns[1]) == "declined");
        Assert.Equal("I prefer not to answer (fi)", declined.Cell(choices.Columns.Single(c => c.Header == "label::Finnish (fi)")));
        Assert.Equal("esf-six-month", sheets["settings"].Rows[0].Cell(sheets["settings"].Columns.Single(c => c.Header == "form_id")));
    }

    private static readonly XlsFormChoiceTexts ChoiceTexts = new(
        new(AllLanguages.ToDictionary(l => l, l => $"yes ({l})")),
        new(AllLanguages.ToDictionary(l => l, l => $"no ({l})")),
        new(AllLanguages.ToDictionary(l => l, l => $"I prefer not to answer ({l})")));

    private static FormDefinition Load(string source, string file, string[]? languages = null)
    {
        var result = FormLoader.Load(source, file, languages ?? AllLanguages);
        Assert.Empty(result.Errors);
        return result.Form!;
    }

    private static XlsFormImportResult RoundTrip(FormDefinition form)
    {
        var result = XlsFormImport.Import(XlsFormExport.Export(form, ChoiceTexts), "unused");
        Assert.Empty(result.Problems);
        return result;
    }

    // Everything but the version, which is the hash of the file's text.
    private static string Comparable(FormDefinition form) => JsonSerializer.Serialize(form with { Version = "" });
}
