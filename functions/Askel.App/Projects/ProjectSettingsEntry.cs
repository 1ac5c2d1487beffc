using System.Text.RegularExpressions;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Askel.App.Projects;

/// <summary>
/// The settings form as typed: each field is a key of the project's file (targets as <c>targets.&lt;key&gt;</c>), and
/// people one per line, as a sign-in name, an object id, or both. <see cref="ApplyTo"/> writes them into the project's
/// file, which <see cref="ProjectSettings.Check"/> then holds to the rules of project files.
/// </summary>
public sealed partial record ProjectSettingsEntry(
    string Id, string Name, string Workflow, string EndDate, string EuraCode, string Coordinators, string Managers, string ManagerGroup,
    IReadOnlyDictionary<string, string> Targets, string NoContactWeeks, string PlanReviewMonths, bool ConsentBeforeCoaching, string Version)
{
    /// <summary>The languages enrolment offers (<c>languages:</c>); none: every language Askel has.</summary>
    public IReadOnlyList<string> Languages { get; init; } = [];

    /// <summary>The first day the project is closed (<c>closed.from</c>); empty while it is open.</summary>
    public string ClosedFrom { get; init; } = "";

    /// <summary>The last day its summaries still go out (<c>closed.summariesUntil</c>); empty: the day it closes.</summary>
    public string SummariesUntil { get; init; } = "";

    /// <summary>The targets the form edits (<c>employersBySize</c> is kept as the file has it).</summary>
    public static IReadOnlyList<string> TargetFields { get; } = [.. ProjectCatalog.TargetKeys.Where(k => k != "employersBySize")];

    // The form's fields: the file's keys, the maps among them by their keys; retention is not on the form.
    private static readonly HashSet<string> FormFields =
    [
        .. ProjectFile.KeyOrder.Where(k => k is not ("targets" or "closed" or "retention")),
        .. TargetFields.Select(k => $"targets.{k}"),
        "closed.from",
        "closed.summariesUntil",
    ];

    /// <summary>The form for <paramref name="project"/> as it stands; <paramref name="version"/> is what a save must find.</summary>
    public static ProjectSettingsEntry From(Project project, string version)
    {
        ArgumentNullException.ThrowIfNull(project);
        var file = ProjectFile.Of(project);
        string Key(YamlMappingNode map, string key) => map.Children.TryGetValue(key, out var node) && node is YamlScalarNode { Value: { } value } ? value : "";
        var targets = file.Children.TryGetValue("targets", out var node) && node is YamlMappingNode map ? map : new YamlMappingNode();
        string People(IReadOnlyList<string> names) =>
            string.Join("\n", names.Select(name => project.ObjectIds.GetValueOrDefault(name) is { } id && !string.Equals(id, name, StringComparison.OrdinalIgnoreCase) ? $"{name} {id}" : name));
        return new ProjectSettingsEntry(
            project.Id, project.Name, project.Workflow, Key(file, "endDate"), project.EuraCode ?? "", People(project.Coordinators), People(project.Managers), project.ManagerGroup ?? "",
            TargetFields.ToDictionary(k => k, k => Key(targets, k), StringComparer.Ordinal),
            ProjectFile.Number(project.NoContactWeeks), ProjectFile.Number(project.PlanReviewMonths), project.ConsentBeforeCoaching, version)
        {
            Languages = project.Languages ?? [],
            ClosedFrom = project.Closed is { } closed ? ProjectFile.Day(closed.From) : "",
            SummariesUntil = project.Closed is { } closing ? ProjectFile.Day(closing.SummariesUntil) : "",
        };
    }

    /// <summary>An empty form for a new project.</summary>
    public static ProjectSettingsEntry New(string workflow) =>
        new("", "", workflow, "", "", "", "", "", TargetFields.ToDictionary(k => k, _ => "", StringComparer.Ordinal),
            ProjectFile.Number(Project.DefaultNoContactWeeks), ProjectFile.Number(Project.DefaultPlanReviewMonths), false, "");

    /// <summary>
    /// The form as posted: <paramref name="posted"/> gives a field's text (empty when absent), <paramref name="languages"/>
    /// the languages ticked.
    /// </summary>
    public static ProjectSettingsEntry Read(Func<string, string> posted, IReadOnlyList<string> languages)
    {
        ArgumentNullException.ThrowIfNull(posted);
        string Field(string name) => posted(name).Trim();
        return new ProjectSettingsEntry(
            Field("project"), Field("name"), Field("workflow"), Field("endDate"), Field("euraCode"), Field("coordinators"), Field("managers"), Field("managerGroup"),
            TargetFields.ToDictionary(k => k, k => Field($"targets.{k}"), StringComparer.Ordinal),
            Field("noContactWeeks"), Field("planReviewMonths"), Field("consentBeforeCoaching") == "true", Field("version"))
        {
            Languages = languages,
            ClosedFrom = Field("closed.from"),
            SummariesUntil = Field("closed.summariesUntil"),
        };
    }

    /// <summary>
    /// What must be filled in before the rules of project files are asked: each as (field, problem's text key).
    /// </summary>
    public IReadOnlyList<(string Field, string Problem)> Missing(bool isNew)
    {
        var problems = new List<(string, string)>();
        if (isNew && !ProjectCatalog.IsValidId(Id))
        {
            problems.Add(("project", "settings-id-invalid"));
        }

        foreach (var (field, value) in new[] { ("name", Name), ("workflow", Workflow), ("endDate", EndDate), ("coordinators", Coordinators) })
        {
            if (value.Length == 0)
            {
                problems.Add((field, $"settings-{field}-required"));
            }
        }

        foreach (var (field, value) in new[] { ("coordinators", Coordinators), ("managers", Managers) })
        {
            if (Lines(value).Any(line => Words(line).Length > 2))
            {
                problems.Add((field, "settings-people-invalid"));
            }
        }

        return problems;
    }

    /// <summary>
    /// <paramref name="current"/> (the project's file) with the form's fields written into it, keys in the docs' order; what
    /// the form does not edit (retention, <c>employersBySize</c>) stays as it was.
    /// </summary>
    public YamlMappingNode ApplyTo(YamlMappingNode current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var values = current.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value ?? "", c => c.Value, StringComparer.Ordinal);
        void Set(string key, YamlNode? node)
        {
            if (node is null)
            {
                values.Remove(key);
            }
            else
            {
                values[key] = node;
            }
        }

        YamlNode? Text(string value) => value.Length == 0 ? null : ProjectFile.Scalar(value);
        Set("project", Text(Id));
        Set("name", Text(Name));
        Set("workflow", Text(Workflow));
        Set("languages", Languages.Count == 0 ? null : new YamlSequenceNode(Languages.Select(ProjectFile.Scalar)) { Style = SequenceStyle.Flow });
        Set("endDate", Text(EndDate));
        Set("euraCode", Text(EuraCode));
        Set("coordinators", People(Coordinators));
        Set("managers", People(Managers));
        Set("managerGroup", Text(ManagerGroup));
        var targets = values.GetValueOrDefault("targets") is YamlMappingNode { } old && old.Children.TryGetValue("employersBySize", out var sizes) ? sizes : null;
        var map = new YamlMappingNode();
        foreach (var key in TargetFields.Where(k => Targets.GetValueOrDefault(k, "").Length > 0))
        {
            map.Add(key, ProjectFile.Scalar(Targets[key]));
        }

        if (targets is not null)
        {
            map.Add("employersBySize", targets);
        }

        Set("targets", map.Children.Count > 0 ? map : null);
        Set("noContactWeeks", Text(NoContactWeeks));
        Set("planReviewMonths", Text(PlanReviewMonths));
        Set("consentBeforeCoaching", ConsentBeforeCoaching ? ProjectFile.Scalar("true") : null);
        var closing = new YamlMappingNode { Style = MappingStyle.Flow };
        foreach (var (key, value) in new[] { ("from", ClosedFrom), ("summariesUntil", SummariesUntil) }.Where(f => f.Item2.Length > 0))
        {
            closing.Add(key, ProjectFile.Scalar(value));
        }

        Set("closed", closing.Children.Count > 0 ? closing : null);
        var file = new YamlMappingNode();
        foreach (var (key, node) in values.OrderBy(v => Array.IndexOf([.. ProjectFile.KeyOrder], v.Key) is var i and >= 0 ? i : int.MaxValue))
        {
            file.Add(key, node);
        }

        return file;
    }

    /// <summary>
    /// The rules' problems (<c>file[:line:column]: message</c>) as (form field, message): the field the message names
    /// first, else the key on the problem's line of <paramref name="text"/>; "" when neither is a field of the form.
    /// </summary>
    public static IReadOnlyList<(string Field, string Message)> Fields(string text, string file, IEnumerable<string> errors)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(errors);
        var lines = KeysByLine(text);
        var found = new List<(string, string)>();
        foreach (var error in errors)
        {
            var match = Location().Match(error.StartsWith(file, StringComparison.Ordinal) ? error[file.Length..] : error);
            var message = match.Success ? match.Groups["message"].Value : error;
            var named = message.Split(' ', 2)[0];
            var onLine = match.Groups["line"].Success && lines.TryGetValue(int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), out var key) ? key : "";
            // retention.from must follow the end date, which is the form's half of that rule.
            var field = named.StartsWith("retention.", StringComparison.Ordinal) ? "endDate" : FormFields.Contains(named) ? named : FormFields.Contains(onLine) ? onLine : "";
            found.Add((field, message));
        }

        return found;
    }

    // Each line of a settings text that starts a key, to that key (targets' keys as targets.<key>).
    private static Dictionary<int, string> KeysByLine(string text)
    {
        var lines = new Dictionary<int, string>();
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.FirstOrDefault()?.RootNode is YamlMappingNode root)
            {
                foreach (var (key, value) in root.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? "";
                    for (var line = key.Start.Line; line <= Math.Max(key.Start.Line, value.End.Line - (value.End.Column == 1 ? 1 : 0)); line++)
                    {
                        lines[(int)line] = name;
                    }

                    foreach (var inner in name == "targets" && value is YamlMappingNode targets ? targets.Children.Keys : [])
                    {
                        lines[(int)inner.Start.Line] = $"targets.{(inner as YamlScalarNode)?.Value}";
                    }
                }
            }
        }
        catch (YamlDotNet.Core.YamlException)
        {
            // Text the form wrote always parses; anything else maps to no field.
        }

        return lines;
    }

    private YamlSequenceNode People(string text) =>
        new(Lines(text).Select(line => Words(line) switch
        {
            [var name, var id] => ProjectFile.Person(name, id),
            [var name] => ProjectFile.Scalar(name),
            _ => ProjectFile.Scalar(line),
        })) { Style = SequenceStyle.Flow };

    private static IEnumerable<string> Lines(string text) => text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);

    private static string[] Words(string line) => line.Split([' ', '\t', ',', ';'], StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"^(:(?<line>\d+):\d+)?: (?<message>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Location();
}
