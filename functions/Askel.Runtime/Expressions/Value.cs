using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Askel.Runtime.Calendar;

namespace Askel.Runtime.Expressions;

/// <summary>The kinds of value an expression works with.</summary>
internal enum ValueKind
{
    Null,
    Bool,
    Number,
    String,
    Time,
    Duration,
    List,
    Array,
    Object,
}

/// <summary>
/// A value during evaluation. <see cref="ValueKind.List"/> is a list literal (<c>['a', 'b']</c>);
/// <see cref="ValueKind.Array"/> and <see cref="ValueKind.Object"/> are read from the data as they are.
/// </summary>
internal readonly struct Value
{
    private readonly object? _payload;

    private Value(ValueKind kind, object? payload)
    {
        Kind = kind;
        _payload = payload;
    }

    public static Value Null => default;

    public static Value True { get; } = new(ValueKind.Bool, true);

    public static Value False { get; } = new(ValueKind.Bool, false);

    public ValueKind Kind { get; }

    public bool IsNull => Kind == ValueKind.Null;

    public bool AsBool => (bool)_payload!;

    public decimal AsNumber => (decimal)_payload!;

    public string AsString => (string)_payload!;

    public DateTimeOffset AsTime => (DateTimeOffset)_payload!;

    public IsoDuration AsDuration => (IsoDuration)_payload!;

    public IReadOnlyList<Value> AsList => (IReadOnlyList<Value>)_payload!;

    public JsonArray AsArray => (JsonArray)_payload!;

    public JsonObject AsObject => (JsonObject)_payload!;

    /// <summary>How an error message names the kind: "null", "a number", …</summary>
    public string KindName => Kind switch
    {
        ValueKind.Null => "null",
        ValueKind.Bool => "a true/false value",
        ValueKind.Number => "a number",
        ValueKind.String => "a string",
        ValueKind.Time => "a time",
        ValueKind.Duration => "a duration",
        ValueKind.List or ValueKind.Array => "a list",
        _ => "an object",
    };

    public static Value Of(bool value) => value ? True : False;

    public static Value Of(decimal value) => new(ValueKind.Number, value);

    public static Value Of(string value) => new(ValueKind.String, value);

    public static Value Of(DateTimeOffset value) => new(ValueKind.Time, value);

    public static Value Of(IsoDuration value) => new(ValueKind.Duration, value);

    public static Value Of(IReadOnlyList<Value> value) => new(ValueKind.List, value);

    /// <summary>A value read from the data.</summary>
    public static Value FromJson(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return Null;
            case JsonObject obj:
                return new Value(ValueKind.Object, obj);
            case JsonArray array:
                return new Value(ValueKind.Array, array);
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.True:
                        return True;
                    case JsonValueKind.False:
                        return False;
                    case JsonValueKind.String:
                        return Of(value.TryGetValue<string>(out var text) ? text : ReadJsonString(value));
                    case JsonValueKind.Number:
                        if (value.TryGetValue<decimal>(out var number)
                            || decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number))
                        {
                            return Of(number);
                        }

                        throw new ExpressionEvaluationException($"the number {value.ToJsonString()} in the data is too large to work with");
                    default:
                        return Null;
                }

            default:
                return Null;
        }
    }

    /// <summary>The value as JSON: times in ISO 8601 "o" form, durations as ISO 8601 text, data copied.</summary>
    public JsonNode? ToJson() => Kind switch
    {
        ValueKind.Null => null,
        ValueKind.Bool => JsonValue.Create(AsBool),
        ValueKind.Number => JsonValue.Create(AsNumber),
        ValueKind.String => JsonValue.Create(AsString),
        ValueKind.Time => JsonValue.Create(AsTime.ToString("o", CultureInfo.InvariantCulture)),
        ValueKind.Duration => JsonValue.Create(AsDuration.ToString()),
        ValueKind.List => new JsonArray([.. AsList.Select(v => v.ToJson())]),
        ValueKind.Array => AsArray.DeepClone(),
        _ => AsObject.DeepClone(),
    };

    /// <summary>
    /// Equality for <c>==</c>: any pair; different kinds are unequal, except a time and a string that reads
    /// as an ISO 8601 date or date-time, which compare as instants.
    /// </summary>
    public static bool AreEqual(Value a, Value b, TimeZoneInfo zone)
    {
        if (a.Kind == ValueKind.Time && b.Kind == ValueKind.String)
        {
            return Times.TryParse(b.AsString, zone, out var time) && a.AsTime == time;
        }

        if (a.Kind == ValueKind.String && b.Kind == ValueKind.Time)
        {
            return AreEqual(b, a, zone);
        }

        if (a.Kind is ValueKind.List or ValueKind.Array && b.Kind is ValueKind.List or ValueKind.Array)
        {
            var left = a.Elements();
            var right = b.Elements();
            if (left.Count != right.Count)
            {
                return false;
            }

            for (var i = 0; i < left.Count; i++)
            {
                if (!AreEqual(left[i], right[i], zone))
                {
                    return false;
                }
            }

            return true;
        }

        if (a.Kind != b.Kind)
        {
            return false;
        }

        return a.Kind switch
        {
            ValueKind.Null => true,
            ValueKind.Bool => a.AsBool == b.AsBool,
            ValueKind.Number => a.AsNumber == b.AsNumber,
            ValueKind.String => string.Equals(a.AsString, b.AsString, StringComparison.Ordinal),
            ValueKind.Time => a.AsTime == b.AsTime,
            ValueKind.Duration => a.AsDuration == b.AsDuration,
            _ => JsonNode.DeepEquals(a.AsObject, b.AsObject),
        };
    }

    /// <summary>The elements of a list or a JSON array.</summary>
    public IReadOnlyList<Value> Elements() =>
        Kind == ValueKind.List ? AsList : [.. AsArray.Select(FromJson)];

    private static string ReadJsonString(JsonValue value)
    {
        using var document = JsonDocument.Parse(value.ToJsonString());
        return document.RootElement.GetString() ?? "";
    }
}

