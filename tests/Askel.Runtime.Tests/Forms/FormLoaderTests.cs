using Askel.Runtime.Definitions;
using Askel.Runtime.Forms;

namespace Askel.Runtime.Tests.Forms;

/// <summary>The form loader (docs/FORMS.md): every rule points at the file, line and column and says how to fix it.</summary>
public sealed class FormLoaderTests
{
    private const string File = "workflows/forms/test.yaml";
    private const string L = "{ fi: Teksti, en: Text }";
    private static readonly string[] Languages = ["fi", "en"];

    /// <summary>
    /// A form in fi and en whose first page starts with the yesno question 'first' (lines 7–9); the
    /// <paramref name="questions"/> follow from line 10, so a question written with <see cref="Q"/> has
    /// '- id:' on line 10 (its value at column 13), 'type:' on line 11 (value at column 15), 'label:' on line 12
    /// and its extra keys from line 13, at column 9.
    /// </summary>
    private static string Form(string questions = "") =>
        $"""
        form: test
        title: {L}
        pages:
          - id: one
            title: {L}
            questions:
              - id: first
                type: yesno
                label: {L}

        """ + questions;

    /// <summary>A question at the 6-space indent <see cref="Form"/> expects; each extra line is a key (or a deeper line) under it.</summary>
    private static string Q(string id, string type, params string[] extra) =>
        $"      - id: {id}\n        type: {type}\n        label: {L}\n" + string.Concat(extra.Select(line => "        " + line + "\n"));

    private static FormLoadResult Load(string source) => FormLoader.Load(source, File, Languages);

    private static DefinitionError SingleError(FormLoadResult result)
    {
        var errors = result.Errors.Where(e => e.IsError).ToList();
        Assert.True(errors.Count == 1, "expected one error, got:\n" + string.Join("\n", result.Errors));
        Assert.Null(result.Form);
        Assert.False(string.IsNullOrWhiteSpace(errors[0].Fix));
        return errors[0];
    }

    private static FormDefinition Valid(FormLoadResult result)
    {
        Assert.True(result.Errors.Count == 0, "expected no problems, got:\n" + string.Join("\n", result.Errors));
        return result.Form!;
    }

    private const string Option = "  - { value: a, label: " + L + " }";

