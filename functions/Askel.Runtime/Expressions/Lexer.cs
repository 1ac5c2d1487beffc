using System.Globalization;
using System.Text;

namespace Askel.Runtime.Expressions;

/// <summary>What a token is.</summary>
internal enum TokenKind
{
    End,
    Number,
    String,
    Identifier,
    True,
    False,
    Null,
    And,
    Or,
    Not,
    In,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    Dot,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Plus,
    Minus,
}

/// <summary>One token: its kind, where it starts and ends in the source, and its value for literals and names.</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int End, string? Text = null, decimal Number = 0m)
{
    /// <summary>How an error message names it.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.End => "end of expression",
        TokenKind.String => "string",
        TokenKind.Number => $"number {Number.ToString(CultureInfo.InvariantCulture)}",
        TokenKind.Identifier => $"'{Text}'",
        _ => $"'{Text}'",
    };
}

/// <summary>A hand-written tokenizer: one pass over the text, no regular expressions.</summary>
internal static class Lexer
{
    /// <summary>Splits <paramref name="text"/> into tokens, ending with <see cref="TokenKind.End"/>.</summary>
    /// <exception cref="ExpressionSyntaxException">A character or literal is not valid.</exception>
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, text.Length, text.Length));
                return tokens;
            }

            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (char.IsAsciiDigit(c))
            {
                tokens.Add(ReadNumber(text, ref i));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(ReadString(text, ref i));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                tokens.Add(ReadWord(text, ref i));
            }
            else
            {
                var (kind, length) = (c, next) switch
                {
                    ('=', '=') => (TokenKind.Equal, 2),
                    ('!', '=') => (TokenKind.NotEqual, 2),
                    ('<', '=') => (TokenKind.LessOrEqual, 2),
                    ('>', '=') => (TokenKind.GreaterOrEqual, 2),
                    ('&', '&') => (TokenKind.And, 2),
                    ('|', '|') => (TokenKind.Or, 2),
                    ('<', _) => (TokenKind.Less, 1),
                    ('>', _) => (TokenKind.Greater, 1),
                    ('!', _) => (TokenKind.Not, 1),
                    ('(', _) => (TokenKind.LeftParen, 1),
                    (')', _) => (TokenKind.RightParen, 1),
                    ('[', _) => (TokenKind.LeftBracket, 1),
                    (']', _) => (TokenKind.RightBracket, 1),
                    (',', _) => (TokenKind.Comma, 1),
                    ('.', _) => (TokenKind.Dot, 1),
                    ('+', _) => (TokenKind.Plus, 1),
                    ('-', _) => (TokenKind.Minus, 1),
                    ('=', _) => throw new ExpressionSyntaxException($"a single '=' at {i}: write '==' to compare", i),
                    ('&', _) => throw new ExpressionSyntaxException($"a single '&' at {i}: write '&&' or 'and'", i),
                    ('|', _) => throw new ExpressionSyntaxException($"a single '|' at {i}: write '||' or 'or'", i),
                    _ => throw new ExpressionSyntaxException($"unexpected character '{Printable(c)}' at {i}", i),
                };
                tokens.Add(new Token(kind, i, i + length, text.Substring(i, length)));
                i += length;
            }
        }
    }

    private static Token ReadNumber(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && (char.IsLetter(text[i]) || text[i] == '_'))
        {
            throw new ExpressionSyntaxException($"a number cannot run into a name: '{Printable(text[i])}' at {i}", i);
        }

        var digits = text[start..i];
        return decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            ? new Token(TokenKind.Number, start, i, digits, number)
            : throw new ExpressionSyntaxException($"number too large at {start}", start);
    }

    private static Token ReadString(string text, ref int i)
    {
        var start = i;
        var quote = text[i++];
        var value = new StringBuilder();
        while (i < text.Length)
        {
            var c = text[i];
            if (c == quote)
            {
                i++;
                return new Token(TokenKind.String, start, i, value.ToString());
            }

            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    break;
                }

                var escaped = text[i + 1];
                if (escaped is not ('\'' or '"' or '\\'))
                {
                    throw new ExpressionSyntaxException(
                        $"unknown escape '\\{Printable(escaped)}' at {i}: only \\', \\\" and \\\\ are allowed", i);
                }

                value.Append(escaped);
                i += 2;
                continue;
            }

            value.Append(c);
            i++;
        }

        throw new ExpressionSyntaxException($"unterminated string starting at {start}", start);
    }

    private static Token ReadWord(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }

        var word = text[start..i];
        var kind = word switch
        {
            "true" => TokenKind.True,
            "false" => TokenKind.False,
            "null" => TokenKind.Null,
            "and" => TokenKind.And,
            "or" => TokenKind.Or,
            "not" => TokenKind.Not,
            "in" => TokenKind.In,
            _ => TokenKind.Identifier,
        };
        return new Token(kind, start, i, word);
    }

    private static string Printable(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : new string(c, 1);
}
