using System.Text.Json.Nodes;

namespace Askel.Runtime.Expressions;

/// <summary>
/// A condition or time written in a workflow (<c>choose.when</c>, <c>wait.until</c>), in Askel's small,
/// safe expression language: no code runs, only reads of the instance's recorded data.
/// </summary>
/// <remarks>
/// <para>
/// Grammar, loosest first: <c>or</c>/<c>||</c>; <c>and</c>/<c>&amp;&amp;</c> (both short-circuit and need true or
/// false); <c>not</c>/<c>!</c>; one comparison <c>== != &lt; &lt;= &gt; &gt;=</c> or <c>in</c> (not chained);
/// <c>+ -</c>; unary <c>-</c>; <c>.name</c> and <c>[index]</c>; literals (decimal numbers, '…' or "…" strings with
/// ' " \ escapes, true, false, null, and <c>[…]</c> lists after <c>in</c>), names (properties of the data;
/// <c>now</c> is the evaluation time) and the functions exists, duration, time, date, daysBetween, coalesce,
/// lower, upper and count. A missing property anywhere in a path is null.
/// </para>
/// <para>
/// Text is limited to 2000 characters and nesting to 64 levels; the parsed tree is immutable, so one
/// <see cref="Expression"/> may be evaluated from many threads at once.
/// </para>
/// </remarks>
public sealed class Expression
{
    private readonly Node _root;

    private Expression(string text, Node root)
    {
        Text = text;
        _root = root;
    }

    /// <summary>The source text.</summary>
    public string Text { get; }

    /// <summary>The expression's syntax tree as records, to put it into words.</summary>
    public Term Outline => _root.Outline();

    /// <summary>Parses an expression.</summary>
    /// <exception cref="ExpressionSyntaxException">It is not well formed; the exception says where and why.</exception>
    public static Expression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Expression(text, Parser.Parse(text));
    }

    /// <summary>Evaluates to a JSON value against <paramref name="data"/> (the instance's data) at <paramref name="now"/>.</summary>
    /// <exception cref="ExpressionEvaluationException">It cannot be evaluated on this data (wrong types, …).</exception>
    public JsonNode? Evaluate(JsonObject data, DateTimeOffset now, TimeZoneInfo zone) => Run(data, now, zone).ToJson();

    /// <summary>Evaluates a condition; anything but true or false is an error.</summary>
    public bool EvaluateCondition(JsonObject data, DateTimeOffset now, TimeZoneInfo zone)
    {
        var value = Run(data, now, zone);
        return value.Kind == ValueKind.Bool
            ? value.AsBool
            : throw new ExpressionEvaluationException($"`{Text}` gave {value.KindName}, not true or false");
    }

    /// <summary>Evaluates to an instant; anything but a date or date-time is an error.</summary>
    public DateTimeOffset EvaluateTime(JsonObject data, DateTimeOffset now, TimeZoneInfo zone)
    {
        var value = Run(data, now, zone);
        if (value.Kind == ValueKind.Time)
        {
            return value.AsTime;
        }

        if (value.Kind == ValueKind.String && Times.TryParse(value.AsString, zone, out var time))
        {
            return time;
        }

        throw new ExpressionEvaluationException(
            $"`{Text}` gave {value.KindName}, not a time (an ISO 8601 date or date-time)");
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private Value Run(JsonObject data, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(zone);
        try
        {
            return _root.Evaluate(new Scope(Text, data, now, zone));
        }
        catch (Exception error) when (error is OverflowException or ArgumentException or FormatException)
        {
            // A last guard: whatever the data holds, callers only ever see an evaluation error.
            throw new ExpressionEvaluationException($"`{Text}` could not be evaluated: {error.Message}");
        }
    }
}

/// <summary>An expression is not well formed.</summary>
public sealed class ExpressionSyntaxException(string message, int position) : Exception(message)
{
    /// <summary>The 0-based character offset where the problem is.</summary>
    public int Position { get; } = position;
}

/// <summary>An expression could not be evaluated on the data it was given.</summary>
public sealed class ExpressionEvaluationException(string message) : Exception(message);
