using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Askel.App.Projects;

/// <summary>
/// A project written as its file (<c>workflows/projects/&lt;id&gt;.yaml</c>): what the settings page edits and saves, and
/// what an admin exports to keep the settings reviewable as a file. <see cref="ProjectCatalog.Read"/> reads it back to the
/// same project.
/// </summary>
public static class ProjectFile
{
    /// <summary>The keys of a project's file in the order the docs list them (and a written file has them).</summary>
    public static IReadOnlyList<string> KeyOrder { get; } =
        ["project", "name", "workflow", "languages", "endDate", "euraCode", "coordinators", "managers", "managerGroup", "targets", "noContactWeeks", "planReviewMonths", "consentBeforeCoaching", "closed", "retention"];

    /// <summary>The project's file as a YAML map, keys in the order the docs list them and defaults left out.</summary>
    public static YamlMappingNode Of(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var map = new YamlMappingNode();
        void Set(string key, string? value)
        {
            if (value is not null)
            {
                map.Add(key, Scalar(value));
            }
        }

        Set("project", project.Id);
        Set("name", project.Name);
        Set("workflow", project.Workflow);
        if (project.Languages is { } languages)
        {
            map.Add("languages", new YamlSequenceNode(languages.Select(l => new YamlScalarNode(l))) { Style = SequenceStyle.Flow });
        }

        Set("endDate", Day(project.EndDate));
        Set("euraCode", project.EuraCode);
        map.Add("coordinators", People(project, project.Coordinators));
        map.Add("managers", People(project, project.Managers));
        Set("managerGroup", project.ManagerGroup);
        if (Targets(project.Targets) is { Children.Count: > 0 } targets)
        {
            map.Add("targets", targets);
        }

        Set("noContactWeeks", project.NoContactWeeks == Project.DefaultNoContactWeeks ? null : Number(project.NoContactWeeks));
        Set("planReviewMonths", project.PlanReviewMonths == Project.DefaultPlanReviewMonths ? null : Number(project.PlanReviewMonths));
        Set("consentBeforeCoaching", project.ConsentBeforeCoaching ? "true" : null);
        if (project.Closed is { } closed)
        {
            var closing = new YamlMappingNode { Style = MappingStyle.Flow };
            closing.Add("from", Day(closed.From));
            closing.Add("summariesUntil", Day(closed.SummariesUntil));
            map.Add("closed", closing);
        }
        if (project.Retention != ProjectRetention.Default)
        {
            var retention = new YamlMappingNode { Style = MappingStyle.Flow };
            retention.Add("years", Number(project.Retention.Years));
            if (project.Retention.From is { } from)
            {
                retention.Add("from", Day(from));
            }

            retention.Add("legalHold", project.Retention.LegalHold ? "true" : "false");
            map.Add("retention", retention);
        }

        return map;
    }

    /// <summary>The text of a project's file: <paramref name="map"/> after a comment saying where it comes from.</summary>
    public static string Text(YamlMappingNode map, string comment)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(comment);
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        foreach (var line in comment.ReplaceLineEndings("\n").Split('\n'))
        {
            writer.WriteLine($"# {line}");
        }

        new YamlStream(new YamlDocument(map)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text; // the document's end marker says nothing here
    }

    /// <summary>The keys whose settings differ between <paramref name="before"/> (null: a new project) and <paramref name="after"/>.</summary>
    public static IReadOnlyList<string> Changes(Project? before, Project after)
    {
        var (old, now) = (before is null ? new YamlMappingNode() : Of(before), Of(after));
        string? Value(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(key, out var node) ? Text(new YamlMappingNode { { key, node } }, "") : null;
        return [.. KeyOrder.Where(key => Value(old, key) != Value(now, key))];
    }

    /// <summary>A person as a file writes them: <c>{ name: …, id: … }</c> when the project knows their object id, else their name.</summary>
    public static YamlNode Person(string name, string? objectId)
    {
        if (objectId is null || string.Equals(name, objectId, StringComparison.OrdinalIgnoreCase))
        {
            return Scalar(name);
        }

        var person = new YamlMappingNode { Style = MappingStyle.Flow };
        person.Add("name", Scalar(name));
        person.Add("id", objectId);
        return person;
    }

    /// <summary>A text value, quoted when YAML would read it as something else (a number, true, a list).</summary>
    public static YamlScalarNode Scalar(string value) => new(value) { Style = ScalarStyle.Any };

    /// <summary>A number of a file.</summary>
    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A share as a file writes it: <c>50 %</c>.</summary>
    public static string Percent(double share) => (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    private static YamlSequenceNode People(Project project, IReadOnlyList<string> names) =>
        new(names.Select(name => Person(name, project.ObjectIds.GetValueOrDefault(name)))) { Style = SequenceStyle.Flow };

    private static YamlMappingNode Targets(ProjectTargets targets)
    {
        var map = new YamlMappingNode();
        void Set(string key, string? value)
        {
            if (value is not null)
            {
                map.Add(key, value);
            }
        }

        Set("participants", targets.Participants is { } participants ? Number(participants) : null);
        Set("workOrEducationAtExit", targets.WorkOrEducationAtExit is { } work ? Percent(work) : null);
        Set("employedAtSixMonths", targets.EmployedAtSixMonths is { } employed ? Percent(employed) : null);
        Set("exitFormsReceived", targets.ExitFormsReceived is { } exit ? Percent(exit) : null);
        Set("employers", targets.Employers is { } employers ? Number(employers) : null);
        Set("eventAttendees", targets.EventAttendees is { } attendees ? Number(attendees) : null);
        if (targets.EmployersBySize.Count > 0)
        {
            var sizes = new YamlMappingNode { Style = MappingStyle.Flow };
            foreach (var size in Cooperation.Employer.Sizes.Where(targets.EmployersBySize.ContainsKey))
            {
                sizes.Add(size, Number(targets.EmployersBySize[size]));
            }

            map.Add("employersBySize", sizes);
        }

        return map;
    }

    /// <summary>A day as a file writes it: <c>2027-12-31</c>.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
