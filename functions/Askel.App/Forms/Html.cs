using System.Net;
using System.Text;

namespace Askel.App.Forms;

/// <summary>A small HTML writer: every text goes through <see cref="Text"/> (encoded), markup through <see cref="Raw"/>.</summary>
public sealed class Html
{
    private readonly StringBuilder _builder = new(8192);

    /// <summary>Appends markup as is (only literals of the page templates).</summary>
    public Html Raw(string markup)
    {
        _builder.Append(markup);
        return this;
    }

    /// <summary>Appends text, HTML-encoded.</summary>
    public Html Text(string? text)
    {
        _builder.Append(WebUtility.HtmlEncode(text ?? ""));
        return this;
    }

    /// <summary>Appends text with line breaks kept as separate paragraphs.</summary>
    public Html Paragraphs(string? text, string? id = null)
    {
        var first = true;
        foreach (var paragraph in (text ?? "").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Raw(first && id is not null ? $"<p id=\"{Encode(id)}\">" : "<p>").Text(paragraph).Raw("</p>");
            first = false;
        }

        return this;
    }

    /// <summary>An attribute value, encoded.</summary>
    public static string Encode(string? value) => WebUtility.HtmlEncode(value ?? "");

    /// <inheritdoc />
    public override string ToString() => _builder.ToString();
}
