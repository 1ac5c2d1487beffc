using System.Globalization;

namespace Askel.Bench;

/// <summary>Command-line reading shared by both benchmark programs.</summary>
internal static class Arguments
{
    /// <summary>True when the argument after <c>args[i]</c> is a positive whole number (then in <paramref name="value"/>).</summary>
    public static bool PositiveAfter(string[] args, int i, out int value)
    {
        value = 0;
        return i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out value) && value > 0;
    }
}
