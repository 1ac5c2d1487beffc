using System.Globalization;
using System.Text.Json;
using Askel.App.Coordinator;
using Askel.App.Forms;
using Askel.Runtime.Calendar;
using Askel.Runtime.Definitions;
using Askel.Runtime.Expressions;
using Askel.Runtime.Forms;

namespace Askel.App.Workflows.Overview;

/// <summary>
/// Conditions and times of a workflow (<c>choose.when</c>, <c>until</c>, <c>deadline</c>) in words for the workflow's page:
/// a walk over the expression's <see cref="Term"/>s with the coordinator pages' vocabulary. Fields Askel writes are named in
/// words (the project's end date, the day they left, a form's question by its label); any other field by its path.
/// </summary>
public sealed class ConditionWords(string language, WorkflowDefinition workflow, FormCatalog forms)
{
    /// <summary>
    /// A phrase in words, in the forms a sentence needs: as it stands, after "jälkeen" (Finnish takes the genitive there;
    /// Swedish and English do not inflect) and as a moment ("projektin päättyessä", "at the project's end").
    /// </summary>
    private sealed record Phrase(string Text, string Of, string At);

    /// <summary>A condition, as a clause: "the answer to “Are you working?” is “Yes”".</summary>
    public string Condition(string expression) => Clause(Expression.Parse(expression).Outline);

    /// <summary>A time, as a moment: "at the project's end", "6 months after the day they left".</summary>
    public string Moment(string expression) => Words(Expression.Parse(expression).Outline).At;

    /// <summary>A duration: "3 days", "6 months", "1 day and 12 hours"; zero is "at once".</summary>
    public string Duration(IsoDuration duration)
    {
        ArgumentNullException.ThrowIfNull(duration);
        if (duration.IsZero)
        {
            return T("wf-at-once");
        }

        var parts = new List<string>();
        void Part(int n, string unit)
        {
            if (n != 0)
            {
                parts.Add(T(n == 1 ? $"wf-{unit}-1" : $"wf-{unit}", ("n", n.ToString(CultureInfo.InvariantCulture))));
            }
        }

        Part(duration.Years, "years");
        Part(duration.Months, "months");
        Part(duration.Days, "days");
        Part((int)duration.Time.TotalHours, "hours");
        Part(duration.Time.Minutes, "minutes");
        Part(duration.Time.Seconds, "seconds");
        return Joined(parts, T("wf-and"));
    }

    private string Clause(Term term) => term switch
    {
        LogicalTerm logical => Joined([.. logical.Operands.Select(o => o is LogicalTerm inner && inner.IsAnd != logical.IsAnd ? $"({Clause(o)})" : Clause(o))], T(logical.IsAnd ? "wf-and" : "wf-or")),
        NotTerm not => T("wf-not", ("x", Clause(not.Operand))),
        ComparisonTerm comparison => Compared(comparison),
        InTerm @in => T("wf-in", ("a", Words(@in.Item).Text), ("list", ListOf(@in.List, @in.Item))),
        CallTerm { Function: "exists", Arguments: [var recorded] } => T("wf-exists", ("x", Words(recorded).Text)),
        NameTerm or PathTerm => T("wf-holds", ("x", Words(term).Text)),
        _ => Words(term).Text,
    };

    /// <summary>Whether a term reads as a clause of its own (so "x == true" is just x).</summary>
    private static bool IsClause(Term term) =>
        term is LogicalTerm or NotTerm or ComparisonTerm or InTerm or CallTerm { Function: "exists" };

    private string Compared(ComparisonTerm comparison)
    {
        // "exists(x) == true" says "x is recorded"; "… == false" and "… != true" say it is not so.
        if (comparison is { Comparison: Comparison.Equal or Comparison.NotEqual, Right: LiteralTerm { Value: { } flag } } && IsClause(comparison.Left)
            && flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            var holds = (flag.GetValueKind() == JsonValueKind.True) == (comparison.Comparison == Comparison.Equal);
            return holds ? Clause(comparison.Left) : T("wf-not", ("x", Clause(comparison.Left)));
        }

        var (left, right) = (Words(comparison.Left).Text, Value(comparison.Right, comparison.Left));
        var times = IsTime(comparison.Left) || IsTime(comparison.Right);
        var key = comparison.Comparison switch
        {
            Comparison.Equal => "wf-equal",
            Comparison.NotEqual => "wf-not-equal",
            Comparison.Less => times ? "wf-before" : "wf-less",
            Comparison.LessOrEqual => times ? "wf-on-or-before" : "wf-at-most",
            Comparison.Greater => times ? "wf-after" : "wf-more",
            Comparison.GreaterOrEqual => times ? "wf-on-or-after" : "wf-at-least",
            _ => throw new InvalidOperationException($"A comparison the page does not know: {comparison.Comparison}."),
        };
        return T(key, ("a", left), ("b", right));
    }

