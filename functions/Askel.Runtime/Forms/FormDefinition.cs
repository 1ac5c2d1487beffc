using Askel.Runtime.Definitions;

namespace Askel.Runtime.Forms;

/// <summary>
/// A form as loaded from <c>workflows/forms/&lt;name&gt;.yaml</c> (format: docs/FORMS.md). Immutable; a
/// response records the <see cref="Version"/> it was answered in.
/// </summary>
/// <param name="Name">The form's name, also its file name.</param>
/// <param name="Version">The content hash of the source text.</param>
/// <param name="Title">The form's title per language.</param>
/// <param name="Intro">Shown above the first page's questions: why the form matters.</param>
/// <param name="Thanks">The thank-you page: what happens next.</param>
/// <param name="Pages">The pages, in order.</param>
public sealed record FormDefinition(string Name, string Version, LocalizedText Title, LocalizedText? Intro, LocalizedText? Thanks, IReadOnlyList<FormPage> Pages)
{
    /// <summary>Every question of every page, in order.</summary>
    public IEnumerable<Question> Questions => Pages.SelectMany(p => p.Questions);

    /// <summary>The question with this id, or null.</summary>
    public Question? Question(string id) => Questions.FirstOrDefault(q => q.Id == id);

    /// <summary>The question that feeds the reporting field <paramref name="report"/>, or null.</summary>
    public Question? ByReport(string report) => Questions.FirstOrDefault(q => q.Report == report);
}

/// <summary>One page of a form.</summary>
/// <param name="Id">The page's id (used in the page address).</param>
/// <param name="Title">The page's heading.</param>
/// <param name="Help">Optional text under the heading.</param>
/// <param name="ShowIf">Optional condition over earlier answers; a hidden page is skipped.</param>
/// <param name="Questions">The questions, in order.</param>
public sealed record FormPage(string Id, LocalizedText Title, LocalizedText? Help, string? ShowIf, IReadOnlyList<Question> Questions);

/// <summary>What kind of answer a question takes.</summary>
public enum QuestionType
{
    /// <summary>One option (radio buttons).</summary>
    Choice,

    /// <summary>Any number of options (checkboxes).</summary>
    Choices,

    /// <summary>Yes or no.</summary>
    YesNo,

    /// <summary>A calendar date.</summary>
    Date,

    /// <summary>A year.</summary>
    Year,

    /// <summary>A whole number.</summary>
    Number,

    /// <summary>1 to 5.</summary>
    Scale,

    /// <summary>Free text.</summary>
    Text,

    /// <summary>A single box that is ticked.</summary>
    Confirm,
}

/// <summary>A question. Only the keys its <see cref="Type"/> uses are set.</summary>
public sealed record Question(string Id, QuestionType Type, LocalizedText Label)
{
    /// <summary>Whether an answer is needed (when the question is shown).</summary>
    public bool Required { get; init; }

    /// <summary>A hint under the label.</summary>
    public LocalizedText? Help { get; init; }

    /// <summary>The options of a choice question (yes/no questions have <c>yes</c> and <c>no</c>).</summary>
    public IReadOnlyList<FormOption> Options { get; init; } = [];

    /// <summary>Whether "I prefer not to answer" (<c>declined</c>) is offered.</summary>
    public bool PreferNotToAnswer { get; init; }

    /// <summary>A condition over earlier answers; a hidden question is neither asked nor required.</summary>
    public string? ShowIf { get; init; }

    /// <summary>The reporting field this answer feeds (docs/FORMS.md).</summary>
    public string? Report { get; init; }

    /// <summary>The smallest number or year allowed.</summary>
    public int? Min { get; init; }

    /// <summary>The largest number or year allowed; for a year, null with <see cref="MaxIsCurrentYear"/> means this year.</summary>
    public int? Max { get; init; }

    /// <summary>A year question whose maximum is the current year.</summary>
    public bool MaxIsCurrentYear { get; init; }

    /// <summary>The earliest date allowed.</summary>
    public DateOnly? NotBefore { get; init; }

    /// <summary>The latest date allowed; null with <see cref="NotAfterToday"/> means today.</summary>
    public DateOnly? NotAfter { get; init; }

    /// <summary>A date question that cannot be in the future.</summary>
    public bool NotAfterToday { get; init; }

    /// <summary>The longest text accepted.</summary>
    public int MaxLength { get; init; } = 1000;

    /// <summary>The visible lines of a text field (1: a one-line field).</summary>
    public int Lines { get; init; } = 1;

    /// <summary>The words at the low end of a scale.</summary>
    public LocalizedText? Low { get; init; }

    /// <summary>The words at the high end of a scale.</summary>
    public LocalizedText? High { get; init; }

    /// <summary>The reported value of an answer value: the option's <c>report</c> mapping, else the value.</summary>
    public string ReportedValue(string value) =>
        Options.FirstOrDefault(o => o.Value == value)?.Report ?? value;
}

/// <summary>An option of a choice question.</summary>
/// <param name="Value">What is stored.</param>
/// <param name="Label">What the participant reads.</param>
/// <param name="Report">The reported value, when it differs from <paramref name="Value"/>.</param>
public sealed record FormOption(string Value, LocalizedText Label, string? Report);

/// <summary>The result of loading one form.</summary>
public sealed record FormLoadResult(FormDefinition? Form, IReadOnlyList<DefinitionError> Errors);