/// <summary>Reading ISO 8601 dates and date-times, strictly (no culture-dependent guessing).</summary>
internal static class Times
{
    private static readonly string[] WithOffset = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mmzzz"];
    private static readonly string[] Utc = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm'Z'"];
    private static readonly string[] Local = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm"];

    /// <summary>
    /// Reads <c>2026-03-01T12:00:00+02:00</c>, <c>…Z</c>, a local <c>2026-03-01T12:00</c> (in <paramref name="zone"/>)
    /// or a date <c>2026-03-01</c> (local midnight in <paramref name="zone"/>).
    /// </summary>
    public static bool TryParse(string text, TimeZoneInfo zone, out DateTimeOffset time)
    {
        time = default;
        if (text.Length is < 10 or > 40 || text[4] != '-' || text[7] != '-')
        {
            return false;
        }

        try
        {
            return TryParseIso(text, zone, out time);
        }
        catch (ArgumentOutOfRangeException)
        {
            // A local time at the very edge of the calendar has no instant in this zone.
            time = default;
            return false;
        }
    }

    private static bool TryParseIso(string text, TimeZoneInfo zone, out DateTimeOffset time)
    {
        time = default;
        var invariant = CultureInfo.InvariantCulture;
        if (text.Length == 10)
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", invariant, DateTimeStyles.None, out var date))
            {
                time = IsoDuration.FromLocal(date.ToDateTime(TimeOnly.MinValue), zone);
                return true;
            }

            return false;
        }

        if (DateTimeOffset.TryParseExact(text, WithOffset, invariant, DateTimeStyles.None, out time)
            || DateTimeOffset.TryParseExact(text, Utc, invariant, DateTimeStyles.AssumeUniversal, out time))
        {
            return true;
        }

        if (DateTime.TryParseExact(text, Local, invariant, DateTimeStyles.None, out var local))
        {
            time = IsoDuration.FromLocal(local, zone);
            return true;
        }

        return false;
    }
}
