using System.Text.Json.Nodes;

namespace Askel.Runtime.Expressions;

/// <summary>
/// An expression's syntax tree as plain records (<see cref="Expression.Outline"/>), for putting a condition or a time into
/// words: a reader walks it and supplies the vocabulary. The runtime evaluates its own tree; this one only describes.
/// </summary>
public abstract record Term;

/// <summary>A literal: a number, a string, true, false (as JSON), or null.</summary>
public sealed record LiteralTerm(JsonValue? Value) : Term;

/// <summary><c>now</c>: the time of the transition.</summary>
public sealed record NowTerm : Term;

/// <summary>A top-level field of the instance's data.</summary>
public sealed record NameTerm(string Name) : Term;

/// <summary><c>a.b['c'][0]</c>: a base and its steps.</summary>
public sealed record PathTerm(Term Root, IReadOnlyList<PathStep> Steps) : Term
{
    /// <summary>
    /// The path as names (<c>forms['esf-exit'].answers.working</c> is forms, esf-exit, answers, working) when it starts at a
    /// field and every step is a name or a string; else null.
    /// </summary>
    public IReadOnlyList<string>? Names
    {
        get
        {
            if (Root is not NameTerm { Name: var first })
            {
                return null;
            }

            var names = new List<string> { first };
            foreach (var step in Steps)
            {
                if ((step.Member ?? (step.Index is LiteralTerm { Value: { } index } && index.TryGetValue(out string? text) ? text : null)) is not { } name)
                {
                    return null;
                }

                names.Add(name);
            }

            return names;
        }
    }
}

/// <summary>One step of a path: <c>.Member</c>, or <c>[Index]</c>.</summary>
public sealed record PathStep(string? Member, Term? Index);

/// <summary>A list literal, <c>['a', 'b']</c>.</summary>
public sealed record ListTerm(IReadOnlyList<Term> Items) : Term;

/// <summary><c>not x</c>.</summary>
public sealed record NotTerm(Term Operand) : Term;

/// <summary><c>-x</c>.</summary>
public sealed record NegateTerm(Term Operand) : Term;

/// <summary>A chain of <c>and</c> (<paramref name="IsAnd"/>) or of <c>or</c>.</summary>
public sealed record LogicalTerm(bool IsAnd, IReadOnlyList<Term> Operands) : Term;

/// <summary><c>a + b - c</c>: the first operand, then each next one.</summary>
public sealed record SumTerm(Term First, IReadOnlyList<Addend> Rest) : Term;

/// <summary>An operand after the first of a <see cref="SumTerm"/>: added (<paramref name="Plus"/>) or subtracted.</summary>
public sealed record Addend(bool Plus, Term Operand);

/// <summary>How a <see cref="ComparisonTerm"/> compares.</summary>
public enum Comparison
{
    /// <summary><c>==</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>&lt;</c></summary>
    Less,

    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,

    /// <summary><c>&gt;</c></summary>
    Greater,

    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,
}

/// <summary>A comparison of two operands.</summary>
public sealed record ComparisonTerm(Comparison Comparison, Term Left, Term Right) : Term;

/// <summary><c>x in list</c>.</summary>
public sealed record InTerm(Term Item, Term List) : Term;

/// <summary>A call of one of the functions (exists, duration, time, date, daysBetween, coalesce, lower, upper, count).</summary>
public sealed record CallTerm(string Function, IReadOnlyList<Term> Arguments) : Term;
