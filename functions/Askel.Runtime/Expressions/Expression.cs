using System.Text.Json.Nodes;

namespace Askel.Runtime.Expressions;

/// <summary>
/// A condition or time written in a workflow (<c>choose.when</c>, <c>wait.until</c>), in Askel's small,
/// safe expression language: no code runs, only reads of the instance's recorded data.
/// </summary>
public sealed class Expression
{
    private Expression(string text) => Text = text;

    /// <summary>The source text.</summary>
    public string Text { get; }

    /// <summary>Parses an expression.</summary>
    /// <exception cref="ExpressionSyntaxException">It is not well formed; the exception says where and why.</exception>
    public static Expression Parse(string text) => throw new NotImplementedException(text);

    /// <summary>Evaluates to a JSON value against <paramref name="data"/> (the instance's data) at <paramref name="now"/>.</summary>
    /// <exception cref="ExpressionEvaluationException">It cannot be evaluated on this data (wrong types, …).</exception>
    public JsonNode? Evaluate(JsonObject data, DateTimeOffset now, TimeZoneInfo zone) => throw new NotImplementedException();

    /// <summary>Evaluates a condition; anything but true or false is an error.</summary>
    public bool EvaluateCondition(JsonObject data, DateTimeOffset now, TimeZoneInfo zone) => throw new NotImplementedException();

    /// <summary>Evaluates to an instant; anything but a date or date-time is an error.</summary>
    public DateTimeOffset EvaluateTime(JsonObject data, DateTimeOffset now, TimeZoneInfo zone) => throw new NotImplementedException();
}

/// <summary>An expression is not well formed.</summary>
public sealed class ExpressionSyntaxException(string message, int position) : Exception(message)
{
    /// <summary>The 0-based character offset where the problem is.</summary>
    public int Position { get; } = position;
}

/// <summary>An expression could not be evaluated on the data it was given.</summary>
public sealed class ExpressionEvaluationException(string message) : Exception(message);
