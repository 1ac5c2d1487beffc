namespace Askel.Runtime.Definitions;

/// <summary>
/// How many SMS parts a text takes: GSM-7 (the basic table and its extension table, whose characters count
/// twice) fits 160 characters in one message and 153 per part when split; anything else goes as UCS-2,
/// 70 in one and 67 per part (characters outside the basic plane count twice there).
/// </summary>
public static class SmsSegments
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "\f^{}\\[~]|€";

    /// <summary>True when every character of <paramref name="text"/> is in the GSM-7 basic or extension table.</summary>
    public static bool IsGsm7(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.All(c => Basic.Contains(c, StringComparison.Ordinal) || Extension.Contains(c, StringComparison.Ordinal));
    }

    /// <summary>The number of parts <paramref name="text"/> is sent in (0 for an empty text).</summary>
    public static int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return 0;
        }

        if (IsGsm7(text))
        {
            var septets = text.Sum(c => Extension.Contains(c, StringComparison.Ordinal) ? 2 : 1);
            return septets <= 160 ? 1 : (septets + 152) / 153;
        }

        // UTF-16 code units: a surrogate pair (e.g. an emoji) takes two of the 70/67.
        var units = text.Length;
        return units <= 70 ? 1 : (units + 66) / 67;
    }
}
