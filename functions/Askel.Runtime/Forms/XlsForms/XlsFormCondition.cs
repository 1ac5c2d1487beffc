using System.Globalization;
using System.Text;
using Askel.Runtime.Expressions;

namespace Askel.Runtime.Forms.XlsForms;

/// <summary>
/// The conditions both languages can say: an answer compared with a literal, an option being chosen, and
/// <c>and</c>, <c>or</c>, <c>not</c>. XLSForm's <c>relevant</c> and Askel's <c>showIf</c> are parsed into it
/// and printed from it.
/// </summary>
internal abstract record Condition
{
    /// <summary><c>${q} = 'x'</c> / <c>answers.q == 'x'</c>; <see cref="Op"/> is Askel's operator.</summary>
    public sealed record Compare(string Question, string Op, Literal Value) : Condition;

    /// <summary><c>selected(${q}, 'x')</c>; for a multiple choice <c>'x' in answers.q</c>.</summary>
    public sealed record Selected(string Question, string Value) : Condition;

    /// <summary>Both.</summary>
    public sealed record And(Condition Left, Condition Right) : Condition;

    /// <summary>Either.</summary>
    public sealed record Or(Condition Left, Condition Right) : Condition;

    /// <summary>Not.</summary>
    public sealed record Not(Condition Operand) : Condition;

    /// <summary>Every question the condition reads.</summary>
    public IEnumerable<string> Questions() => this switch
    {
        Compare c => [c.Question],
        Selected s => [s.Question],
        And a => a.Left.Questions().Concat(a.Right.Questions()),
        Or o => o.Left.Questions().Concat(o.Right.Questions()),
        Not n => n.Operand.Questions(),
        _ => [],
    };
}

/// <summary>A string or a number as written.</summary>
internal sealed record Literal(string Text, bool IsString);

/// <summary>Why a condition cannot be translated.</summary>
internal sealed class ConditionException(string message) : Exception(message);

/// <summary>Parses and prints <see cref="Condition"/>s in XLSForm's and Askel's syntax.</summary>
internal static class Conditions
{
    // XLSForm's comparisons but '=' (read below as equality), longest first.
    private static readonly string[] Comparisons = ["!=", "<=", ">=", "<", ">"];

    /// <summary>Reads an XLSForm <c>relevant</c> expression.</summary>
    /// <exception cref="ConditionException">It uses something outside the supported subset.</exception>
    public static Condition ParseXlsForm(string text) => new Parser(Tokenize(Bounded(text))).Parse();

    /// <summary>
    /// An Askel <c>showIf</c> expression, when it is within the subset XLSForm can say: read by Askel's own parser and
    /// walked in its outline, so that there is one grammar of Askel's expressions.
    /// </summary>
    /// <exception cref="ConditionException">It is not within the subset, or not an expression.</exception>
    public static Condition FromAskel(string text)
    {
        Expression expression;
        try
        {
            expression = Expression.Parse(text);
        }
        catch (ExpressionSyntaxException e)
        {
            throw new ConditionException(e.Message);
        }

        return FromTerm(expression.Outline);
    }

    private static Condition FromTerm(Term term) => term switch
    {
        LogicalTerm logical => logical.Operands.Select(FromTerm).Aggregate((left, right) => logical.IsAnd ? new Condition.And(left, right) : new Condition.Or(left, right)),
        NotTerm not => new Condition.Not(FromTerm(not.Operand)),
        ComparisonTerm { Left: var left, Right: var right } compare when AnswerOf(left) is { } question && LiteralOf(right) is { } value =>
            new Condition.Compare(question, Operators[compare.Comparison], value),
        InTerm { Item: var item, List: var list } when LiteralOf(item) is { IsString: true } option && AnswerOf(list) is { } question =>
            new Condition.Selected(question, option.Text),
        _ => throw new ConditionException("only answers compared with a text or a number, 'option' in answers.name, and, or and not can be said in XLSForm"),
    };

    private static readonly Dictionary<Comparison, string> Operators = new()
    {
        [Comparison.Equal] = "==", [Comparison.NotEqual] = "!=", [Comparison.Less] = "<",
        [Comparison.LessOrEqual] = "<=", [Comparison.Greater] = ">", [Comparison.GreaterOrEqual] = ">=",
    };

