namespace Askel.Runtime.Expressions;

/// <summary>
/// A recursive-descent parser over the tokens, one method per precedence level (low to high):
/// <c>or</c>, <c>and</c>, <c>not</c>, comparisons and <c>in</c>, <c>+ -</c>, unary minus, postfix
/// (<c>.name</c>, <c>[index]</c>), primary. Recursion only happens through nesting, which is capped
/// at <see cref="MaxDepth"/>; chains (<c>a + b + c</c>, <c>a.b.c</c>) are loops.
/// </summary>
internal sealed class Parser
{
    /// <summary>The longest expression accepted, in characters.</summary>
    public const int MaxLength = 2000;

    /// <summary>The deepest nesting of parentheses, brackets, calls and unary operators accepted.</summary>
    public const int MaxDepth = 64;

    private readonly List<Token> _tokens;
    private int _index;
    private int _depth;

    private Parser(List<Token> tokens) => _tokens = tokens;

    private Token Current => _tokens[_index];

    /// <summary>Parses a whole expression.</summary>
    /// <exception cref="ExpressionSyntaxException">It is not well formed.</exception>
    public static Node Parse(string text)
    {
        if (text.Length > MaxLength)
        {
            throw new ExpressionSyntaxException(
                $"the expression is {text.Length} characters long; at most {MaxLength} are allowed (too long at {MaxLength})", MaxLength);
        }

        var parser = new Parser(Lexer.Tokenize(text));
        if (parser.Current.Kind == TokenKind.End)
        {
            throw new ExpressionSyntaxException("the expression is empty (at 0)", 0);
        }

        var node = parser.ParseOr();
        return parser.Current.Kind == TokenKind.End ? node : throw Unexpected(parser.Current);
    }

    private Node ParseOr() => ParseLogical(TokenKind.Or, ParseAnd);

    private Node ParseAnd() => ParseLogical(TokenKind.And, ParseNot);

    private Node ParseLogical(TokenKind op, Func<Node> operand)
    {
        var first = operand();
        if (Current.Kind != op)
        {
            return first;
        }

        var operands = new List<Node> { first };
        while (Current.Kind == op)
        {
            Advance();
            operands.Add(operand());
        }

        return new LogicalNode(op == TokenKind.And, operands, first.Start, operands[^1].End);
    }

    private Node ParseNot()
    {
        if (Current.Kind != TokenKind.Not)
        {
            return ParseComparison();
        }

        var token = Enter();
        var operand = ParseNot();
        Exit();
        return new NotNode(operand, token.Start, operand.End);
    }

    private Node ParseComparison()
    {
        var left = ParseAdditive();
        Node node;
        if (IsComparison(Current.Kind))
        {
            var op = Advance();
            var right = ParseAdditive();
            node = new ComparisonNode(op.Kind, left, right, left.Start, right.End);
        }
        else if (Current.Kind == TokenKind.In)
        {
            Advance();
            var right = Current.Kind == TokenKind.LeftBracket ? ParseList() : ParseAdditive();
            node = new InNode(left, right, left.Start, right.End);
        }
        else
        {
            return left;
        }

        if (IsComparison(Current.Kind) || Current.Kind == TokenKind.In)
        {
            throw new ExpressionSyntaxException(
                $"comparisons cannot be chained: {Current.Describe()} at {Current.Start} follows another comparison; join them with 'and'",
                Current.Start);
        }

        return node;
    }

    private Node ParseList()
    {
        var open = Enter();
        var items = new List<Node>();
        if (Current.Kind != TokenKind.RightBracket)
        {
            items.Add(ParseOr());
            while (Current.Kind == TokenKind.Comma)
            {
                Advance();
                items.Add(ParseOr());
            }
        }

        var close = Expect(TokenKind.RightBracket, "']'");
        Exit();
        return new ListNode(items, open.Start, close.End);
    }

    private Node ParseAdditive()
    {
        var first = ParseUnary();
        if (Current.Kind is not (TokenKind.Plus or TokenKind.Minus))
        {
            return first;
        }

        var rest = new List<(bool Plus, Node Operand)>();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var plus = Advance().Kind == TokenKind.Plus;
            rest.Add((plus, ParseUnary()));
        }

