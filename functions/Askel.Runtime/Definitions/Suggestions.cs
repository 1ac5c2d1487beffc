namespace Askel.Runtime.Definitions;

/// <summary>"Did you mean …?" for misspelt keys and names.</summary>
internal static class Suggestions
{
    /// <summary>The closest candidate within edit distance 2, or null.</summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = 3;
        foreach (var candidate in candidates)
        {
            var distance = Distance(word, candidate);
            if (distance < bestDistance && candidate != word)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>" — did you mean 'x'?" or "".</summary>
    public static string DidYouMean(string word, IEnumerable<string> candidates) =>
        Closest(word, candidates) is { } best ? $" — did you mean '{best}'?" : "";

    /// <summary>Levenshtein distance (case-sensitive; long words are cut off, they are never close anyway).</summary>
    public static int Distance(string a, string b)
    {
        a = a.Length > 64 ? a[..64] : a;
        b = b.Length > 64 ? b[..64] : b;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
