namespace Askel.App.Forms;

/// <summary>Rules for the short free texts coordinators type (names, an employer's sector, an event's organiser).</summary>
public static class PlainText
{
    /// <summary>
    /// Whether <paramref name="text"/> is 1 to <paramref name="maxLength"/> characters, not blank, with no control or
    /// invisible formatting characters (bidi overrides and isolates, zero-width spaces, BOM, soft hyphen) and no
    /// <c>&lt; &gt; { }</c>: shown on a coordinator's page they could reorder or hide what is around them. The zero-width
    /// non-joiner and joiner stay: Persian names and some scripts need them.
    /// </summary>
    public static bool IsShort(string? text, int maxLength) =>
        text is { Length: > 0 } && text.Length <= maxLength && text.Trim().Length > 0 && !text.Any(c =>
            char.IsControl(c) || c is '<' or '>' or '{' or '}'
            || (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format && c is not ('\u200C' or '\u200D')));

    /// <summary>Whether a spreadsheet would run <paramref name="text"/> as a formula (it begins with = + - @, a tab or a carriage return).</summary>
    public static bool LooksLikeFormula(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>
    /// Whether <paramref name="text"/> is a note of at most <paramref name="maxLength"/> characters: lines, each blank or a
    /// plain text as <see cref="IsShort"/> allows, and nothing a spreadsheet would run as a formula.
    /// </summary>
    public static bool IsNote(string text, int maxLength) =>
        text.Length <= maxLength && !LooksLikeFormula(text.TrimStart())
        && text.ReplaceLineEndings("\n").Split('\n').All(line => line.Trim().Length == 0 ? !line.Any(char.IsControl) : IsShort(line, maxLength));
}
