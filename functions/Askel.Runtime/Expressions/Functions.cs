using System.Globalization;
using Askel.Runtime.Calendar;

namespace Askel.Runtime.Expressions;

/// <summary>The whitelisted functions; nothing else can be called.</summary>
internal enum Function
{
    Exists,
    Duration,
    Time,
    Date,
    DaysBetween,
    Coalesce,
    Lower,
    Upper,
    Count,
}

/// <summary>The function whitelist: names, fixed arities.</summary>
internal static class Functions
{
    /// <summary>Finds a function by its exact name with its number of arguments.</summary>
    public static bool TryFind(string name, out Function function, out int arity)
    {
        (function, arity) = name switch
        {
            "exists" => (Function.Exists, 1),
            "duration" => (Function.Duration, 1),
            "time" => (Function.Time, 1),
            "date" => (Function.Date, 1),
            "daysBetween" => (Function.DaysBetween, 2),
            "coalesce" => (Function.Coalesce, 2),
            "lower" => (Function.Lower, 1),
            "upper" => (Function.Upper, 1),
            "count" => (Function.Count, 1),
            _ => (Function.Exists, -1),
        };
        return arity >= 0;
    }
}

/// <summary>A call of a whitelisted function.</summary>
internal sealed class CallNode(string name, Function function, IReadOnlyList<Node> arguments, int start, int end) : Node(start, end)
{
    public override Term Outline() => new CallTerm(name, [.. arguments.Select(a => a.Outline())]);

    public override Value Evaluate(Scope scope)
    {
        switch (function)
        {
            case Function.Exists:
                return Value.Of(!arguments[0].Evaluate(scope).IsNull);
            case Function.Coalesce:
                var first = arguments[0].Evaluate(scope);
                return first.IsNull ? arguments[1].Evaluate(scope) : first;
            case Function.Duration:
                return Duration(scope, arguments[0].Evaluate(scope));
            case Function.Time:
                return Value.Of(ToTime(scope, 0));
            case Function.Date:
                var local = TimeZoneInfo.ConvertTime(ToTime(scope, 0), scope.Zone);
                return Value.Of(local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            case Function.DaysBetween:
                var from = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(ToTime(scope, 0), scope.Zone).DateTime);
                var to = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(ToTime(scope, 1), scope.Zone).DateTime);
                return Value.Of((decimal)(to.DayNumber - from.DayNumber));
            case Function.Lower or Function.Upper:
                var text = arguments[0].Evaluate(scope);
                return text.Kind switch
                {
                    ValueKind.Null => Value.Null,
                    ValueKind.String => Value.Of(function == Function.Lower ? text.AsString.ToLowerInvariant() : text.AsString.ToUpperInvariant()),
                    _ => throw ArgumentError(scope, 0, "a string", text),
                };
            default:
                var collection = arguments[0].Evaluate(scope);
                return collection.Kind switch
                {
                    ValueKind.Null => Value.Of(0m),
                    ValueKind.Array or ValueKind.List => Value.Of((decimal)collection.Elements().Count),
                    _ => throw ArgumentError(scope, 0, "a list", collection),
                };
        }
    }

    /// <summary>Checks a literal argument of <c>duration('…')</c> when the expression is parsed.</summary>
    public static void Validate(string name, IReadOnlyList<Node> arguments)
    {
        if (name == "duration" && arguments[0] is LiteralNode { Value.Kind: ValueKind.String } literal
            && !IsoDuration.TryParse(literal.Value.AsString, out _))
        {
            throw new ExpressionSyntaxException(
                $"'{literal.Value.AsString}' at {literal.Start} is not an ISO 8601 duration: write e.g. P2D, PT30M, P6M, P1W",
                literal.Start);
        }
    }

    private Value Duration(Scope scope, Value text)
    {
        switch (text.Kind)
        {
            case ValueKind.Duration:
                return text;
            case ValueKind.String:
                try
                {
                    return Value.Of(IsoDuration.Parse(text.AsString));
                }
                catch (FormatException error)
                {
                    throw scope.Error(error.Message, this);
                }

            default:
                throw ArgumentError(scope, 0, "an ISO 8601 duration string such as 'P6M'", text);
        }
    }

    private DateTimeOffset ToTime(Scope scope, int index)
    {
        var value = arguments[index].Evaluate(scope);
        switch (value.Kind)
        {
            case ValueKind.Time:
                return value.AsTime;
            case ValueKind.String when Times.TryParse(value.AsString, scope.Zone, out var time):
                return time;
            case ValueKind.String:
                throw scope.Error(
                    $"{name}() needs an ISO 8601 date or date-time, but `{scope.TextOf(arguments[index])}` is '{Shorten(value.AsString)}'", this);
            default:
                throw ArgumentError(scope, index, "a time or an ISO 8601 date or date-time", value);
        }
    }

    private ExpressionEvaluationException ArgumentError(Scope scope, int index, string expected, Value actual) =>
        scope.Error($"{name}() needs {expected}, but `{scope.TextOf(arguments[index])}` gave {actual.KindName}", this);

    private static string Shorten(string text) => text.Length > 40 ? string.Concat(text.AsSpan(0, 37), "...") : text;
}