    /// <summary>A value compared with a form's answer is shown by its option's label, and how the intake link goes in words.</summary>
    private string Value(Term term, Term? compared)
    {
        if (term is not LiteralTerm { Value: { } value } || !value.TryGetValue(out string? text))
        {
            return Words(term).Text;
        }

        return compared switch
        {
            NameTerm { Name: "intake" } when text is "in-person" or "message" => T($"wf-intake-{text}"),
            _ when Answer(compared)?.Options.FirstOrDefault(o => o.Value == text) is { } option => Quoted(option.Label.For(language)),
            _ => Quoted(text),
        };
    }

    private string ListOf(Term list, Term? compared) => list is ListTerm items
        ? Joined([.. items.Items.Select(i => Value(i, compared))], T("wf-or"))
        : Words(list).Text;

    private Phrase Words(Term term)
    {
        switch (term)
        {
            case LiteralTerm { Value: null }:
                return Same(T("wf-nothing"));
            case LiteralTerm { Value: var value } when value!.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                return Same(T(value.GetValueKind() == JsonValueKind.True ? "wf-yes" : "wf-no"));
            case LiteralTerm { Value: var value } when value!.TryGetValue(out string? text):
                return Same(Quoted(text));
            case LiteralTerm { Value: var value }:
                return Same(value!.ToJsonString());
            case NowTerm:
                return Noun("wf-now");
            case NameTerm name:
                return Field([name.Name]);
            case PathTerm path:
                return path.Names is { } names ? Field(names) : Noun("wf-field", ("x", Written(path)));
            case CallTerm { Function: "time" or "date" or "lower" or "upper", Arguments: [var same] }:
                return Words(same);
            case CallTerm call when LiteralDuration(call) is { } duration:
                return Same(Duration(duration));
            case CallTerm { Function: "coalesce", Arguments: [var first, var second] }:
                var (a, b) = (Words(first), Words(second));
                return new(T("wf-or-else", ("a", a.Text), ("b", b.Text)), T("wf-or-else", ("a", a.Of), ("b", b.Of)), T("wf-or-else", ("a", a.At), ("b", b.At)));
            case CallTerm { Function: "count", Arguments: [var counted] }:
                return Same(T("wf-count", ("x", Words(counted).Of)));
            case CallTerm { Function: "daysBetween", Arguments: [var from, var to] }:
                return Same(T("wf-days-between", ("a", Words(from).Text), ("b", Words(to).Text)));
            case SumTerm sum:
                return Sum(sum);
            case NegateTerm negate:
                return Same("−" + Words(negate.Operand).Text);
            case ListTerm list:
                return Same(ListOf(list, null));
            case CallTerm call:
                // A call with arguments the words do not cover (a duration read from the data): as written, its arguments in words.
                return Same($"{call.Function}({string.Join(", ", call.Arguments.Select(a => Words(a).Text))})");
            default:
                // A condition where a value is expected (a comparison inside a sum): rare, and said as a clause.
                return Same(Clause(term));
        }
    }

    private static IsoDuration? LiteralDuration(Term term) =>
        term is CallTerm { Function: "duration", Arguments: [LiteralTerm { Value: { } text }] } && text.TryGetValue(out string? iso) && IsoDuration.TryParse(iso, out var duration)
            ? duration
            : null;

    /// <summary>
    /// A time moved by durations reads "6 months after X" (written durations in a row added up first: "1 month and 1 day
    /// after X"); anything else added is shown with its signs.
    /// </summary>
    private Phrase Sum(SumTerm sum)
    {
        var result = Words(sum.First);
        for (var i = 0; i < sum.Rest.Count; i++)
        {
            var (plus, operand) = (sum.Rest[i].Plus, sum.Rest[i].Operand);
            if (LiteralDuration(operand) is { } written)
            {
                var total = plus ? written : Negated(written);
                while (i + 1 < sum.Rest.Count && LiteralDuration(sum.Rest[i + 1].Operand) is { } next)
                {
                    total = Added(total, sum.Rest[++i].Plus ? next : Negated(next));
                }

                result = total switch
                {
                    { Years: >= 0, Months: >= 0, Days: >= 0 } when total.Time >= TimeSpan.Zero => AsMoment(T("wf-after-time", ("d", Duration(total)), ("x", result.Of))),
                    { Years: <= 0, Months: <= 0, Days: <= 0 } when total.Time <= TimeSpan.Zero => AsMoment(T("wf-before-time", ("d", Duration(Negated(total))), ("x", result.Text))),
                    _ => Same($"{result.Text} + {total}"),
                };
            }
            else
            {
                var words = Words(operand).Text;
                result = IsDuration(operand)
                    ? AsMoment(plus ? T("wf-after-time", ("d", words), ("x", result.Of)) : T("wf-before-time", ("d", words), ("x", result.Text)))
                    : Same($"{result.Text} {(plus ? "+" : "−")} {words}");
            }
        }

        return result;
    }

