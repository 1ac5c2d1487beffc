using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Askel.Runtime.Definitions;

/// <summary>A YAML node with its position; Askel's files use only maps, lists and text.</summary>
internal abstract class YamlNodeBase(Mark start)
{
    public Mark Start { get; } = start;

    public SourceLocation Location(string file) => new(file, (int)Start.Line, (int)Start.Column);
}

internal sealed class YamlText(Mark start, string value, ScalarStyle style) : YamlNodeBase(start)
{
    public string Value { get; } = value;

    public ScalarStyle Style { get; } = style;

    public bool IsPlain => Style is ScalarStyle.Plain or ScalarStyle.Any;

    public bool IsQuoted => Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;

    /// <summary>What an unquoted value would be in YAML's core schema, when it is not text (null, a boolean, a number).</summary>
    public string? NonTextKind => !IsPlain ? null
        : Value is "" or "~" or "null" or "Null" or "NULL" ? "empty"
        : Value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE" ? "a yes/no value (boolean)"
        : IsNumber(Value) ? "a number"
        : null;

    /// <summary>Where the text's first character is: one past the opening quote when quoted.</summary>
    public SourceLocation ContentLocation(string file) =>
        new(file, (int)Start.Line, (int)Start.Column + (IsQuoted ? 1 : 0));

    private static bool IsNumber(string value) =>
        System.Text.RegularExpressions.Regex.IsMatch(
            value,
            @"^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$",
            System.Text.RegularExpressions.RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1));
}

internal sealed class YamlMap(Mark start) : YamlNodeBase(start)
{
    public List<KeyValuePair<YamlText, YamlNodeBase>> Entries { get; } = [];

    public YamlNodeBase? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key).Value;

    public YamlText? KeyNode(string key) => Entries.FirstOrDefault(e => e.Key.Value == key).Key;
}

internal sealed class YamlList(Mark start) : YamlNodeBase(start)
{
    public List<YamlNodeBase> Items { get; } = [];
}

/// <summary>
/// Reads YAML text into <see cref="YamlNodeBase"/> nodes from YamlDotNet's event parser, so every node keeps
/// its line and column, and hostile input is refused early: anchors and aliases (no "billion laughs"
/// expansion is ever attempted), tags, several documents, deep nesting, huge files, duplicate keys.
/// </summary>
internal static class YamlTree
{
    /// <summary>The largest file read: 256 KiB.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>How deeply maps and lists may nest.</summary>
    public const int MaxDepth = 20;

    /// <summary>Reads <paramref name="source"/>; null (with errors added) when it cannot be read at all.</summary>
    public static YamlNodeBase? Read(string source, string file, List<DefinitionError> errors)
    {
        var bytes = Encoding.UTF8.GetByteCount(source);
        if (bytes > MaxBytes)
        {
            errors.Add(new(new(file, 1, 1), $"the file is too large ({bytes / 1024} KiB; at most {MaxBytes / 1024} KiB is read)", "split it into several workflows, or remove what is not needed"));
            return null;
        }

        var reader = new Reader(new Parser(new StringReader(source)), file, errors);
        try
        {
            return reader.ReadStream();
        }
        catch (Refused refused)
        {
            errors.Add(new(refused.Location, refused.Message, refused.Fix));
            return null;
        }
        catch (YamlException e)
        {
            errors.Add(new(
                new(file, (int)Math.Max(1, e.Start.Line), (int)Math.Max(1, e.Start.Column)),
                "this is not valid YAML: " + Describe(e),
                "check the indentation and quoting around here; text containing ': ' or starting with a special character needs \"quotes\""));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner can fail this way on some malformed text; point just after the last good part.
            var at = reader.LastGood;
            errors.Add(new(
                new(file, (int)Math.Max(1, at.Line), (int)Math.Max(1, at.Column)),
                "this is not valid YAML after this point",
                "check the indentation and quoting here; unclosed brackets { [ and quotes are the usual cause"));
            return null;
        }
    }

