namespace Askel.Runtime.Definitions;

/// <summary>
/// An SMS text as long as it will be when sent: a 12-character first name, a 45-character link, the workflow's longest
/// external address and a 6-character project code filled in, so its parts can be counted before anyone gets it.
/// </summary>
public static partial class SmsSample
{
    private const string FirstName = "Aaaaaaaaaaaa";
    private const string Link = "https://example.fi/f/aaaaaaaaaaaaaaaaaaaaaaaa";
    private const string ProjectCode = "S30355";

    /// <summary>What the sample fills in, for saying how the parts were counted.</summary>
    public const string Explanation = "a 12-character first name, a 45-character link and the real addresses";

    /// <summary>The text with its placeholders filled in; <c>{{ url }}</c> takes the longest of the workflow's external addresses.</summary>
    public static string Fill(string text, WorkflowDefinition workflow)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(workflow);
        var url = workflow.Steps.Values.OfType<ExternalStep>().Select(x => x.Url.ToString()).MaxBy(u => u.Length) ?? Link;
        var filled = FirstNamePlaceholder().Replace(text.Trim(), FirstName);
        filled = LinkPlaceholder().Replace(filled, Link);
        filled = UrlPlaceholder().Replace(filled, url);
        return ProjectCodePlaceholder().Replace(filled, ProjectCode);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{\{-?\s*firstName\s*-?\}\}")]
    private static partial System.Text.RegularExpressions.Regex FirstNamePlaceholder();

    [System.Text.RegularExpressions.GeneratedRegex(@"\{\{-?\s*link\s*-?\}\}")]
    private static partial System.Text.RegularExpressions.Regex LinkPlaceholder();

    [System.Text.RegularExpressions.GeneratedRegex(@"\{\{-?\s*url\s*-?\}\}")]
    private static partial System.Text.RegularExpressions.Regex UrlPlaceholder();

    [System.Text.RegularExpressions.GeneratedRegex(@"\{\{-?\s*projectCode\s*-?\}\}")]
    private static partial System.Text.RegularExpressions.Regex ProjectCodePlaceholder();
}
