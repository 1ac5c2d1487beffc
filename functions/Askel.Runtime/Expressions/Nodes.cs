using System.Text.Json.Nodes;
using Askel.Runtime.Calendar;

namespace Askel.Runtime.Expressions;

/// <summary>What one evaluation reads: the data, the time, the zone, and the source for messages.</summary>
internal sealed class Scope(string source, JsonObject data, DateTimeOffset now, TimeZoneInfo zone)
{
    /// <summary>The longest string an expression may build, so that data cannot make it allocate without bound.</summary>
    public const int MaxStringLength = 100_000;

    public JsonObject Data { get; } = data;

    public DateTimeOffset Now { get; } = now;

    public TimeZoneInfo Zone { get; } = zone;

    /// <summary>An error naming the part of the source it is about: "… in `a &lt; b`".</summary>
    public ExpressionEvaluationException Error(string message, Node part) => Error(message, part.Start, part.End);

    /// <summary>An error naming a span of the source.</summary>
    public ExpressionEvaluationException Error(string message, int start, int end) =>
        new($"{message} in `{Snippet(start, end)}`");

    /// <summary>The source text of a node, for naming an operand.</summary>
    public string TextOf(Node node) => Snippet(node.Start, node.End);

    private string Snippet(int start, int end)
    {
        var text = source[start..end];
        return text.Length > 80 ? string.Concat(text.AsSpan(0, 77), "...") : text;
    }
}

/// <summary>A node of the syntax tree: immutable, so one tree serves any number of concurrent evaluations.</summary>
internal abstract class Node(int start, int end)
{
    /// <summary>Where the node's text starts in the source.</summary>
    public int Start { get; } = start;

    /// <summary>Where the node's text ends (exclusive).</summary>
    public int End { get; } = end;

    public abstract Value Evaluate(Scope scope);

    /// <summary>The node as a public <see cref="Term"/>, for describing the expression.</summary>
    public abstract Term Outline();
}

/// <summary>A literal: number, string, true, false, null.</summary>
internal sealed class LiteralNode(Value value, int start, int end) : Node(start, end)
{
    public Value Value { get; } = value;

    public override Term Outline() => new LiteralTerm(Value.ToJson() as System.Text.Json.Nodes.JsonValue);

    public override Value Evaluate(Scope scope) => Value;
}

/// <summary><c>now</c>.</summary>
internal sealed class NowNode(int start, int end) : Node(start, end)
{
    public override Term Outline() => new NowTerm();

    public override Value Evaluate(Scope scope) => Value.Of(scope.Now);
}

/// <summary>A name: a property of the data.</summary>
internal sealed class NameNode(string name, int start, int end) : Node(start, end)
{
    public override Term Outline() => new NameTerm(name);

    public override Value Evaluate(Scope scope) =>
        scope.Data.TryGetPropertyValue(name, out var node) ? Value.FromJson(node) : Value.Null;
}

/// <summary>One step of a path: <c>.name</c> or <c>[index]</c>.</summary>
internal sealed record Segment(string? Member, Node? Index, int End);

/// <summary><c>a.b['c'][0]</c>: a base and steps, evaluated in a loop (no recursion per step).</summary>
internal sealed class PathNode(Node root, IReadOnlyList<Segment> segments, int start, int end) : Node(start, end)
{
    public override Term Outline() => new PathTerm(root.Outline(), [.. segments.Select(s => new PathStep(s.Member, s.Index?.Outline()))]);

    public override Value Evaluate(Scope scope)
    {
        var current = root.Evaluate(scope);
        foreach (var segment in segments)
        {
            if (current.IsNull)
            {
                return Value.Null;
            }

            if (segment.Member is { } member)
            {
                current = current.Kind == ValueKind.Object
                    ? Property(current.AsObject, member)
                    : throw scope.Error($"{current.KindName} has no field '{member}'", Start, segment.End);
            }
            else
            {
                var key = segment.Index!.Evaluate(scope);
                current = Index(scope, current, key, segment.End);
            }
        }

        return current;
    }

    private static Value Property(JsonObject obj, string name) =>
        obj.TryGetPropertyValue(name, out var node) ? Value.FromJson(node) : Value.Null;