    private static string Describe(YamlException e)
    {
        // YamlDotNet prefixes messages with "(Line: 1, Col: 2, Idx: 1) - (Line: …): "; the location is already shown.
        var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return (cut >= 0 ? message[(cut + 3)..] : message).Trim().TrimEnd('.');
    }

    private sealed class Refused(SourceLocation location, string message, string fix) : Exception(message)
    {
        public SourceLocation Location { get; } = location;

        public string Fix { get; } = fix;
    }

    private sealed class Reader(Parser parser, string file, List<DefinitionError> errors)
    {
        public YamlNodeBase? ReadStream()
        {
            Expect<StreamStart>(Next());
            var first = Next();
            if (first is StreamEnd)
            {
                throw new Refused(new(file, 1, 1), "the file is empty", "start with 'workflow: <name>'");
            }

            Expect<DocumentStart>(first);
            var root = ReadNode(Next(), 1);
            Expect<DocumentEnd>(Next());
            var after = Next();
            if (after is DocumentStart)
            {
                throw new Refused(At(after.Start), "a file holds one document; a second one starts here ('---')", "remove the second document or move it to its own file");
            }

            return root;
        }

        /// <summary>The end of the last event read without trouble.</summary>
        public Mark LastGood { get; private set; } = Mark.Empty;

        private ParsingEvent Next()
        {
            if (!parser.MoveNext())
            {
                throw new YamlException(LastGood, LastGood, "unexpected end of the file");
            }

            LastGood = parser.Current!.End;
            return parser.Current;
        }

        private static void Expect<T>(ParsingEvent e)
            where T : ParsingEvent
        {
            if (e is not T)
            {
                throw new YamlException(e.Start, e.End, $"unexpected {e.GetType().Name}");
            }
        }

        private SourceLocation At(Mark mark) => new(file, (int)mark.Line, (int)mark.Column);

        private YamlNodeBase ReadNode(ParsingEvent e, int depth)
        {
            if (e is AnchorAlias alias)
            {
                throw new Refused(At(alias.Start), $"aliases (*{alias.Value}) are not allowed", "write the value out in full");
            }

            if (e is NodeEvent node)
            {
                if (!node.Anchor.IsEmpty)
                {
                    throw new Refused(At(node.Start), $"anchors (&{node.Anchor}) are not allowed", "remove the anchor and write values out in full");
                }

                if (!node.Tag.IsEmpty && !node.Tag.IsNonSpecific)
                {
                    throw new Refused(At(node.Start), $"tags ({node.Tag}) are not allowed", "remove the tag; put text in \"quotes\" if it must stay text");
                }
            }

            switch (e)
            {
                case Scalar scalar:
                    return new YamlText(scalar.Start, scalar.Value, scalar.Style);
                case SequenceStart start:
                    CheckDepth(start, depth);
                    var list = new YamlList(start.Start);
                    for (var item = Next(); item is not SequenceEnd; item = Next())
                    {
                        list.Items.Add(ReadNode(item, depth + 1));
                    }

                    return list;
                case MappingStart start:
                    CheckDepth(start, depth);
                    var map = new YamlMap(start.Start);
                    for (var keyEvent = Next(); keyEvent is not MappingEnd; keyEvent = Next())
                    {
                        var key = ReadNode(keyEvent, depth + 1) as YamlText
                            ?? throw new Refused(At(keyEvent.Start), "a key must be a plain name, not a list or a map", "write 'name: value'");
                        var value = ReadNode(Next(), depth + 1);
                        if (map.KeyNode(key.Value) is { } earlier)
                        {
                            errors.Add(new(
                                At(key.Start),
                                $"'{key.Value}' is written twice in the same map (first at line {earlier.Start.Line})",
                                "keep only one of them"));
                            continue;
                        }

                        map.Entries.Add(new(key, value));
                    }

                    return map;
                default:
                    throw new YamlException(e.Start, e.End, $"unexpected {e.GetType().Name}");
            }
        }

        private void CheckDepth(ParsingEvent e, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new Refused(At(e.Start), $"the maps and lists nest too deeply (more than {MaxDepth} levels)", "flatten the structure; Askel's files never need this many levels");
            }
        }
    }
}