        return new AdditiveNode(first, rest, first.Start, rest[^1].Operand.End);
    }

    private Node ParseUnary()
    {
        if (Current.Kind != TokenKind.Minus)
        {
            return ParsePostfix();
        }

        var token = Enter();
        var operand = ParseUnary();
        Exit();
        return new NegateNode(operand, token.Start, operand.End);
    }

    private Node ParsePostfix()
    {
        var root = ParsePrimary();
        var segments = new List<Segment>();
        while (true)
        {
            if (Current.Kind == TokenKind.Dot)
            {
                Advance();
                var name = Current;
                if (!IsWord(name))
                {
                    throw new ExpressionSyntaxException(
                        $"expected a field name after '.' but found {name.Describe()} at {name.Start}", name.Start);
                }

                Advance();
                segments.Add(new Segment(name.Text, null, name.End));
            }
            else if (Current.Kind == TokenKind.LeftBracket)
            {
                Enter();
                var index = ParseOr();
                var close = Expect(TokenKind.RightBracket, "']'");
                Exit();
                segments.Add(new Segment(null, index, close.End));
            }
            else
            {
                break;
            }
        }

        return segments.Count == 0 ? root : new PathNode(root, segments, root.Start, segments[^1].End);
    }

    private Node ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                return new LiteralNode(Value.Of(token.Number), token.Start, token.End);
            case TokenKind.String:
                Advance();
                return new LiteralNode(Value.Of(token.Text!), token.Start, token.End);
            case TokenKind.True or TokenKind.False:
                Advance();
                return new LiteralNode(Value.Of(token.Kind == TokenKind.True), token.Start, token.End);
            case TokenKind.Null:
                Advance();
                return new LiteralNode(Value.Null, token.Start, token.End);
            case TokenKind.LeftParen:
                Enter();
                var inner = ParseOr();
                Expect(TokenKind.RightParen, "')'");
                Exit();
                return inner;
            case TokenKind.LeftBracket:
                throw new ExpressionSyntaxException(
                    $"a list [...] can only follow 'in' (at {token.Start})", token.Start);
            case TokenKind.Identifier when _tokens[_index + 1].Kind == TokenKind.LeftParen:
                return ParseCall();
            case TokenKind.Identifier:
                Advance();
                return token.Text == "now"
                    ? new NowNode(token.Start, token.End)
                    : new NameNode(token.Text!, token.Start, token.End);
            default:
                throw Unexpected(token);
        }
    }

    private Node ParseCall()
    {
        var name = Advance();
        if (!Functions.TryFind(name.Text!, out var function, out var arity))
        {
            throw new ExpressionSyntaxException(
                $"unknown function '{name.Text}' at {name.Start}: the functions are exists, duration, time, date, daysBetween, coalesce, lower, upper, count",
                name.Start);
        }

        Enter();
        var arguments = new List<Node>();
        if (Current.Kind != TokenKind.RightParen)
        {
            arguments.Add(ParseOr());
            while (Current.Kind == TokenKind.Comma)
            {
                Advance();
                arguments.Add(ParseOr());
            }
        }

        var close = Expect(TokenKind.RightParen, "')'");
        Exit();
        if (arguments.Count != arity)
        {
            throw new ExpressionSyntaxException(
                $"function '{name.Text}' takes {arity} argument{(arity == 1 ? "" : "s")}, not {arguments.Count} (at {name.Start})",
                name.Start);
        }

        CallNode.Validate(name.Text!, arguments);
        return new CallNode(name.Text!, function, arguments, name.Start, close.End);
    }

    private Token Advance() => _tokens[Current.Kind == TokenKind.End ? _index : _index++];

    /// <summary>Consumes an opening token and goes one level deeper, failing beyond <see cref="MaxDepth"/>.</summary>
    private Token Enter()
    {
        var token = Current;
        if (++_depth > MaxDepth)
        {
            throw new ExpressionSyntaxException(
                $"the expression is nested more than {MaxDepth} levels deep at {token.Start}", token.Start);
        }

        return Advance();
    }

    private void Exit() => _depth--;

    private Token Expect(TokenKind kind, string what)
    {
        if (Current.Kind == kind)
        {
            return Advance();
        }

        throw Current.Kind == TokenKind.End
            ? new ExpressionSyntaxException($"missing {what} at {Current.Start}", Current.Start)
            : new ExpressionSyntaxException($"expected {what} but found {Current.Describe()} at {Current.Start}", Current.Start);
    }

    private static ExpressionSyntaxException Unexpected(Token token) =>
        new($"unexpected {token.Describe()} at {token.Start}", token.Start);

    private static bool IsComparison(TokenKind kind) =>
        kind is TokenKind.Equal or TokenKind.NotEqual or TokenKind.Less or TokenKind.LessOrEqual or TokenKind.Greater or TokenKind.GreaterOrEqual;

    private static bool IsWord(Token token) =>
        token.Kind is TokenKind.Identifier or TokenKind.True or TokenKind.False or TokenKind.Null
            or TokenKind.And or TokenKind.Or or TokenKind.Not or TokenKind.In
        && (char.IsLetter(token.Text![0]) || token.Text[0] == '_');
}
