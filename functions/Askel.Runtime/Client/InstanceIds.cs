using System.Text.RegularExpressions;

namespace Askel.Runtime.Client;

/// <summary>What an instance id may be.</summary>
public static partial class InstanceIds
{
    /// <summary>1–100 characters: letters, digits, '.', '-', '_', starting with a letter or digit (safe in keys and URLs).</summary>
    public static bool IsValid(string id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