    private Value Index(Scope scope, Value target, Value key, int end)
    {
        if (key.IsNull)
        {
            return Value.Null;
        }

        switch (target.Kind)
        {
            case ValueKind.Object when key.Kind == ValueKind.String:
                return Property(target.AsObject, key.AsString);
            case ValueKind.Object:
                throw scope.Error($"an object's fields are named by strings, but the index is {key.KindName}", Start, end);
            case ValueKind.Array or ValueKind.List when key.Kind == ValueKind.Number:
                var number = key.AsNumber;
                if (number != decimal.Truncate(number))
                {
                    throw scope.Error($"a list index must be a whole number, not {number}", Start, end);
                }

                var elements = target.Elements();
                return number >= 0 && number < elements.Count ? elements[(int)number] : Value.Null;
            case ValueKind.Array or ValueKind.List:
                throw scope.Error($"a list is indexed by a whole number, but the index is {key.KindName}", Start, end);
            default:
                throw scope.Error($"{target.KindName} cannot be indexed", Start, end);
        }
    }
}

/// <summary>A list literal, <c>['a', 'b']</c>, on the right of <c>in</c>.</summary>
internal sealed class ListNode(IReadOnlyList<Node> items, int start, int end) : Node(start, end)
{
    public override Term Outline() => new ListTerm([.. items.Select(i => i.Outline())]);

    public override Value Evaluate(Scope scope)
    {
        var values = new Value[items.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = items[i].Evaluate(scope);
        }

        return Value.Of(values);
    }
}

/// <summary><c>not x</c> / <c>!x</c>.</summary>
internal sealed class NotNode(Node operand, int start, int end) : Node(start, end)
{
    public override Term Outline() => new NotTerm(operand.Outline());

    public override Value Evaluate(Scope scope)
    {
        var value = operand.Evaluate(scope);
        return value.Kind == ValueKind.Bool
            ? Value.Of(!value.AsBool)
            : throw scope.Error($"'not' needs true or false, but `{scope.TextOf(operand)}` gave {value.KindName}", this);
    }
}

/// <summary><c>-x</c>.</summary>
internal sealed class NegateNode(Node operand, int start, int end) : Node(start, end)
{
    public override Term Outline() => new NegateTerm(operand.Outline());

    public override Value Evaluate(Scope scope)
    {
        var value = operand.Evaluate(scope);
        return value.Kind == ValueKind.Number
            ? Value.Of(-value.AsNumber)
            : throw scope.Error($"only a number can be negated, but `{scope.TextOf(operand)}` gave {value.KindName}", this);
    }
}

/// <summary>A chain of <c>and</c> or of <c>or</c>, short-circuiting, each operand true or false.</summary>
internal sealed class LogicalNode(bool isAnd, IReadOnlyList<Node> operands, int start, int end) : Node(start, end)
{
    public override Term Outline() => new LogicalTerm(isAnd, [.. operands.Select(o => o.Outline())]);

    public override Value Evaluate(Scope scope)
    {
        foreach (var operand in operands)
        {
            var value = operand.Evaluate(scope);
            if (value.Kind != ValueKind.Bool)
            {
                throw scope.Error(
                    $"'{(isAnd ? "and" : "or")}' needs true or false on both sides, but `{scope.TextOf(operand)}` gave {value.KindName}",
                    this);
            }

            if (value.AsBool != isAnd)
            {
                return value;
            }
        }

        return Value.Of(isAnd);
    }
}

/// <summary>A chain of <c>+</c> and <c>-</c>, evaluated left to right in a loop.</summary>
internal sealed class AdditiveNode(Node first, IReadOnlyList<(bool Plus, Node Operand)> rest, int start, int end) : Node(start, end)
{
    public override Term Outline() => new SumTerm(first.Outline(), [.. rest.Select(r => new Addend(r.Plus, r.Operand.Outline()))]);

    public override Value Evaluate(Scope scope)
    {
        var left = first.Evaluate(scope);
        foreach (var (plus, operand) in rest)
        {
            var right = operand.Evaluate(scope);
            left = plus ? Add(scope, left, right, operand.End) : Subtract(scope, left, right, operand.End);
        }

        return left;
    }

    private Value Add(Scope scope, Value left, Value right, int end)
    {
        switch (left.Kind, right.Kind)
        {
            case (ValueKind.Number, ValueKind.Number):
                return Number(scope, left.AsNumber, right.AsNumber, end);
            case (ValueKind.String, ValueKind.String):
                return left.AsString.Length + right.AsString.Length <= Scope.MaxStringLength
                    ? Value.Of(left.AsString + right.AsString)
                    : throw scope.Error($"the text would be longer than {Scope.MaxStringLength} characters", Start, end);
            case (ValueKind.Time, ValueKind.Duration):
                return Shift(scope, left.AsTime, right.AsDuration, end);
            case (ValueKind.Duration, ValueKind.Time):
                return Shift(scope, right.AsTime, left.AsDuration, end);
            default:
                throw scope.Error($"cannot add {right.KindName} to {left.KindName}", Start, end);
        }
    }