    // answers.name: a form's own answer.
    private static string? AnswerOf(Term term) => term is PathTerm { Names: ["answers", var question] } ? question : null;

    private static Literal? LiteralOf(Term term) => term is LiteralTerm { Value: { } value } && value.GetValueKind() is var kind
        ? kind switch
        {
            System.Text.Json.JsonValueKind.String => new Literal(value.GetValue<string>(), IsString: true),
            System.Text.Json.JsonValueKind.Number => new Literal(value.ToJsonString(), IsString: false),
            _ => null,
        }
        : null;

    // As long as Askel's own expressions may be: a hostile cell cannot make the parser or the walks over its tree run deep.
    private static string Bounded(string text) =>
        text.Length <= Expressions.Parser.MaxLength
            ? text
            : throw new ConditionException($"the condition is {text.Length} characters long; at most {Expressions.Parser.MaxLength} are allowed");

    /// <summary>XLSForm syntax: <c>${q} = 'x' and selected(${r}, 'y')</c>.</summary>
    public static string ToXlsForm(Condition condition) => condition switch
    {
        Condition.Compare c => $"${{{c.Question}}} {(c.Op == "==" ? "=" : c.Op)} {XlsLiteral(c.Value)}",
        Condition.Selected s => $"selected(${{{s.Question}}}, {XlsLiteral(new(s.Value, true))})",
        Condition.And a => $"{Grouped(a.Left, ToXlsForm, a)} and {Grouped(a.Right, ToXlsForm, a)}",
        Condition.Or o => $"{Grouped(o.Left, ToXlsForm, o)} or {Grouped(o.Right, ToXlsForm, o)}",
        Condition.Not n => $"not({ToXlsForm(n.Operand)})",
        _ => throw new ConditionException("unknown condition"),
    };

    /// <summary>Askel syntax; <paramref name="isMultiple"/> tells which questions take several options.</summary>
    public static string ToAskel(Condition condition, Func<string, bool> isMultiple) => condition switch
    {
        Condition.Compare c => $"answers.{c.Question} {c.Op} {AskelLiteral(c.Value)}",
        Condition.Selected s when isMultiple(s.Question) => $"{AskelLiteral(new(s.Value, true))} in answers.{s.Question}",
        Condition.Selected s => $"answers.{s.Question} == {AskelLiteral(new(s.Value, true))}",
        Condition.And a => $"{Grouped(a.Left, c => ToAskel(c, isMultiple), a)} and {Grouped(a.Right, c => ToAskel(c, isMultiple), a)}",
        Condition.Or o => $"{Grouped(o.Left, c => ToAskel(c, isMultiple), o)} or {Grouped(o.Right, c => ToAskel(c, isMultiple), o)}",
        Condition.Not n => $"not ({ToAskel(n.Operand, isMultiple)})",
        _ => throw new ConditionException("unknown condition"),
    };

    // 'and' binds tighter than 'or': an 'or' inside an 'and', and any nested operand on the right, is bracketed.
    private static string Grouped(Condition inner, Func<Condition, string> print, Condition outer) =>
        inner is Condition.Or && outer is Condition.And ? $"({print(inner)})" : print(inner);

    private static string XlsLiteral(Literal value) =>
        !value.IsString ? value.Text
        : value.Text.Contains('\'', StringComparison.Ordinal) ? $"\"{value.Text}\""
        : $"'{value.Text}'";

    private static string AskelLiteral(Literal value) =>
        value.IsString ? "'" + value.Text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'" : value.Text;

    private enum Kind
    {
        Answer,
        String,
        Number,
        Word,
        Operator,
        Open,
        Close,
        Comma,
        End,
    }

    private readonly record struct Token(Kind Kind, string Text);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var end = text.IndexOf('}', i);
                if (end < 0)
                {
                    throw new ConditionException("'${' has no closing '}'");
                }

