using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Askel.App.Tests.Forms;

/// <summary>The form-link tokens (<c>…/f/{token}</c>) in the messages a test's app wrote to its outbox.</summary>
internal static partial class FormLinkTokens
{
    /// <summary>The first token in <paramref name="text"/>, or empty.</summary>
    public static string First(string text) => Pattern().Match(text).Groups[1].Value;

    /// <summary>Every token in <paramref name="text"/>, in order.</summary>
    public static IEnumerable<string> All(string text) => Pattern().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>The last token in <paramref name="text"/> (an email's unsubscribe link comes after its form link), or empty.</summary>
    public static string Last(string text) => All(text).LastOrDefault() ?? "";

    /// <summary>The token of the one SMS in the outbox of the app whose data folder is <paramref name="dataPath"/>: the intake link.</summary>
    public static string InIntakeSms(string dataPath)
    {
        var sms = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(dataPath, "outbox"), "*.sms.json").Single()))!;
        return First(sms["text"]!.GetValue<string>());
    }

    [GeneratedRegex(@"/f/([A-Za-z0-9_-]{22})")]
    private static partial Regex Pattern();
}