    private Value Subtract(Scope scope, Value left, Value right, int end)
    {
        switch (left.Kind, right.Kind)
        {
            case (ValueKind.Number, ValueKind.Number):
                return Number(scope, left.AsNumber, -right.AsNumber, end);
            case (ValueKind.Time, ValueKind.Duration):
                var d = right.AsDuration;
                return Shift(scope, left.AsTime, new IsoDuration(-d.Years, -d.Months, -d.Days, -d.Time), end);
            case (ValueKind.Time, ValueKind.Time):
                throw scope.Error("cannot subtract one time from another; use daysBetween(a, b) for the days between them", Start, end);
            default:
                throw scope.Error($"cannot subtract {right.KindName} from {left.KindName}", Start, end);
        }
    }

    private Value Number(Scope scope, decimal a, decimal b, int end)
    {
        try
        {
            return Value.Of(a + b);
        }
        catch (OverflowException)
        {
            throw scope.Error("the number is too large", Start, end);
        }
    }

    private Value Shift(Scope scope, DateTimeOffset time, IsoDuration duration, int end)
    {
        try
        {
            return Value.Of(duration.AddTo(time, scope.Zone));
        }
        catch (Exception error) when (error is ArgumentOutOfRangeException or OverflowException)
        {
            throw scope.Error("the time would fall outside the calendar (years 1 to 9999)", Start, end);
        }
    }
}

/// <summary>A comparison: <c>== != &lt; &lt;= &gt; &gt;=</c>.</summary>
internal sealed class ComparisonNode(TokenKind op, Node left, Node right, int start, int end) : Node(start, end)
{
    public override Term Outline() => new ComparisonTerm(
        op switch
        {
            TokenKind.Equal => Comparison.Equal,
            TokenKind.NotEqual => Comparison.NotEqual,
            TokenKind.Less => Comparison.Less,
            TokenKind.LessOrEqual => Comparison.LessOrEqual,
            TokenKind.Greater => Comparison.Greater,
            TokenKind.GreaterOrEqual => Comparison.GreaterOrEqual,
            _ => throw new InvalidOperationException($"Not a comparison: {op}."),
        },
        left.Outline(),
        right.Outline());

    public override Value Evaluate(Scope scope)
    {
        var a = left.Evaluate(scope);
        var b = right.Evaluate(scope);
        if (op is TokenKind.Equal or TokenKind.NotEqual)
        {
            return Value.Of(Value.AreEqual(a, b, scope.Zone) == (op == TokenKind.Equal));
        }

        var order = Compare(scope, a, b);
        return Value.Of(op switch
        {
            TokenKind.Less => order < 0,
            TokenKind.LessOrEqual => order <= 0,
            TokenKind.Greater => order > 0,
            _ => order >= 0,
        });
    }

    private int Compare(Scope scope, Value a, Value b)
    {
        switch (a.Kind, b.Kind)
        {
            case (ValueKind.Number, ValueKind.Number):
                return a.AsNumber.CompareTo(b.AsNumber);
            case (ValueKind.String, ValueKind.String):
                return string.CompareOrdinal(a.AsString, b.AsString);
            case (ValueKind.Time, ValueKind.Time):
                return a.AsTime.CompareTo(b.AsTime);
            case (ValueKind.Time, ValueKind.String):
                return a.AsTime.CompareTo(AsTime(scope, b, right));
            case (ValueKind.String, ValueKind.Time):
                return AsTime(scope, a, left).CompareTo(b.AsTime);
            default:
                throw scope.Error($"cannot compare {a.KindName} with {b.KindName}", this);
        }
    }

    private DateTimeOffset AsTime(Scope scope, Value text, Node part) =>
        Times.TryParse(text.AsString, scope.Zone, out var time)
            ? time
            : throw scope.Error($"cannot compare a time with `{scope.TextOf(part)}`, which is not an ISO 8601 date or date-time", this);
}

/// <summary><c>x in list</c>: true when an element equals <c>x</c> (as <c>==</c> does); false for a null list.</summary>
internal sealed class InNode(Node item, Node list, int start, int end) : Node(start, end)
{
    public override Term Outline() => new InTerm(item.Outline(), list.Outline());

    public override Value Evaluate(Scope scope)
    {
        var value = item.Evaluate(scope);
        var collection = list.Evaluate(scope);
        if (collection.IsNull)
        {
            return Value.False;
        }

        if (collection.Kind is not (ValueKind.List or ValueKind.Array))
        {
            throw scope.Error($"'in' needs a list on its right, but `{scope.TextOf(list)}` gave {collection.KindName}", this);
        }

        foreach (var element in collection.Elements())
        {
            if (Value.AreEqual(value, element, scope.Zone))
            {
                return Value.True;
            }
        }

        return Value.False;
    }
}
