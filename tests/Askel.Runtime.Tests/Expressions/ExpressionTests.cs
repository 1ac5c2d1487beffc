using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Askel.Runtime.Expressions;

namespace Askel.Runtime.Tests.Expressions;

public sealed class ExpressionTests
{
    private static readonly TimeZoneInfo Helsinki = TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki");
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.FromHours(2));

    private static JsonObject Data() => JsonNode.Parse("""
        {
          "forms": {
            "exit-form": {
              "answers": { "status": "employed", "hours": 30 },
              "completedAt": "2026-03-01T10:00:00+02:00"
            }
          },
          "events": { "participant-left": { "leftAt": "2026-08-31T12:00:00+03:00" } },
          "tags": ["a", "b"],
          "name": "Aino",
          "score": 2.5,
          "flag": true,
          "nothing": null
        }
        """)!.AsObject();

    private static JsonNode? Evaluate(string text, JsonObject? data = null) =>
        Expression.Parse(text).Evaluate(data ?? Data(), Now, Helsinki);

    private static bool Condition(string text, JsonObject? data = null) =>
        Expression.Parse(text).EvaluateCondition(data ?? Data(), Now, Helsinki);

    private static DateTimeOffset Time(string text, JsonObject? data = null) =>
        Expression.Parse(text).EvaluateTime(data ?? Data(), Now, Helsinki);

    private static decimal Number(string text) => Evaluate(text)!.GetValue<decimal>();

    private static string? Text(string text) => Evaluate(text)?.GetValue<string>();

    private static ExpressionEvaluationException EvaluationError(string text, JsonObject? data = null) =>
        Assert.Throws<ExpressionEvaluationException>(() => Evaluate(text, data));

    private static ExpressionSyntaxException SyntaxError(string text) =>
        Assert.Throws<ExpressionSyntaxException>(() => Expression.Parse(text));

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute, int offsetHours) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(offsetHours));

    // --- Parse ---------------------------------------------------------------------------------

    [Fact]
    public void Parse_WorkflowCondition_KeepsText()
    {
        var expression = Expression.Parse("forms['exit-form'].answers.status == 'employed'");

        Assert.Equal("forms['exit-form'].answers.status == 'employed'", expression.Text);
        Assert.Equal(expression.Text, expression.ToString());
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => Expression.Parse(null!));
    }

    [Theory]
    [InlineData("(a + b))", 7, "unexpected ')' at 7")]
    [InlineData("exec('rm -rf /')", 0, "unknown function 'exec' at 0")]
    [InlineData("a == 'abc", 5, "unterminated string starting at 5")]
    [InlineData("a == \"abc\\\"", 5, "unterminated string starting at 5")]
    [InlineData("", 0, "empty")]
    [InlineData("   ", 0, "empty")]
    [InlineData("a +", 3, "unexpected end of expression at 3")]
    [InlineData("a == ", 5, "unexpected end of expression at 5")]
    [InlineData("(a", 2, "missing ')' at 2")]
    [InlineData("a[0", 3, "missing ']' at 3")]
    [InlineData("f(a", 0, "unknown function 'f' at 0")]
    [InlineData("lower(a", 7, "missing ')' at 7")]
    [InlineData("a in ['x', 'y'", 14, "missing ']' at 14")]
    [InlineData("a]]", 1, "unexpected ']' at 1")]
    [InlineData("['a'] == a", 0, "can only follow 'in'")]
    [InlineData("a = 1", 2, "'=' at 2")]
    [InlineData("a & b", 2, "'&' at 2")]
    [InlineData("a | b", 2, "'|' at 2")]
    [InlineData("a # b", 2, "unexpected character '#' at 2")]
    [InlineData("a b", 2, "unexpected 'b' at 2")]
    [InlineData("1 < 2 < 3", 6, "cannot be chained")]
    [InlineData("a == b in c", 7, "cannot be chained")]
    [InlineData("lower('a', 'b')", 0, "function 'lower' takes 1 argument, not 2")]
    [InlineData("daysBetween(now)", 0, "function 'daysBetween' takes 2 arguments, not 1")]
    [InlineData("exists()", 0, "takes 1 argument, not 0")]
    [InlineData("duration('P6X')", 9, "'P6X' at 9 is not an ISO 8601 duration")]
    [InlineData("'a\\n'", 2, "unknown escape '\\n' at 2")]
    [InlineData("a.", 2, "expected a field name after '.'")]
    [InlineData("a.'b'", 2, "expected a field name after '.' but found string at 2")]
    [InlineData("a.b(1)", 3, "unexpected '(' at 3")]
    [InlineData("now()", 0, "unknown function 'now' at 0")]
    [InlineData("12abc", 2, "cannot run into a name")]
    [InlineData("1.", 2, "expected a field name after '.' but found end of expression at 2")]
    [InlineData("a.&&", 2, "expected a field name")]
    [InlineData("a ,b", 2, "unexpected ',' at 2")]
    [InlineData("99999999999999999999999999999999", 0, "number too large at 0")]
    [InlineData("a == \u0001", 5, "unexpected character 'U+0001' at 5")]
    public void Parse_Malformed_ThrowsWithPositionAndReason(string text, int position, string message)
    {
        var error = SyntaxError(text);

        Assert.Equal(position, error.Position);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.and.or.not.in.true.false.null")]
    [InlineData("_private.x1")]
    [InlineData("äidinkieli == 'suomi'")]
    [InlineData("a in []")]
    [InlineData("not not true")]
    [InlineData("! ! true")]
    [InlineData("- - 1")]
    [InlineData("coalesce(a, 'x')[0]")]
    public void Parse_WellFormed_Parses(string text)
    {
        var expression = Expression.Parse(text);

        Assert.Equal(text, expression.Text);
    }

    [Fact]
    public void Parse_TextOfMaximumLength_Parses()
    {
        var text = "'" + new string('a', 1998) + "'";

        var value = Expression.Parse(text).Evaluate([], Now, Helsinki);

        Assert.Equal(1998, value!.GetValue<string>().Length);
    }

    [Fact]
    public void Parse_TextLongerThanMaximum_ThrowsTooLong()
    {
        var error = SyntaxError("'" + new string('a', 5000) + "'");

        Assert.Equal(2000, error.Position);
        Assert.Contains("at most 2000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestingOf64_Parses()
    {
        var text = new string('(', 64) + "1" + new string(')', 64);

        Assert.Equal(1m, Expression.Parse(text).Evaluate([], Now, Helsinki)!.GetValue<decimal>());
    }

    [Fact]
    public void Parse_NestingOf65_ThrowsTooDeep()
    {
        var error = SyntaxError(new string('(', 65) + "1" + new string(')', 65));

        Assert.Equal(64, error.Position);
        Assert.Contains("nested more than 64 levels deep at 64", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('(', ")")]
    [InlineData('!', "")]
    [InlineData('-', "")]
    public void Parse_DeepNestingWithinLengthLimit_ThrowsTooDeep(char opener, string closer)
    {
        var text = new string(opener, 900) + "1" + string.Concat(Enumerable.Repeat(closer, 900));

        var error = SyntaxError(text);

        Assert.Contains("nested more than 64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TenThousandNestedParentheses_ThrowsSyntaxErrorWithoutOverflow()
    {
        var error = SyntaxError(new string('(', 10_000) + "1" + new string(')', 10_000));

        Assert.Contains("at most 2000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestedIndexesAndCalls_CountTowardsDepth()
    {
        var text = string.Concat(Enumerable.Repeat("lower(a[", 40)) + "1" + string.Concat(Enumerable.Repeat("])", 40));

        var error = SyntaxError(text);

        Assert.Contains("nested more than 64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LongFlatChain_EvaluatesWithoutDeepRecursion()
    {
        var text = "1" + string.Concat(Enumerable.Repeat(" + 1", 499));

        Assert.Equal(500m, Number(text));
    }

    [Fact]
    public void Parse_LongMemberChain_EvaluatesToNull()
    {
        var text = "a" + string.Concat(Enumerable.Repeat(".b", 999));

        Assert.Null(Evaluate(text));
    }

    // --- literals and names ---------------------------------------------------------------------

    [Theory]
    [InlineData("3", 3)]
    [InlineData("2.5", 2.5)]
    [InlineData("0.125", 0.125)]
    [InlineData("-4", -4)]
    public void Evaluate_NumberLiteral_ReturnsDecimal(string text, double expected)
    {
        Assert.Equal((decimal)expected, Number(text));
    }

    [Theory]
    [InlineData("'plain'", "plain")]
    [InlineData("\"double\"", "double")]
    [InlineData(@"'it\'s'", "it's")]
    [InlineData(@"""say \""hi\""""", "say \"hi\"")]
    [InlineData(@"'back\\slash'", @"back\slash")]
    [InlineData("'mixed \" quote'", "mixed \" quote")]
    [InlineData("''", "")]
    public void Evaluate_StringLiteral_ReadsEscapes(string text, string expected)
    {
        Assert.Equal(expected, Text(text));
    }

    [Fact]
    public void Evaluate_BooleanAndNullLiterals_ReturnThem()
    {
        Assert.True(Evaluate("true")!.GetValue<bool>());
        Assert.False(Evaluate("false")!.GetValue<bool>());
        Assert.Null(Evaluate("null"));
    }

    [Fact]
    public void Evaluate_Now_ReturnsNowInRoundTripForm()
    {
        Assert.Equal("2026-03-10T12:00:00.0000000+02:00", Text("now"));
    }

    [Fact]
    public void Evaluate_Names_ReadTheData()
    {
        Assert.Equal("Aino", Text("name"));
        Assert.Equal(2.5m, Number("score"));
        Assert.Equal("employed", Text("forms['exit-form'].answers.status"));
        Assert.Equal("employed", Text("forms[\"exit-form\"][\"answers\"].status"));
        Assert.Equal("b", Text("tags[1]"));
        Assert.Equal("b", Text("tags[2 - 1]"));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("missing.a.b.c")]
    [InlineData("forms['nope'].answers.status")]
    [InlineData("forms['exit-form'].answers.nope")]
    [InlineData("tags[5]")]
    [InlineData("tags[-1]")]
    [InlineData("nothing.deeper")]
    [InlineData("forms[missing]")]
    [InlineData("__proto__")]
    [InlineData("forms.__proto__.polluted")]
    [InlineData("constructor")]
    [InlineData("forms['constructor']['prototype']")]
    public void Evaluate_MissingPath_ReturnsNull(string text)
    {
        Assert.Null(Evaluate(text));
    }

    [Fact]
    public void Evaluate_ObjectOrArray_ReturnsACopy()
    {
        var data = Data();

        var answers = Expression.Parse("forms['exit-form'].answers").Evaluate(data, Now, Helsinki);
        var tags = Expression.Parse("tags").Evaluate(data, Now, Helsinki);

        Assert.True(JsonNode.DeepEquals(data["forms"]!["exit-form"]!["answers"], answers));
        Assert.NotSame(data["forms"]!["exit-form"]!["answers"], answers);
        Assert.IsType<JsonArray>(tags);
        Assert.Null(answers!.Parent);
    }

    [Theory]
    [InlineData("name.first", "a string has no field 'first' in `name.first`")]
    [InlineData("score[0]", "a number cannot be indexed in `score[0]`")]
    [InlineData("tags[0.5]", "a list index must be a whole number")]
    [InlineData("tags['x']", "a list is indexed by a whole number, but the index is a string")]
    [InlineData("forms[1]", "an object's fields are named by strings, but the index is a number")]
    [InlineData("tags.length", "a list has no field 'length'")]
    public void Evaluate_PathIntoWrongKind_ThrowsNamingThePart(string text, string message)
    {
        Assert.Contains(message, EvaluationError(text).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_DataBuiltInCode_ReadsNumbersStringsAndTimes()
    {
        var data = new JsonObject
        {
            ["n"] = 2.5,
            ["i"] = 7,
            ["s"] = "x",
            ["at"] = JsonValue.Create(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(2))),
        };

        Assert.Equal(3.5m, Expression.Parse("n + 1").Evaluate(data, Now, Helsinki)!.GetValue<decimal>());
        Assert.Equal(8m, Expression.Parse("i + 1").Evaluate(data, Now, Helsinki)!.GetValue<decimal>());
        Assert.Equal("xy", Expression.Parse("s + 'y'").Evaluate(data, Now, Helsinki)!.GetValue<string>());
        Assert.True(Expression.Parse("at < now").EvaluateCondition(data, Now, Helsinki));
    }

    [Fact]
    public void Evaluate_NumberInDataTooLarge_ThrowsEvaluationError()
    {
        var data = JsonNode.Parse("""{ "big": 1e400 }""")!.AsObject();

        Assert.Contains("too large", EvaluationError("big + 1", data).Message, StringComparison.Ordinal);
    }

    // --- operators ------------------------------------------------------------------------------

    [Theory]
    [InlineData("1 == 1", true)]
    [InlineData("1 == 1.0", true)]
    [InlineData("1 != 2", true)]
    [InlineData("'a' == 'a'", true)]
    [InlineData("'a' == 'A'", false)]
    [InlineData("null == null", true)]
    [InlineData("missing == null", true)]
    [InlineData("null == 0", false)]
    [InlineData("null != 'x'", true)]
    [InlineData("1 == '1'", false)]
    [InlineData("true == 'true'", false)]
    [InlineData("flag == true", true)]
    [InlineData("now == '2026-03-10T10:00:00Z'", true)]
    [InlineData("'2026-03-10T12:00:00+02:00' == now", true)]
    [InlineData("now == 'not a time'", false)]
    [InlineData("now == now", true)]
    [InlineData("duration('P1W') == duration('P7D')", true)]
    [InlineData("tags == tags", true)]
    [InlineData("forms == forms", true)]
    [InlineData("tags == name", false)]
    public void Evaluate_Equality_ComparesAnyPair(string text, bool expected)
    {
        Assert.Equal(expected, Condition(text));
    }

    [Theory]
    [InlineData("1 < 2", true)]
    [InlineData("2 <= 2", true)]
    [InlineData("3 > 2.5", true)]
    [InlineData("2 >= 3", false)]
    [InlineData("score > 2", true)]
    [InlineData("'B' < 'a'", true)]
    [InlineData("'abc' < 'abd'", true)]
    [InlineData("'b' >= 'a'", true)]
    [InlineData("forms['exit-form'].completedAt < now", true)]
    [InlineData("now > forms['exit-form'].completedAt", true)]
    [InlineData("now < '2026-03-11'", true)]
    [InlineData("now >= '2026-03-10'", true)]
    [InlineData("time('2026-03-10') <= now", true)]
    [InlineData("now > now", false)]
    public void Evaluate_Ordering_ComparesNumbersStringsAndTimes(string text, bool expected)
    {
        Assert.Equal(expected, Condition(text));
    }

    [Fact]
    public void Evaluate_CompareNullWithTime_ThrowsNamingTheExpressionPart()
    {
        var error = EvaluationError("forms.x.completedAt < now");

        Assert.Equal("cannot compare null with a time in `forms.x.completedAt < now`", error.Message);
    }

    [Theory]
    [InlineData("1 < '2'", "cannot compare a number with a string")]
    [InlineData("true > false", "cannot compare a true/false value with a true/false value")]
    [InlineData("null < 1", "cannot compare null with a number")]
    [InlineData("tags < tags", "cannot compare a list with a list")]
    [InlineData("duration('P1D') < duration('P2D')", "cannot compare a duration with a duration")]
    [InlineData("now < 'soon'", "which is not an ISO 8601 date or date-time")]
    public void Evaluate_OrderingIncomparable_Throws(string text, string message)
    {
        Assert.Contains(message, EvaluationError(text).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'a' in ['a', 'b']", true)]
    [InlineData("'c' in ['a', 'b']", false)]
    [InlineData("2 in [1, 1 + 1]", true)]
    [InlineData("'a' in tags", true)]
    [InlineData("'z' in tags", false)]
    [InlineData("'a' in missing", false)]
    [InlineData("null in [null]", true)]
    [InlineData("'x' in []", false)]
    [InlineData("now in ['2026-03-10T10:00:00Z']", true)]
    [InlineData("forms['exit-form'].answers.status in ['employed', 'entrepreneur']", true)]
    public void Evaluate_In_LooksForAnEqualElement(string text, bool expected)
    {
        Assert.Equal(expected, Condition(text));
    }

    [Fact]
    public void Evaluate_InWithoutList_Throws()
    {
        Assert.Contains("'in' needs a list on its right, but `name` gave a string", EvaluationError("'A' in name").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1 + 2", 3)]
    [InlineData("2.5 - 1", 1.5)]
    [InlineData("1 - 2", -1)]
    [InlineData("10 - 2 - 3", 5)]
    [InlineData("-score + 3", 0.5)]
    [InlineData("-(1 + 2)", -3)]
    [InlineData("- -2", 2)]
    [InlineData("forms['exit-form'].answers.hours + 0.5", 30.5)]
    public void Evaluate_Arithmetic_UsesDecimals(string text, double expected)
    {
        Assert.Equal((decimal)expected, Number(text));
    }

    [Fact]
    public void Evaluate_DecimalArithmetic_IsExact()
    {
        Assert.True(Condition("0.1 + 0.2 == 0.3"));
    }

    [Fact]
    public void Evaluate_StringPlusString_Concatenates()
    {
        Assert.Equal("Hei Aino", Text("'Hei ' + name"));
    }

    [Theory]
    [InlineData("1 + 'a'", "cannot add a string to a number in `1 + 'a'`")]
    [InlineData("name + 1", "cannot add a number to a string")]
    [InlineData("1 + missing", "cannot add null to a number")]
    [InlineData("now + 1", "cannot add a number to a time")]
    [InlineData("duration('P1D') + duration('P1D')", "cannot add a duration to a duration")]
    [InlineData("'a' - 'a'", "cannot subtract a string from a string")]
    [InlineData("duration('P1D') - now", "cannot subtract a time from a duration")]
    [InlineData("now - now", "use daysBetween(a, b)")]
    [InlineData("-name", "only a number can be negated, but `name` gave a string")]
    [InlineData("79228162514264337593543950335 + 1", "the number is too large")]
    [InlineData("-79228162514264337593543950335 - 1", "the number is too large")]
    public void Evaluate_ArithmeticOnWrongKinds_Throws(string text, string message)
    {
        Assert.Contains(message, EvaluationError(text).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_StringGrowingBeyondLimit_Throws()
    {
        var data = new JsonObject { ["big"] = new string('x', 60_000) };

        Assert.Contains("longer than 100000 characters", EvaluationError("big + big", data).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true and true", true)]
    [InlineData("true and false", false)]
    [InlineData("true && true", true)]
    [InlineData("false or true", true)]
    [InlineData("false || false", false)]
    [InlineData("not true", false)]
    [InlineData("!false", true)]
    [InlineData("not not true", true)]
    [InlineData("true and true and false", false)]
    [InlineData("false or false or true", true)]
    public void Evaluate_Logic_CombinesBooleans(string text, bool expected)
    {
        Assert.Equal(expected, Condition(text));
    }

    [Theory]
    [InlineData("1 + 2 == 3 and not false", true)]
    [InlineData("not 1 == 2", true)]
    [InlineData("!1 == 2", true)]
    [InlineData("true or false and false", true)]
    [InlineData("(true or false) and false", false)]
    [InlineData("false and true or true", true)]
    [InlineData("false and (true or true)", false)]
    [InlineData("-2 + 3 == 1", true)]
    [InlineData("'a' + 'b' in ['ab']", true)]
    [InlineData("not 'x' in tags", true)]
    public void Evaluate_Precedence_FollowsTheGrammar(string text, bool expected)
    {
        Assert.Equal(expected, Condition(text));
    }

    [Theory]
    [InlineData("false and missing.x > 1", false)]
    [InlineData("true or missing.x > 1", true)]
    [InlineData("false && null", false)]
    [InlineData("true || 'not a boolean'", true)]
    [InlineData("exists(forms.x) and forms.x.completedAt < now", false)]
    public void Evaluate_AndOr_ShortCircuit(string text, bool expected)
    {
        Assert.Equal(expected, Condition(text));
    }

    [Theory]
    [InlineData("missing and true", "'and' needs true or false on both sides, but `missing` gave null in `missing and true`")]
    [InlineData("true and 1", "'and' needs true or false on both sides, but `1` gave a number")]
    [InlineData("false or name", "'or' needs true or false on both sides, but `name` gave a string")]
    [InlineData("not missing", "'not' needs true or false, but `missing` gave null")]
    public void Evaluate_LogicOnNonBooleans_ThrowsNamingThePart(string text, string message)
    {
        Assert.Contains(message, EvaluationError(text).Message, StringComparison.Ordinal);
    }

    // --- functions ------------------------------------------------------------------------------

    [Theory]
    [InlineData("exists(name)", true)]
    [InlineData("exists(missing.a)", false)]
    [InlineData("exists(nothing)", false)]
    [InlineData("exists(false)", true)]
    public void Evaluate_Exists_IsTrueForNonNull(string text, bool expected)
    {
        Assert.Equal(expected, Condition(text));
    }

    [Fact]
    public void Evaluate_Duration_ReturnsIsoText()
    {
        Assert.Equal("P6M", Text("duration('P6M')"));
        Assert.Equal("P7D", Text("duration('P1W')"));
    }

    [Fact]
    public void Evaluate_DurationOfBadData_ThrowsEvaluationError()
    {
        var error = EvaluationError("duration(name)");

        Assert.Contains("'Aino' is not an ISO 8601 duration", error.Message, StringComparison.Ordinal);
        Assert.Contains("in `duration(name)`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_DurationOfNumber_Throws()
    {
        Assert.Contains("duration() needs an ISO 8601 duration string", EvaluationError("duration(3)").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("time('2026-03-01')", "2026-03-01T00:00:00.0000000+02:00")]
    [InlineData("time('2026-07-01')", "2026-07-01T00:00:00.0000000+03:00")]
    [InlineData("time('2026-07-01T09:30')", "2026-07-01T09:30:00.0000000+03:00")]
    [InlineData("time('2026-07-01T09:30:15')", "2026-07-01T09:30:15.0000000+03:00")]
    [InlineData("time('2026-07-01T09:30:15.25Z')", "2026-07-01T09:30:15.2500000+00:00")]
    [InlineData("time('2026-07-01T09:30:15+05:30')", "2026-07-01T09:30:15.0000000+05:30")]
    [InlineData("time(now)", "2026-03-10T12:00:00.0000000+02:00")]
    [InlineData("time(forms['exit-form'].completedAt)", "2026-03-01T10:00:00.0000000+02:00")]
    public void Evaluate_Time_ReadsIsoDatesAndDateTimes(string text, string expected)
    {
        Assert.Equal(expected, Text(text));
    }

    [Theory]
    [InlineData("time('yesterday')", "time() needs an ISO 8601 date or date-time, but `'yesterday'` is 'yesterday'")]
    [InlineData("time('03/01/2026')", "needs an ISO 8601 date or date-time")]
    [InlineData("time('2026-02-30')", "needs an ISO 8601 date or date-time")]
    [InlineData("time(missing)", "time() needs a time or an ISO 8601 date or date-time, but `missing` gave null")]
    [InlineData("time(3)", "but `3` gave a number")]
    public void Evaluate_TimeOfNonTime_Throws(string text, string message)
    {
        Assert.Contains(message, EvaluationError(text).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("date(now)", "2026-03-10")]
    [InlineData("date('2026-03-10T23:30:00Z')", "2026-03-11")]
    [InlineData("date('2026-03-10')", "2026-03-10")]
    public void Evaluate_Date_IsTheLocalDate(string text, string expected)
    {
        Assert.Equal(expected, Text(text));
    }

    [Theory]
    [InlineData("daysBetween('2026-03-01', '2026-03-10')", 9)]
    [InlineData("daysBetween(now, '2026-03-01')", -9)]
    [InlineData("daysBetween('2027-03-27T23:30', '2027-03-28T00:30')", 1)]
    [InlineData("daysBetween('2026-03-10T21:59:00Z', '2026-03-10T22:01:00Z')", 1)]
    [InlineData("daysBetween(forms['exit-form'].completedAt, now)", 9)]
    public void Evaluate_DaysBetween_CountsLocalCalendarDays(string text, int expected)
    {
        Assert.Equal(expected, Number(text));
    }

    [Theory]
    [InlineData("coalesce(missing, 'x')", "x")]
    [InlineData("coalesce(name, 'x')", "Aino")]
    [InlineData("coalesce(name, missing.x + 1)", "Aino")]
    [InlineData("lower('ÄITI')", "äiti")]
    [InlineData("upper(name)", "AINO")]
    public void Evaluate_TextFunctions_ReturnStrings(string text, string expected)
    {
        Assert.Equal(expected, Text(text));
    }

    [Fact]
    public void Evaluate_LowerOfNull_ReturnsNull()
    {
        Assert.Null(Evaluate("lower(missing)"));
    }

    [Fact]
    public void Evaluate_UpperOfNumber_Throws()
    {
        Assert.Contains("upper() needs a string, but `score` gave a number", EvaluationError("upper(score)").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("count(tags)", 2)]
    [InlineData("count(missing)", 0)]
    [InlineData("count(forms.nope)", 0)]
    public void Evaluate_Count_CountsArrayElements(string text, int expected)
    {
        Assert.Equal(expected, Number(text));
    }

    [Fact]
    public void Evaluate_CountOfString_Throws()
    {
        Assert.Contains("count() needs a list, but `name` gave a string", EvaluationError("count(name)").Message, StringComparison.Ordinal);
    }

    // --- times across daylight saving -------------------------------------------------------------

    [Fact]
    public void EvaluateTime_WaitUntilSixMonthsAfterLeaving_LandsOnLastDayOfFebruary()
    {
        var until = Time("time(events['participant-left'].leftAt) + duration('P6M')");

        Assert.Equal(At(2027, 2, 28, 12, 0, 2), until);
        Assert.Equal(TimeSpan.FromHours(2), until.Offset);
    }

    [Fact]
    public void EvaluateTime_OneDayOverSpringForward_KeepsWallClock()
    {
        var start = At(2027, 3, 27, 12, 0, 2);

        var end = Time("time('2027-03-27T12:00') + duration('P1D')");

        Assert.Equal(At(2027, 3, 28, 12, 0, 3), end);
        Assert.Equal(TimeSpan.FromHours(23), end - start);
    }

    [Fact]
    public void EvaluateTime_HoursOverSpringForward_AreElapsedTime()
    {
        Assert.Equal(At(2027, 3, 28, 13, 0, 3), Time("duration('PT24H') + time('2027-03-27T12:00')"));
    }

    [Fact]
    public void EvaluateTime_OneDayOverFallBack_Elapses25Hours()
    {
        var end = Time("time('2026-10-24T12:00') + duration('P1D')");

        Assert.Equal(At(2026, 10, 25, 12, 0, 2), end);
        Assert.Equal(TimeSpan.FromHours(25), end - At(2026, 10, 24, 12, 0, 3));
    }

    [Fact]
    public void EvaluateTime_SubtractDayOverSpringForward_KeepsWallClock()
    {
        Assert.Equal(At(2027, 3, 27, 12, 0, 2), Time("time('2027-03-28T12:00') - duration('P1D')"));
    }

    [Fact]
    public void EvaluateTime_SubtractMonths_UsesCalendarMonths()
    {
        Assert.Equal(At(2026, 2, 28, 12, 0, 2), Time("time('2026-03-31T12:00') - duration('P1M')"));
        Assert.Equal(At(2026, 3, 10, 11, 30, 2), Time("now - duration('PT30M')"));
    }

    [Fact]
    public void EvaluateTime_BeyondTheCalendar_ThrowsEvaluationError()
    {
        var error = Assert.Throws<ExpressionEvaluationException>(() => Time("time('9999-12-31') + duration('P1Y')"));

        Assert.Contains("outside the calendar", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluateTime_IsoStringResult_ReadsIt()
    {
        Assert.Equal(At(2026, 3, 1, 10, 0, 2), Time("forms['exit-form'].completedAt"));
        Assert.Equal(At(2026, 3, 1, 0, 0, 2), Time("'2026-03-01'"));
    }

    [Theory]
    [InlineData("1 + 1", "`1 + 1` gave a number, not a time")]
    [InlineData("name", "`name` gave a string, not a time")]
    [InlineData("missing", "`missing` gave null, not a time")]
    public void EvaluateTime_NotATime_Throws(string text, string message)
    {
        var error = Assert.Throws<ExpressionEvaluationException>(() => Time(text));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    // --- conditions -----------------------------------------------------------------------------

    [Fact]
    public void EvaluateCondition_WorkflowChoice_IsTrue()
    {
        Assert.True(Condition("forms['exit-form'].answers.status == 'employed'"));
    }

    [Theory]
    [InlineData("1 + 1", "`1 + 1` gave a number, not true or false")]
    [InlineData("missing", "`missing` gave null, not true or false")]
    [InlineData("now", "`now` gave a time, not true or false")]
    public void EvaluateCondition_NotBoolean_Throws(string text, string message)
    {
        var error = Assert.Throws<ExpressionEvaluationException>(() => Condition(text));

        Assert.Equal(message, error.Message);
    }

    // --- safety ---------------------------------------------------------------------------------

    [Fact]
    public void Evaluate_ManyThreadsOnOneExpression_AgreeWithEachOther()
    {
        var expression = Expression.Parse("coalesce(n, 0) + 1 > 100 and date(now) == '2026-03-10'");
        var results = new bool[2000];

        Parallel.For(0, results.Length, i =>
        {
            var data = new JsonObject { ["n"] = i };
            results[i] = expression.EvaluateCondition(data, Now, Helsinki);
        });

        Assert.Equal(Enumerable.Range(0, results.Length).Select(i => i + 1 > 100), results);
    }

    [Theory]
    [InlineData("((a)")]
    [InlineData("a))")]
    [InlineData("[[[[")]
    [InlineData("]]]]")]
    [InlineData("'''")]
    [InlineData("\"")]
    [InlineData("a.b.")]
    [InlineData("a[")]
    [InlineData("a['x'")]
    [InlineData("\0")]
    [InlineData("a == `rm`")]
    [InlineData("a;b")]
    [InlineData("a => b")]
    [InlineData("${a}")]
    [InlineData("{ }")]
    [InlineData("a ? b : c")]
    [InlineData("1 + 2 * 3")]
    [InlineData("import('fs')")]
    [InlineData("System.IO.File.Delete('x')()")]
    public void Parse_HostileInput_ThrowsSyntaxError(string text)
    {
        Assert.Throws<ExpressionSyntaxException>(() => Expression.Parse(text));
    }

    [Fact]
    public void Evaluate_RandomExpressions_ThrowOnlyExpressionExceptions()
    {
        var random = new Random(20260310);
        var data = Data();
        string[] atoms =
        [
            "1", "2.5", "0", "-3", "'a'", "\"b\"", "true", "false", "null", "now", "name", "score", "flag", "tags", "missing.x",
            "forms['exit-form'].answers.hours", "forms['exit-form'].completedAt", "tags[0]", "tags[9]", "nothing",
            "duration('P1D')", "duration('PT1H')", "time('2026-03-29T03:30')", "'2026-03-01'", "79228162514264337593543950335",
        ];
        string[] binary = [" + ", " - ", " == ", " != ", " < ", " <= ", " > ", " >= ", " and ", " or ", " && ", " || ", " in "];
        string[] unary = ["not ", "!", "-"];
        string[] functions = ["exists", "time", "date", "lower", "upper", "count", "duration"];
        string[] junk = ["(", ")", "[", "]", "'", ".", ",", "=", "&", "|", "#", "\\", "in", "and", "@", "\"", "..", "()"];

        string Generate(int depth)
        {
            var choice = depth > 5 ? 0 : random.Next(8);
            return choice switch
            {
                0 or 1 => atoms[random.Next(atoms.Length)],
                2 or 3 => Generate(depth + 1) + binary[random.Next(binary.Length)] + Generate(depth + 1),
                4 => unary[random.Next(unary.Length)] + Generate(depth + 1),
                5 => "(" + Generate(depth + 1) + ")",
                6 => functions[random.Next(functions.Length)] + "(" + Generate(depth + 1) + ")",
                _ => random.Next(2) == 0
                    ? "daysBetween(" + Generate(depth + 1) + ", " + Generate(depth + 1) + ")"
                    : "coalesce(" + Generate(depth + 1) + ", " + Generate(depth + 1) + ")",
            };
        }

        string Mangle(string text)
        {
            var builder = new StringBuilder(text);
            var edits = random.Next(3);
            for (var i = 0; i < edits; i++)
            {
                var at = random.Next(builder.Length + 1);
                if (random.Next(2) == 0 && at < builder.Length)
                {
                    builder.Remove(at, 1);
                }
                else
                {
                    builder.Insert(at, junk[random.Next(junk.Length)]);
                }
            }

            return builder.ToString();
        }

        var parsed = 0;
        for (var i = 0; i < 3000; i++)
        {
            var text = Generate(0);
            if (i % 3 == 0)
            {
                text = Mangle(text);
            }

            Expression expression;
            try
            {
                expression = Expression.Parse(text);
            }
            catch (ExpressionSyntaxException error)
            {
                Assert.InRange(error.Position, 0, text.Length);
                continue;
            }

            parsed++;
            foreach (var evaluate in new Action[]
            {
                () => expression.Evaluate(data, Now, Helsinki),
                () => expression.EvaluateCondition(data, Now, Helsinki),
                () => expression.EvaluateTime(data, Now, Helsinki),
            })
            {
                try
                {
                    evaluate();
                }
                catch (ExpressionEvaluationException)
                {
                    // The only failure allowed.
                }
            }
        }

        Assert.True(parsed > 1000, string.Create(CultureInfo.InvariantCulture, $"only {parsed} of 3000 generated expressions parsed"));
    }
}
