using System.Text.Json;
using Askel.Runtime.Definitions;
using Askel.Runtime.Forms;
using Askel.Testing;
using NJsonSchema;

namespace Askel.Runtime.Tests.Forms;

/// <summary>The JSON Schema editors use for forms (workflows/schema/form.schema.json) agrees with <see cref="FormLoader"/>.</summary>
public sealed class FormSchemaTests
{
    private static readonly string SchemaPath = Repository.Path("workflows", "schema", "form.schema.json");

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromJsonAsync(File.ReadAllText(SchemaPath)).GetAwaiter().GetResult());

    private const string Texts = "{ fi: Teksti, sv: Text, en: Text, uk: Текст, ru: Текст, ar: نص, so: Qoraal, fa: متن }";

    /// <summary>A small valid form in all eight languages; <paramref name="questions"/> come after a yesno question 'first' (6-space indent).</summary>
    private static string Form(string questions = "", string extra = "") =>
        $"""
        form: test
        title: {Texts}
        {extra}pages:
          - id: one
            title: {Texts}
            questions:
              - id: first
                type: yesno
                label: {Texts}

        """ + questions;

    private static ICollection<NJsonSchema.Validation.ValidationError> Check(string yaml) => Schema.Value.Validate(YamlAsJson.Convert(yaml));

    private static FormLoadResult Load(string yaml, string file = "workflows/forms/test.yaml") =>
        FormLoader.Load(yaml, file, WorkflowLoader.AllowedLanguages);

    public static TheoryData<string> RepositoryForms()
    {
        var forms = Directory.GetFiles(Repository.Path("workflows", "forms"), "*.yaml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(forms);
        return [.. forms];
    }

    [Theory]
    [MemberData(nameof(RepositoryForms))]
    public void Schema_RepositoryForm_Accepted(string file)
    {
        var errors = Check(File.ReadAllText(Repository.Path("workflows", "forms", file)));

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(RepositoryForms))]
    public void Loader_RepositoryForm_LoadsWithoutErrors(string file)
    {
        var result = Load(File.ReadAllText(Repository.Path("workflows", "forms", file)), "workflows/forms/" + file);

        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        Assert.Equal(Path.GetFileNameWithoutExtension(file), result.Form!.Name);
    }

    [Fact]
    public void BothAccept_TheSmallForm()
    {
        Assert.Empty(Check(Form()));
        Assert.Empty(Load(Form()).Errors);
    }

    /// <summary>Forms both the schema and the loader accept: the edges of each rule.</summary>
    public static TheoryData<string, string> AcceptedForms() => new()
    {
        { "every type with its keys", Form($"""
              - id: pick
                type: choice
                label: {Texts}
                required: true
                preferNotToAnswer: true
                report: labourStatus
                help: {Texts}
                options:
                  - {"{"} value: self-employed, report: employed, label: {Texts} {"}"}
                  - {"{"} value: 2, label: {Texts} {"}"}
              - id: picks
                type: choices
                label: {Texts}
                showIf: "answers.pick == 'self-employed'"
                options:
                  - {"{"} value: a, label: {Texts} {"}"}
                  - {"{"} value: b, label: {Texts} {"}"}
              - id: when
                type: date
                label: {Texts}
                report: birthDate
                notBefore: 1900-01-01
                notAfter: today
              - id: until
                type: date
                label: {Texts}
                notAfter: 2030-12-31
              - id: born
                type: year
                label: {Texts}
                min: 1900
                max: current
              - id: count
                type: number
                label: {Texts}
                min: -5
                max: 10
              - id: happy
                type: scale
                label: {Texts}
                low: {Texts}
                high: {Texts}
              - id: words
                type: text
                label: {Texts}
                maxLength: 10000
                lines: 20
                preferNotToAnswer: false
              - id: agree
                type: confirm
                label: {Texts}
                required: false

        """, $"intro: {Texts}\nthanks: {Texts}\n") },
        { "numbers as texts and page id", Form().Replace("id: one", "id: 1", StringComparison.Ordinal).Replace("en: Text, uk", "en: 42, uk", StringComparison.Ordinal) },
        { "page help and showIf", Form().Replace("    title:", "    help: " + Texts + "\n    showIf: \"1 == 1\"\n    title:", StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(AcceptedForms))]
    public void BothAccept(string why, string yaml)
    {
        var schemaErrors = Check(yaml);
        var loaderErrors = Load(yaml).Errors;

        Assert.True(schemaErrors.Count == 0, why + ":\n" + string.Join("\n", schemaErrors));
        Assert.True(loaderErrors.Count == 0, why + ":\n" + string.Join("\n", loaderErrors));
    }

    /// <summary>Broken forms: each is rejected by the schema (in the editor) and by the loader (./askel validate).</summary>
    public static TheoryData<string, string> RejectedForms() => new()
    {
        { "unknown top-level key", Form(extra: "titel: x\n") },
        { "unknown question key", Form("      - id: second\n        type: yesno\n        lable: x\n        label: " + Texts + "\n") },
        { "unknown option key", Form("      - id: pick\n        type: choice\n        label: " + Texts + "\n        options:\n          - { value: a, label: " + Texts + ", text: x }\n          - { value: b, label: " + Texts + " }\n") },
        { "unknown type", Form("      - id: second\n        type: chioce\n        label: " + Texts + "\n") },
        { "missing type", Form("      - id: second\n        label: " + Texts + "\n") },
        { "missing label", Form("      - id: second\n        type: yesno\n") },
        { "'required' is quoted text", Form("      - id: second\n        type: yesno\n        required: \"true\"\n        label: " + Texts + "\n") },
        { "options on a yesno question", Form("      - id: second\n        type: yesno\n        label: " + Texts + "\n        options:\n          - { value: a, label: " + Texts + " }\n          - { value: b, label: " + Texts + " }\n") },
        { "choice with one option", Form("      - id: pick\n        type: choice\n        label: " + Texts + "\n        options:\n          - { value: a, label: " + Texts + " }\n") },
        { "choice without options", Form("      - id: pick\n        type: choices\n        label: " + Texts + "\n") },
        { "'declined' as an option value", Form("      - id: pick\n        type: choice\n        label: " + Texts + "\n        options:\n          - { value: declined, label: " + Texts + " }\n          - { value: b, label: " + Texts + " }\n") },
        { "option value with capitals", Form("      - id: pick\n        type: choice\n        label: " + Texts + "\n        options:\n          - { value: Yes, label: " + Texts + " }\n          - { value: b, label: " + Texts + " }\n") },
        { "missing language in a label", Form("      - id: second\n        type: yesno\n        label: { fi: Vain suomeksi, sv: x, en: x, uk: x, ru: x, ar: x, so: x }\n") },
        { "unknown language code", Form("      - id: second\n        type: yesno\n        label: { fi: x, sv: x, en: x, uk: x, ru: x, ar: x, so: x, fa: x, de: x }\n") },
        { "empty text", Form("      - id: second\n        type: yesno\n        label: { fi: \" \", sv: x, en: x, uk: x, ru: x, ar: x, so: x, fa: x }\n") },
        { "label is not a map", Form("      - id: second\n        type: yesno\n        label: Hello\n") },
        { "invalid question id", Form("      - id: Second_1\n        type: yesno\n        label: " + Texts + "\n") },
        { "invalid page id", Form().Replace("id: one", "id: Page_One", StringComparison.Ordinal) },
        { "invalid form name", Form().Replace("form: test", "form: Test_Form", StringComparison.Ordinal) },
        { "no pages", $"form: test\ntitle: {Texts}\npages: []\n" },
        { "page without questions", $"form: test\ntitle: {Texts}\npages:\n  - id: one\n    title: {Texts}\n    questions: []\n" },
        { "preferNotToAnswer on a text question", Form("      - id: second\n        type: text\n        preferNotToAnswer: true\n        label: " + Texts + "\n") },
        { "min on a text question", Form("      - id: second\n        type: text\n        min: 1\n        label: " + Texts + "\n") },
        { "maxLength on a year question", Form("      - id: second\n        type: year\n        maxLength: 4\n        label: " + Texts + "\n") },
        { "notBefore on a number question", Form("      - id: second\n        type: number\n        notBefore: 1900-01-01\n        label: " + Texts + "\n") },
        { "low on a text question", Form("      - id: second\n        type: text\n        low: " + Texts + "\n        label: " + Texts + "\n") },
        { "bad date in notBefore", Form("      - id: second\n        type: date\n        notBefore: 1900-13-01\n        label: " + Texts + "\n") },
        { "notAfter: tomorrow", Form("      - id: second\n        type: date\n        notAfter: tomorrow\n        label: " + Texts + "\n") },
        { "max: current on a number", Form("      - id: second\n        type: number\n        max: current\n        label: " + Texts + "\n") },
        { "min not a whole number", Form("      - id: second\n        type: year\n        min: 19.5\n        label: " + Texts + "\n") },
        { "lines out of range", Form("      - id: second\n        type: text\n        lines: 21\n        label: " + Texts + "\n") },
        { "maxLength zero", Form("      - id: second\n        type: text\n        maxLength: 0\n        label: " + Texts + "\n") },
        { "unknown report key", Form("      - id: second\n        type: yesno\n        report: gendr\n        label: " + Texts + "\n") },
    };

    [Theory]
    [MemberData(nameof(RejectedForms))]
    public void BothReject(string why, string yaml)
    {
        var loaded = Load(yaml);

        Assert.True(Check(yaml).Count > 0, why + ": the schema accepts it");
        Assert.True(loaded.Errors.Any(e => e.IsError), why + ": the loader accepts it");
        Assert.Null(loaded.Form);
    }

    [Fact]
    public void Schema_ReportKeys_AreTheLoaders()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SchemaPath));

        var keys = document.RootElement.GetProperty("definitions").GetProperty("reportKey").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToList();

        Assert.Equal(FormLoader.ReportKeys, keys);
    }

    [Fact]
    public void Schema_QuestionTypes_AreTheLoaders()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SchemaPath));

        var types = document.RootElement.GetProperty("definitions").GetProperty("question").GetProperty("oneOf").EnumerateArray()
            .Select(branch => branch.GetProperty("properties").GetProperty("type").GetProperty("enum")[0].GetString())
            .ToList();

        Assert.Equal(Enum.GetNames<QuestionType>().Select(n => n.ToLowerInvariant()), types);
    }

    [Fact]
    public void Schema_Languages_AreTheWorkflowLanguages()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        var localized = document.RootElement.GetProperty("definitions").GetProperty("localized");

        Assert.Equal(WorkflowLoader.AllowedLanguages, localized.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(WorkflowLoader.AllowedLanguages, localized.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Schema_EveryProperty_HasADescription() =>
        Assert.Empty(SchemaDescriptions.Missing(SchemaPath));
}
