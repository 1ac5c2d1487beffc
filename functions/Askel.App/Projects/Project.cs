using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Askel.App.Projects;

/// <summary>
/// A project (an "operation" in ESF+ terms) as declared in <c>workflows/projects/&lt;id&gt;.yaml</c>: which
/// workflow its participants run, when it ends, who coordinates it and who manages it.
/// </summary>
public sealed record Project(
    string Id,
    string Name,
    string Workflow,
    DateOnly EndDate,
    string? EuraCode,
    IReadOnlyList<string> Coordinators,
    IReadOnlyList<string> Managers)
{
    /// <summary>Whether <paramref name="user"/> (a sign-in name, e.g. an Entra UPN) coordinates this project.</summary>
    public bool IsCoordinator(string user) => Coordinators.Contains(user, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="user"/> manages this project.</summary>
    public bool IsManager(string user) => Managers.Contains(user, StringComparer.OrdinalIgnoreCase);

    /// <summary>What the project promised its funder, compared with the actual figures in the monthly summary.</summary>
    public ProjectTargets Targets { get; init; } = ProjectTargets.None;

    /// <summary>An Entra ID group (object id) whose members also receive the monthly summary, or null.</summary>
    public string? ManagerGroup { get; init; }
}

/// <summary>
/// A project's targets (<c>targets:</c> in its file); null where none is set.
/// </summary>
/// <param name="Participants">Participants to enrol over the project (e.g. 200).</param>
/// <param name="WorkOrEducationAtExit">Share of leavers in work or education at exit (0–1, e.g. 0.5).</param>
/// <param name="EmployedAtSixMonths">Share of leavers employed six months after leaving (0–1).</param>
/// <param name="ExitFormsReceived">Share of exit forms received (0–1).</param>
public sealed record ProjectTargets(int? Participants, double? WorkOrEducationAtExit, double? EmployedAtSixMonths, double? ExitFormsReceived)
{
    /// <summary>No targets.</summary>
    public static ProjectTargets None { get; } = new(null, null, null, null);
}

/// <summary>Every project file in a folder, loaded and checked at start-up.</summary>
public sealed partial class ProjectCatalog
{
    private readonly Dictionary<string, Project> _projects;

    private ProjectCatalog(Dictionary<string, Project> projects, IReadOnlyList<string> errors)
    {
        _projects = projects;
        Errors = errors;
    }

    /// <summary>Problems found, as <c>file: message</c> lines.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Every project, by id.</summary>
    public IEnumerable<Project> All => _projects.Values.OrderBy(p => p.Name, StringComparer.CurrentCulture);

    /// <summary>The project with this id, or null.</summary>
    public Project? Find(string id) => _projects.GetValueOrDefault(id);

    /// <summary>Loads <c>&lt;workflowsFolder&gt;/projects/*.yaml</c>; <paramref name="workflowExists"/> checks each project's workflow.</summary>
    public static ProjectCatalog Load(string workflowsFolder, Func<string, bool> workflowExists)
    {
        var projects = new Dictionary<string, Project>(StringComparer.Ordinal);
        var errors = new List<string>();
        var folder = Path.Combine(workflowsFolder, "projects");
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal) : Enumerable.Empty<string>();
        foreach (var path in files)
        {
            var file = Path.Combine(Path.GetFileName(workflowsFolder), "projects", Path.GetFileName(path));
            try
            {
                var project = Parse(File.ReadAllText(path), file, errors);
                if (project is null)
                {
                    continue;
                }

                if (project.Id != Path.GetFileNameWithoutExtension(path))
                {
                    errors.Add($"{file}: the project is '{project.Id}' but the file is '{Path.GetFileName(path)}' (fix: name the file {project.Id}.yaml)");
                }
                else if (!workflowExists(project.Workflow))
                {
                    errors.Add($"{file}: workflow '{project.Workflow}' does not exist (fix: use the name of a file in workflows/)");
                }
                else
                {
                    projects[project.Id] = project;
                }
            }
            catch (YamlException e)
            {
                errors.Add($"{file}:{e.Start.Line}:{e.Start.Column}: {e.Message}");
            }
        }

        return new ProjectCatalog(projects, errors);
    }

    /// <summary>A catalog of the given projects (tests, tools).</summary>
    public static ProjectCatalog Of(params Project[] projects) => new(projects.ToDictionary(p => p.Id, StringComparer.Ordinal), []);

    private static Project? Parse(string text, string file, List<string> errors)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add($"{file}: a project file is one map (fix: start with 'project: <id>')");
            return null;
        }

        string? Text(string key) => root.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar && !string.IsNullOrWhiteSpace(scalar.Value) ? scalar.Value : null;
        IReadOnlyList<string> List(string key) => root.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlSequenceNode sequence
            ? [.. sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").Where(s => s.Length > 0)]
            : [];

        var id = Text("project");
        var name = Text("name");
        var workflow = Text("workflow");
        var endText = Text("endDate");
        var missing = new[] { ("project", id), ("name", name), ("workflow", workflow), ("endDate", endText) }.Where(p => p.Item2 is null).Select(p => p.Item1).ToArray();
        if (missing.Length > 0)
        {
            errors.Add($"{file}: the project has no {string.Join(", ", missing)} (fix: add {string.Join(", ", missing.Select(m => $"'{m}: …'"))})");
            return null;
        }

        if (!IdPattern().IsMatch(id!))
        {
            errors.Add($"{file}: '{id}' is not a valid project id (fix: lowercase letters, digits and '-', e.g. rovaniemi-international)");
            return null;
        }

        if (!DateOnly.TryParseExact(endText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var endDate))
        {
            errors.Add($"{file}: endDate '{endText}' is not a date (fix: write it as YYYY-MM-DD, e.g. 2027-12-31)");
            return null;
        }

        var coordinators = List("coordinators");
        if (coordinators.Count == 0)
        {
            errors.Add($"{file}: the project has no coordinators (fix: add 'coordinators: [name@municipality.fi]', the sign-in names)");
            return null;
        }

        var managerGroup = Text("managerGroup");
        if (managerGroup is not null && !Guid.TryParseExact(managerGroup, "D", out _))
        {
            errors.Add($"{file}: managerGroup '{managerGroup}' is not an Entra ID group's object id (fix: copy the group's Object ID from the Entra admin center, e.g. 2f1c0d7e-8a4b-4c9e-9d3f-6b5a4e3c2d1b)");
            return null;
        }

        return new Project(id!, name!, workflow!, endDate, Text("euraCode"), coordinators, List("managers")) { ManagerGroup = managerGroup };
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