    private static IsoDuration Negated(IsoDuration d) => new(-d.Years, -d.Months, -d.Days, -d.Time);

    private static IsoDuration Added(IsoDuration a, IsoDuration b) => new(a.Years + b.Years, a.Months + b.Months, a.Days + b.Days, a.Time + b.Time);

    /// <summary>Fields Askel writes, in words; any other as "the field x.y".</summary>
    private Phrase Field(IReadOnlyList<string> names) => names switch
    {
        ["project", "endDate"] => Noun("wf-project-end"),
        ["events", "left", "leftOn"] => Noun("wf-left-on"),
        ["intake"] => Noun("wf-intake"),
        ["language"] => Noun("wf-language"),
        ["forms", var form, "completedAt"] => Noun("wf-form-completed", ("form", FormTitle(form))),
        ["forms", var form, "answers", var question] => Noun("wf-answer", ("question", Quoted(forms.Find(form)?.Question(question)?.Label.For(language) ?? question)), ("form", FormTitle(form))),
        ["forms", var form] => Noun("wf-form", ("form", FormTitle(form))),
        ["tasks", var step, "outcome"] => Noun("wf-task-outcome", ("task", TaskTitle(step))),
        _ => Noun("wf-field", ("x", string.Join('.', names))),
    };

    private Question? Answer(Term? term) =>
        term is PathTerm { Names: ["forms", var form, "answers", var question] } ? forms.Find(form)?.Question(question) : null;

    private static bool IsDuration(Term term) => term is CallTerm { Function: "duration" };

    private static bool IsTime(Term term) => term switch
    {
        NowTerm or CallTerm { Function: "time" or "date" } => true,
        SumTerm sum => IsTime(sum.First),
        PathTerm { Names: [.., var last] } => last.EndsWith("At", StringComparison.Ordinal) || last.EndsWith("On", StringComparison.Ordinal) || last.EndsWith("Date", StringComparison.Ordinal),
        _ => false,
    };

    private string FormTitle(string form) => Quoted(forms.Find(form)?.Title.For(language) ?? form);

    private string TaskTitle(string step) =>
        Quoted(workflow.Steps.GetValueOrDefault(step) is TaskStep task ? task.Title.For(language) : step);

    /// <summary>A noun of the vocabulary; a time's has its Finnish genitive (<c>-of</c>) and its moment (<c>-at</c>) beside it.</summary>
    private Phrase Noun(string key, params (string Name, string? Value)[] values)
    {
        var text = T(key, values);
        return new(
            text,
            CoordinatorTexts.Has(key + "-of") ? T(key + "-of", values) : text,
            CoordinatorTexts.Has(key + "-at") ? T(key + "-at", values) : T("wf-at", ("x", text)));
    }

    /// <summary>A phrase that is already a moment ("6 months after …"), in every form.</summary>
    private static Phrase AsMoment(string text) => new(text, text, text);

    private Phrase Same(string text) => new(text, text, T("wf-at", ("x", text)));

    private string Quoted(string text) => T("wf-quoted", ("x", text));

    /// <summary>A path with a computed index, as written but for the index: <c>forms[…].answers.x</c>.</summary>
    private static string Written(Term term) => term switch
    {
        NameTerm name => name.Name,
        PathTerm path => Written(path.Root) + string.Concat(path.Steps.Select(s => s.Member is { } member ? "." + member : "[…]")),
        _ => "…",
    };

    private string T(string key, params (string Name, string? Value)[] values) => CoordinatorTexts.Get(key, language, values);

    private static string Joined(IReadOnlyList<string> parts, string last) =>
        parts.Count <= 1 ? string.Concat(parts) : $"{string.Join(", ", parts.Take(parts.Count - 1))} {last} {parts[^1]}";
}