                tokens.Add(new(Kind.Answer, text[(i + 2)..end].Trim()));
                i = end + 1;
            }
            else if (c is '\'' or '"')
            {
                var value = new StringBuilder();
                var j = i + 1;
                while (j < text.Length && text[j] != c)
                {
                    value.Append(text[j++]); // XLSForm strings have no escapes
                }

                if (j >= text.Length)
                {
                    throw new ConditionException("a text in quotes is not closed");
                }

                tokens.Add(new(Kind.String, value.ToString()));
                i = j + 1;
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]) && (tokens.Count == 0 || tokens[^1].Kind == Kind.Operator)))
            {
                var j = i + 1;
                while (j < text.Length && (char.IsAsciiDigit(text[j]) || text[j] == '.'))
                {
                    j++;
                }

                var number = text[i..j];
                if (!decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
                {
                    throw new ConditionException($"'{number}' is not a number");
                }

                tokens.Add(new(Kind.Number, number));
                i = j;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var j = i;
                while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] is '_' or '-'))
                {
                    j++;
                }

                tokens.Add(new(Kind.Word, text[i..j]));
                i = j;
            }
            else if (Comparisons.FirstOrDefault(o => string.CompareOrdinal(text, i, o, 0, o.Length) == 0) is { } op)
            {
                tokens.Add(new(Kind.Operator, op));
                i += op.Length;
            }
            else if (c == '=')
            {
                tokens.Add(new(Kind.Operator, "=="));
                i++;
            }
            else
            {
                tokens.Add(c switch
                {
                    '(' => new(Kind.Open, "("),
                    ')' => new(Kind.Close, ")"),
                    ',' => new(Kind.Comma, ","),
                    _ => throw new ConditionException($"'{c}' is not supported"),
                });
                i++;
            }
        }

        tokens.Add(new(Kind.End, ""));
        return tokens;
    }

    private sealed class Parser(List<Token> tokens)
    {
        private int _position;
        private int _depth;

        private Token Current => tokens[_position];

        public Condition Parse()
        {
            var condition = Or();
            if (Current.Kind != Kind.End)
            {
                throw new ConditionException($"'{Current.Text}' is not expected here");
            }

            return condition;
        }

        private Condition Or()
        {
            var left = And();
            while (IsWord("or"))
            {
                _position++;
                left = new Condition.Or(left, And());
            }

            return left;
        }

        private Condition And()
        {
            var left = Unary();
            while (IsWord("and"))
            {
                _position++;
                left = new Condition.And(left, Unary());
            }

            return left;
        }

        private Condition Unary()
        {
            if (IsWord("not"))
            {
                _position++;
                return new Condition.Not(Bracketed()); // XLSForm's not is a function: not(…)
            }

            if (Current.Kind == Kind.Open)
            {
                return Bracketed();
            }

            if (IsWord("selected"))
            {
                _position++;
                Expect(Kind.Open, "'(' after selected");
                var question = Answer();
                Expect(Kind.Comma, "',' between the question and the option");
                var value = Expect(Kind.String, "the option's name in quotes");
                Expect(Kind.Close, "')'");
                return new Condition.Selected(question, value.Text);
            }

            var name = Answer();
            var op = Expect(Kind.Operator, "a comparison (=, !=, <, <=, >, >=)").Text;
            var literal = Current.Kind switch
            {
                Kind.String => new Literal(Current.Text, true),
                Kind.Number => new Literal(Current.Text, false),
                _ => throw new ConditionException($"a question can only be compared with a text in quotes or a number, not '{Current.Text}'"),
            };
            if (literal is { IsString: true, Text: "" })
            {
                throw new ConditionException("comparing with '' (not answered) is not supported");
            }

            _position++;
            return new Condition.Compare(name, op, literal);
        }

        private Condition Bracketed()
        {
            Expect(Kind.Open, "'('");
            if (++_depth > Expressions.Parser.MaxDepth)
            {
                throw new ConditionException($"brackets are nested more than {Expressions.Parser.MaxDepth} deep");
            }

            var inner = Or();
            _depth--;
            Expect(Kind.Close, "')'");
            return inner;
        }

        private string Answer()
        {
            if (Current.Kind == Kind.Answer)
            {
                return tokens[_position++].Text;
            }

            throw new ConditionException(Current.Kind switch
            {
                Kind.Word => $"'{Current.Text}' is not supported",
                Kind.End => "the condition ends too early",
                _ => $"'{Current.Text}' is not expected here; a condition starts from a question (${{name}})",
            });
        }

        private Token Expect(Kind kind, string what)
        {
            if (Current.Kind != kind)
            {
                throw new ConditionException($"expected {what}, found {(Current.Kind == Kind.End ? "the end" : $"'{Current.Text}'")}");
            }

            return tokens[_position++];
        }

        private bool IsWord(string word) => Current.Kind == Kind.Word && Current.Text == word;
    }
}