    public static TheoryData<string, string, int, int, string, string> Rules() => new()
    {
        { "duplicate question id", Q("first", "yesno"), 10, 13, "there are two questions with the id 'first'", "give each question its own id" },
        { "invalid question id", Q("Working_1", "yesno"), 10, 13, "'Working_1' is not a valid question id", "start with a lowercase letter" },
        { "id starting with a digit", Q("1st", "yesno"), 10, 13, "'1st' is not a valid question id", "e.g. birthDate" },
        { "unknown type", Q("second", "chioce"), 11, 15, "'chioce' is not a question type — did you mean 'choice'?", "use one of: choice, choices, yesno, date, year, number, scale, text, confirm" },
        { "unknown question key", Q("second", "yesno", "lable: x"), 13, 9, "a question has no key 'lable' — did you mean 'label'?", "use only: id, type" },
        { "choice with one option", Q("pick", "choice", "options:", Option), 14, 11, "a choice question needs at least two options", "add 'options:'" },
        { "choice without options", Q("pick", "choices"), 10, 9, "a choice question needs at least two options", "add 'options:'" },
        { "options on a yesno question", Q("second", "yesno", "options:", Option, "  - { value: b, label: " + L + " }"), 14, 11, "'options' are only for choice and choices questions", "remove 'options'" },
        { "'declined' as a value", Q("pick", "choice", "options:", "  - { value: declined, label: " + L + " }", Option), 14, 22, "'declined' is kept for \"I prefer not to answer\"", "use 'preferNotToAnswer: true'" },
        { "invalid option value", Q("pick", "choice", "options:", "  - { value: Self_Employed, label: " + L + " }", Option), 14, 22, "'Self_Employed' is not a valid option value", "e.g. self-employed" },
        { "duplicate option values", Q("pick", "choice", "options:", Option, Option), 15, 22, "two options have the value 'a'", "give each option its own value" },
        { "unknown option key", Q("pick", "choice", "options:", "  - { value: b, label: " + L + ", lable: x }", Option), 14, 58, "an option has no key 'lable' — did you mean 'label'?", "use only: value, label, report" },
        { "showIf does not parse", Q("second", "yesno", "showIf: \"answers.first ==\""), 13, 17, "the condition does not parse", "answers.working == 'no'" },
        { "showIf names a later question", Q("second", "yesno", "showIf: \"answers.third == 'yes'\"") + Q("third", "yesno"), 13, 17, "reads answers.third, which is not a question asked before this point", "name a question from an earlier page" },
        { "showIf names an unknown question", Q("second", "yesno", "showIf: \"answers.nobody == 'yes'\""), 13, 17, "reads answers.nobody, which is not a question asked before this point", "higher on this page" },
        { "showIf names the question itself", Q("second", "yesno", "showIf: \"answers.second == 'yes'\""), 13, 17, "reads answers.second", "name a question from an earlier page" },
        { "preferNotToAnswer on a text question", Q("second", "text", "preferNotToAnswer: true"), 13, 28, "'preferNotToAnswer' is only for choice, choices and yesno questions, not text", "remove it" },
        { "preferNotToAnswer not a boolean", Q("second", "yesno", "preferNotToAnswer: \"true\""), 13, 28, "'preferNotToAnswer' must be true or false", "without quotes" },
        { "required not a boolean", Q("second", "yesno", "required: yes"), 13, 19, "'required' must be true or false", "required: true" },
        { "min on a text question", Q("second", "text", "min: 1"), 13, 14, "'min' is only for number and year questions", "remove 'min'" },
        { "max on a date question", Q("second", "date", "max: 3"), 13, 14, "'max' is only for number and year questions", "remove 'max'" },
        { "notBefore on a year question", Q("second", "year", "notBefore: 1900-01-01"), 13, 20, "'notBefore' is only for date questions", "remove 'notBefore'" },
        { "maxLength on a number question", Q("second", "number", "maxLength: 10"), 13, 20, "'maxLength' is only for text questions", "remove 'maxLength'" },
        { "low on a text question", Q("second", "text", "low: " + L), 13, 14, "'low' is only for scale questions", "remove 'low'" },
        { "high on a yesno question", Q("second", "yesno", "high: " + L), 13, 15, "'high' is only for scale questions", "remove 'high'" },
        { "bad date in notBefore", Q("second", "date", "notBefore: 1900-13-01"), 13, 20, "'notBefore' must be a date YYYY-MM-DD", "notBefore: 1920-01-01" },
        { "notAfter neither a date nor today", Q("second", "date", "notAfter: tomorrow"), 13, 19, "'notAfter' must be a date YYYY-MM-DD or 'today'", "notAfter: 1920-01-01" },
        { "max: current on a number", Q("second", "number", "max: current"), 13, 14, "'max' must be a whole number", "max: 1" },
        { "min not a whole number", Q("second", "year", "min: 1900.5"), 13, 14, "'min' must be a whole number", "min: 1" },
        { "lines out of range", Q("second", "text", "lines: 0"), 13, 16, "'lines' must be a whole number from 1 to 20", "lines: 1" },
        { "maxLength out of range", Q("second", "text", "maxLength: 10001"), 13, 20, "'maxLength' must be a whole number from 1 to 10000", "maxLength: 1" },
        { "unknown report key", Q("second", "yesno", "report: gendr"), 13, 17, "'gendr' is not a reporting field — did you mean 'gender'?", "use one of: gender, birthDate" },
        { "missing language in a label", "      - id: second\n        type: yesno\n        label: { fi: Vain suomeksi }\n", 12, 16, "the question's label has no 'en' text", "add 'en: …'" },
        { "missing language in an option label", Q("pick", "choice", "options:", "  - { value: b, label: { en: B } }", Option), 14, 32, "the option's label has no 'fi' text", "add 'fi: …'" },
        { "unknown language code", "      - id: second\n        type: yesno\n        label: { fi: x, en: x, se: x }\n", 12, 32, "'se' is not a language code — did you mean 'sv'?", "use one of: fi, sv, en" },
        { "label not a map", "      - id: second\n        type: yesno\n        label: Hello\n", 12, 16, "the question's label must be a map of language → text", "{ fi: …, en: … }" },
        { "label missing", "      - id: second\n        type: yesno\n", 10, 9, "the question's label is missing", "add 'label: { fi: …, en: … }'" },
        { "type missing", "      - id: second\n        label: " + L + "\n", 10, 9, "the question's type is missing", "add 'type: choice'" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Load_BrokenRule_OneErrorAtItsPlaceWithAFix(string why, string questions, int line, int column, string message, string fix)
    {
        var error = SingleError(Load(Form(questions)));

        Assert.True(error.Location == new SourceLocation(File, line, column), $"{why}: expected {File}:{line}:{column}, got {error}");
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(fix, error.Fix, StringComparison.Ordinal);
    }

    /// <summary>Rules on the form and its pages, on whole texts.</summary>
    public static TheoryData<string, string, int, int, string> FormRules() => new()
    {
        { "unknown top-level key", Form().Replace("pages:", "titel: x\npages:", StringComparison.Ordinal), 3, 1, "a form has no key 'titel' — did you mean 'title'?" },
        { "invalid form name", Form().Replace("form: test", "form: Test_Form", StringComparison.Ordinal), 1, 7, "'Test_Form' is not a valid form name" },
        { "missing title", Form().Replace($"title: {L}\npages", "pages", StringComparison.Ordinal), 1, 1, "the form's title is missing" },
        { "no pages", $"form: test\ntitle: {L}\npages: []\n", 3, 8, "the form has no pages" },
        { "invalid page id", Form().Replace("id: one", "id: Page_One", StringComparison.Ordinal), 4, 9, "'Page_One' is not a valid page id" },
        { "page without questions", $"form: test\ntitle: {L}\npages:\n  - id: one\n    title: {L}\n    questions: []\n", 6, 16, "page 'one' has no questions" },
        { "two pages with one id", Form() + $"  - id: one\n    title: {L}\n    questions:\n{Q("second", "yesno")}", 10, 5, "there are two pages with the id 'one'" },
        { "page showIf names a question on the page", Form().Replace("    title:", "    showIf: \"answers.first == 'yes'\"\n    title:", StringComparison.Ordinal), 5, 13, "reads answers.first, which is not a question asked before this point" },
        { "page help without a language", Form().Replace("    title:", "    help: { fi: Ohje }\n    title:", StringComparison.Ordinal), 5, 11, "the page's help has no 'en' text" },
        { "intro without a language", Form().Replace("pages:", "intro: { en: Why }\npages:", StringComparison.Ordinal), 3, 8, "the form's intro has no 'fi' text" },
    };

    [Theory]
    [MemberData(nameof(FormRules))]
    public void Load_BrokenForm_OneErrorAtItsPlace(string why, string source, int line, int column, string message)
    {
        var error = SingleError(Load(source));

        Assert.True(error.Location == new SourceLocation(File, line, column), $"{why}: expected {File}:{line}:{column}, got {error}");
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MaxCurrentOnAYear_AndNotAfterToday_Accepted()
    {
        var form = Valid(Load(Form(Q("born", "year", "min: 1900", "max: current") + Q("birthday", "date", "notAfter: today"))));

        var born = form.Question("born")!;
        Assert.True(born.MaxIsCurrentYear);
        Assert.Null(born.Max);
        Assert.Equal(1900, born.Min);
        var birthday = form.Question("birthday")!;
        Assert.True(birthday.NotAfterToday);
        Assert.Null(birthday.NotAfter);
    }

    [Fact]
    public void Load_ShowIfOnAnEarlierPage_Accepted()
    {
        var source = Form() + $"  - id: two\n    showIf: \"answers.first == 'yes'\"\n    title: {L}\n    questions:\n{Q("second", "yesno", "showIf: \"answers.first == 'no'\"")}";

        var form = Valid(Load(source));

        Assert.Equal("answers.first == 'yes'", form.Pages[1].ShowIf);
        Assert.Equal("answers.first == 'no'", form.Question("second")!.ShowIf);
    }

    [Fact]
    public void Load_LanguagesOfTheWorkflow_OnlyThoseAreNeeded()
    {
        var source = Form().Replace(L, "{ fi: Vain suomeksi }", StringComparison.Ordinal);

        Assert.Empty(FormLoader.Load(source, File, ["fi"]).Errors);
        Assert.Equal(3, FormLoader.Load(source, File, ["fi", "sv"]).Errors.Count(e => e.Message.Contains("no 'sv' text", StringComparison.Ordinal)));
    }

    [Fact]
    public void Load_ValidForm_EveryField()
    {
        const string source = """
            # yaml-language-server: $schema=../schema/form.schema.json
            form: full
            title: { fi: Lomake, en: Form }
            intro: { fi: Miksi, en: Why }
            thanks: { fi: Kiitos, en: Thanks }
            pages:
              - id: work
                title: { fi: Työ, en: Work }
                help: { fi: Ohje, en: Help }
                questions:
                  - id: working
                    type: choice
                    required: true
                    report: exitEmployment
                    preferNotToAnswer: true
                    label: { fi: "  Teetkö työtä?  ", en: Are you working? }
                    help: { fi: Vihje, en: Hint }
                    options:
                      - { value: employee, report: employed, label: { fi: Palkkatyössä, en: Employee } }
                      - { value: self-employed, report: employed, label: { fi: Yrittäjä, en: Self-employed } }
                      - { value: "no", report: not-employed, label: { fi: Ei, en: "No" } }
                      - { value: student, label: { fi: Opiskelija, en: Student } }
                  - id: searching
                    type: yesno
                    showIf: "answers.working == 'no'"
                    label: { fi: Etsitkö työtä?, en: Are you looking for work? }
                  - id: kinds
                    type: choices
                    label: { fi: Mitä?, en: What? }
                    options:
                      - { value: a, label: { fi: A, en: A } }
                      - { value: b, label: { fi: B, en: B } }
              - id: more
                showIf: "answers.working != 'no'"
                title: { fi: Lisää, en: More }
                questions:
                  - id: birthDate
                    type: date
                    report: birthDate
                    notBefore: 1900-01-01
                    notAfter: 2030-12-31
                    label: { fi: Syntymäaika, en: Date of birth }
                  - id: children
                    type: number
                    min: 0
                    max: 20
                    label: { fi: Lapset, en: Children }
                  - id: happy
                    type: scale
                    report: satisfaction
                    low: { fi: Huono, en: Bad }
                    high: { fi: Hyvä, en: Good }
                    label: { fi: Tyytyväisyys, en: Satisfaction }
                  - id: comment
                    type: text
                    label: { fi: Kommentti, en: Comment }
                  - id: story
                    type: text
                    lines: 6
                    maxLength: 4000
                    label: { fi: Tarina, en: Story }
                  - id: agree
                    type: confirm
                    required: false
                    label: { fi: Hyväksyn, en: I agree }
            """;

        var form = Valid(Load(source));

        Assert.Equal("full", form.Name);
        Assert.Equal(WorkflowLoader.VersionOf(source), form.Version);
        Assert.Equal("Form", form.Title.For("en"));
        Assert.Equal("Why", form.Intro!.For("en"));
        Assert.Equal("Kiitos", form.Thanks!.For("fi"));
        Assert.Equal(["work", "more"], form.Pages.Select(p => p.Id));
        Assert.Equal("Help", form.Pages[0].Help!.For("en"));
        Assert.Null(form.Pages[0].ShowIf);
        Assert.Equal("answers.working != 'no'", form.Pages[1].ShowIf);
        Assert.Equal(["working", "searching", "kinds", "birthDate", "children", "happy", "comment", "story", "agree"], form.Questions.Select(q => q.Id));

        var working = form.Question("working")!;
        Assert.Equal(QuestionType.Choice, working.Type);
        Assert.True(working.Required);
        Assert.True(working.PreferNotToAnswer);
        Assert.Equal("exitEmployment", working.Report);
        Assert.Same(working, form.ByReport("exitEmployment"));
        Assert.Equal("Teetkö työtä?", working.Label.For("fi"));
        Assert.Equal("Hint", working.Help!.For("en"));
        Assert.Null(working.ShowIf);
        Assert.Equal(["employee", "self-employed", "no", "student"], working.Options.Select(o => o.Value));
        Assert.Equal(["employed", "employed", "not-employed", null], working.Options.Select(o => o.Report));
        Assert.Equal("Self-employed", working.Options[1].Label.For("en"));
        Assert.Equal("employed", working.ReportedValue("self-employed"));
        Assert.Equal("not-employed", working.ReportedValue("no"));
        Assert.Equal("student", working.ReportedValue("student"));
        Assert.Equal(FormLoader.Declined, working.ReportedValue(FormLoader.Declined));

        var searching = form.Question("searching")!;
        Assert.Equal(QuestionType.YesNo, searching.Type);
        Assert.False(searching.Required);
        Assert.False(searching.PreferNotToAnswer);
        Assert.Equal("answers.working == 'no'", searching.ShowIf);
        Assert.Empty(searching.Options);
        Assert.Null(searching.Report);
        Assert.Equal("yes", searching.ReportedValue("yes"));

        var kinds = form.Question("kinds")!;
        Assert.Equal(QuestionType.Choices, kinds.Type);
        Assert.All(kinds.Options, o => Assert.Null(o.Report));

        var birthDate = form.ByReport("birthDate")!;
        Assert.Equal(QuestionType.Date, birthDate.Type);
        Assert.Equal(new DateOnly(1900, 1, 1), birthDate.NotBefore);
        Assert.Equal(new DateOnly(2030, 12, 31), birthDate.NotAfter);
        Assert.False(birthDate.NotAfterToday);

        var children = form.Question("children")!;
        Assert.Equal(QuestionType.Number, children.Type);
        Assert.Equal(0, children.Min);
        Assert.Equal(20, children.Max);
        Assert.False(children.MaxIsCurrentYear);

        var happy = form.Question("happy")!;
        Assert.Equal(QuestionType.Scale, happy.Type);
        Assert.Equal("Bad", happy.Low!.For("en"));
        Assert.Equal("Hyvä", happy.High!.For("fi"));

        var comment = form.Question("comment")!;
        Assert.Equal(QuestionType.Text, comment.Type);
        Assert.Equal(1000, comment.MaxLength);
        Assert.Equal(1, comment.Lines);
        Assert.Null(comment.Min);
        Assert.Null(comment.Max);

        var story = form.Question("story")!;
        Assert.Equal(4000, story.MaxLength);
        Assert.Equal(6, story.Lines);

        var agree = form.Question("agree")!;
        Assert.Equal(QuestionType.Confirm, agree.Type);
        Assert.False(agree.Required);
    }

    [Fact]
    public void LoadFile_NameDiffersFromFile_PointsAtTheFix()
    {
        var folder = Directory.CreateTempSubdirectory("askel-forms-");
        try
        {
            var path = Path.Combine(folder.FullName, "other.yaml");
            System.IO.File.WriteAllText(path, Form());

            var result = FormLoader.LoadFile(path, Languages, "workflows/forms/other.yaml");

            Assert.Null(result.Form);
            var error = Assert.Single(result.Errors);
            Assert.Contains("named 'test' but its file is 'other.yaml'", error.Message, StringComparison.Ordinal);
            Assert.Equal("write 'form: other'", error.Fix);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
