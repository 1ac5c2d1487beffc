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
    /// <summary>Whether <paramref name="user"/> (an entry's name, e.g. a participant's coordinator) coordinates this project.</summary>
    public bool IsCoordinator(string user) => Coordinators.Contains(user, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="user"/> manages this project.</summary>
    public bool IsManager(string user) => Managers.Contains(user, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The sign-in names of <see cref="Coordinators"/> and <see cref="Managers"/> written with their Entra object id
    /// (<c>{ name: maija@kunta.fi, id: &lt;object id&gt; }</c>): such an entry matches the user with that id whatever
    /// name they sign in with, and stays what the project calls them (their participants, their email).
    /// </summary>
    public IReadOnlyDictionary<string, string> ObjectIds { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// True in Azure: an entry matches a user by object id only, so a sign-in name (which Entra lets be renamed and
    /// reused) never decides access there; an entry without an id matches no one.
    /// </summary>
    public bool ObjectIdsOnly { get; init; }

    /// <summary>Whether the signed-in <paramref name="user"/> coordinates this project (<see cref="CoordinatorName"/>).</summary>
    public bool IsCoordinator(System.Security.Claims.ClaimsPrincipal user) => CoordinatorName(user) is not null;

    /// <summary>
    /// The entry of <c>coordinators:</c> that is the signed-in <paramref name="user"/>, or null: the name the project's
    /// participants are kept under as theirs. An entry with an object id (or an object id alone) matches the user's
    /// <c>oid</c>; any other matches their sign-in name, except in Azure (<see cref="ObjectIdsOnly"/>).
    /// </summary>
    public string? CoordinatorName(System.Security.Claims.ClaimsPrincipal user) => Member(Coordinators, user);

    private string? Member(IReadOnlyList<string> entries, System.Security.Claims.ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var objectId = Security.AppServicePrincipal.ObjectId(user);
        var name = user.Identity?.Name ?? "";
        return entries.FirstOrDefault(entry => ObjectIdOf(entry) is { } id
            ? objectId is not null && string.Equals(id, objectId, StringComparison.OrdinalIgnoreCase)
            : !ObjectIdsOnly && string.Equals(entry, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The object id of an entry of <c>coordinators:</c> or <c>managers:</c> (its <c>id</c>, or the entry itself when it is one), or null.</summary>
    public string? ObjectIdOf(string entry) =>
        ObjectIds.TryGetValue(entry, out var id) ? id : Guid.TryParseExact(entry, "D", out _) ? entry : null;

    /// <summary>The moment the project ends (its end date, 00:00 UTC): the leaving date of whoever was never marked as left.</summary>
    public DateTimeOffset EndsAt => new(EndDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>What the project promised its funder, compared with the actual figures in the monthly summary.</summary>
    public ProjectTargets Targets { get; init; } = ProjectTargets.None;

    /// <summary>An Entra ID group (object id) whose members also receive the monthly summary, or null.</summary>
    public string? ManagerGroup { get; init; }

    /// <summary>
    /// After how many weeks without a logged contact (a session, a call that reached them, a form they sent) a participant
    /// appears in their coordinator's work queue (<c>noContactWeeks:</c> in its file; 6 when not given).
    /// </summary>
    public int NoContactWeeks { get; init; } = DefaultNoContactWeeks;

    /// <summary>The work queue's default for <see cref="NoContactWeeks"/>.</summary>
    public const int DefaultNoContactWeeks = 6;

    /// <summary>
    /// How often a participant's plan is reviewed, at most, in months (<c>planReviewMonths:</c> in its file; 3 when not
    /// given): a plan's next review day is no further away than this.
    /// </summary>
    public int PlanReviewMonths { get; init; } = DefaultPlanReviewMonths;

    /// <summary>The default for <see cref="PlanReviewMonths"/>.</summary>
    public const int DefaultPlanReviewMonths = 3;

    /// <summary>
    /// Whether the project asks consent to the processing of their data before coaching begins (<c>consentBeforeCoaching:
    /// true</c>), as OSKE does of the clients in a longer relationship; one-off guidance is anonymous and asks none. Its
    /// workflow must then wait for <c>consent</c> before coaching (<see cref="ConsentGateProblem"/>).
    /// </summary>
    public bool ConsentBeforeCoaching { get; init; }

    /// <summary>
    /// When the project asks consent before coaching, what is wrong with <paramref name="workflow"/> for it: a way from its
    /// start to a coaching step (one that waits for the participant to leave) that passes no <c>waitFor: consent</c> step.
    /// </summary>
    /// <returns>The problem, naming the file, the step and the fix; null when there is none.</returns>
    public string? ConsentGateProblem(Askel.Runtime.Definitions.WorkflowDefinition workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var next = new Queue<string>([workflow.Start]);
        while (ConsentBeforeCoaching && next.TryDequeue(out var id))
        {
            if (!seen.Add(id) || !workflow.Steps.TryGetValue(id, out var step))
            {
                continue;
            }

            switch (step)
            {
                case Askel.Runtime.Definitions.WaitForEventStep { Event: Participants.Consents.ConsentEvent }:
                    continue; // every way on from here is after the consent
                case Askel.Runtime.Definitions.WaitForEventStep { Event: Askel.Runtime.Engine.WorkflowFact.LeftEvent } coaching:
                    return $"workflows/projects/{Id}.yaml: consentBeforeCoaching is true, but workflow '{workflow.Name}' reaches its coaching step '{coaching.Id}' ({coaching.Location}) "
                        + "without waiting for consent (fix: put a 'waitFor: consent' step on every way to it, as docs/WORKFLOWS.md shows, or remove consentBeforeCoaching)";
            }

            foreach (var target in step.Targets)
            {
                next.Enqueue(target);
            }
        }

        return null;
    }

    /// <summary>
    /// The languages a participant of the project may be enrolled in (<c>languages:</c> in its file), each one of its
    /// workflow's (<see cref="LanguageProblem"/>); null: every language Askel has.
    /// </summary>
    public IReadOnlyList<string>? Languages { get; init; }

    /// <summary>The languages enrolment offers: <see cref="Languages"/>, or every language Askel has.</summary>
    public IReadOnlyList<string> Offered => Languages ?? Askel.Runtime.Definitions.WorkflowLoader.AllowedLanguages;

    /// <summary>A language of <see cref="Languages"/> that <paramref name="workflow"/> has no forms or messages in, as a problem; else null.</summary>
    public string? LanguageProblem(Askel.Runtime.Definitions.WorkflowDefinition workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return Languages?.FirstOrDefault(l => !workflow.Languages.Contains(l)) is { } missing
            ? $"workflows/projects/{Id}.yaml: languages has '{missing}', but workflow '{workflow.Name}' is not written in it (fix: use {string.Join(", ", workflow.Languages)})"
            : null;
    }

    /// <summary>What is wrong with the project for <paramref name="workflow"/>: the consent gate, the languages.</summary>
    public IEnumerable<string> WorkflowProblems(Askel.Runtime.Definitions.WorkflowDefinition workflow) =>
        new[] { ConsentGateProblem(workflow), LanguageProblem(workflow) }.OfType<string>();

    /// <summary>When the project closed and until when its summaries go out (<c>closed:</c> in its file), or null while it is open.</summary>
    public ProjectClosure? Closed { get; init; }

    /// <summary>
    /// Whether the project is closed on <paramref name="today"/>: no new participants and no new casework, while what
    /// collects the forms (the follow-up outlives the project) and the participants' rights go on.
    /// </summary>
    public bool IsClosed(DateOnly today) => Closed is { } closed && today >= closed.From;

    /// <summary>How long the project's participant records are kept (<c>retention:</c> in its file).</summary>
    public ProjectRetention Retention { get; init; } = ProjectRetention.Default;

    /// <summary>
    /// The last day the participant records must be kept: 31 December of the year of <see cref="ProjectRetention.From"/>
    /// (the last payment to the beneficiary; the end date when not given), plus <see cref="ProjectRetention.Years"/>.
    /// </summary>
    public DateOnly KeptUntil => new DateOnly((Retention.From ?? EndDate).Year, 12, 31).AddYears(Retention.Years);

    /// <summary>
    /// Whether <paramref name="user"/> manages this project: named in <c>managers:</c> (by object id or sign-in name), or a member of
    /// <c>managerGroup:</c> (an Entra <c>groups</c> claim holding the group's object id).
    /// </summary>
    public bool IsManager(System.Security.Claims.ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Member(Managers, user) is not null
            || (ManagerGroup is { } group && Security.AppServicePrincipal.Groups(user).Contains(group, StringComparer.OrdinalIgnoreCase));
    }
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

    /// <summary>Employers to cooperate with over the project (e.g. 20).</summary>
    public int? Employers { get; init; }

    /// <summary>Attendees of the project's events, counted together (e.g. 300).</summary>
    public int? EventAttendees { get; init; }

    /// <summary>Employers to cooperate with by size class (<c>micro</c>, <c>small</c>, <c>medium</c>, <c>large</c>); sizes not promised are absent.</summary>
    public IReadOnlyDictionary<string, int> EmployersBySize { get; init; } = new Dictionary<string, int>();

    /// <inheritdoc/>
    public bool Equals(ProjectTargets? other) =>
        other is not null && (Participants, WorkOrEducationAtExit, EmployedAtSixMonths, ExitFormsReceived, Employers, EventAttendees) ==
            (other.Participants, other.WorkOrEducationAtExit, other.EmployedAtSixMonths, other.ExitFormsReceived, other.Employers, other.EventAttendees)
        && EmployersBySize.Count == other.EmployersBySize.Count && EmployersBySize.All(s => other.EmployersBySize.GetValueOrDefault(s.Key) == s.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Participants, WorkOrEducationAtExit, EmployedAtSixMonths, ExitFormsReceived, Employers, EventAttendees, EmployersBySize.Count);
}

/// <summary>A project's closing (<c>closed: { from: 2027-01-31, summariesUntil: 2027-08-31 }</c>).</summary>
/// <param name="From">The first day it is closed.</param>
/// <param name="SummariesUntil">
/// The last day a monthly summary of it is still sent (on or after <paramref name="From"/>; by default the last day of the
/// month after it closes, so the summary of the month it closes in is the last).
/// </param>
public sealed record ProjectClosure(DateOnly From, DateOnly SummariesUntil);

/// <summary>
/// How long a project's participant records are kept after it ends (ESF+: 5 years from 31 December of the year of the
/// last payment, Reg. 2021/1060 art. 82; Finnish municipal schedules often 10), and whether a legal hold keeps them longer.
/// </summary>
/// <param name="Years">Years counted from 31 December of the year of <paramref name="From"/>.</param>
/// <param name="From">The last payment to the beneficiary, when later than the project's end; null: the end date.</param>
/// <param name="LegalHold">While true, nothing of the project is purged, whatever the date.</param>
public sealed record ProjectRetention(int Years, DateOnly? From, bool LegalHold)
{
    /// <summary>Ten years from the end of the year the project ends, no hold: the longer of the two usual rules.</summary>
    public static ProjectRetention Default { get; } = new(10, null, false);
}

/// <summary>
/// The projects: each as its file in <c>workflows/projects/</c> declares it, unless an admin has saved its settings in the
/// app (<see cref="ProjectSettings"/>), which then win. Reads are lock-free on an immutable snapshot that
/// <see cref="Apply"/> replaces whole.
/// </summary>
public sealed partial class ProjectCatalog
{
    private readonly Dictionary<string, Project> _files;
    private volatile Snapshot _current;

    private ProjectCatalog(Dictionary<string, Project> projects, IReadOnlyList<string> errors)
    {
        _files = projects;
        _current = new Snapshot(projects, new HashSet<string>(StringComparer.Ordinal));
        Errors = errors;
    }

    // The projects as they stand, and the ids of those whose settings were saved in the app.
    private sealed record Snapshot(IReadOnlyDictionary<string, Project> Projects, IReadOnlySet<string> Saved);

    /// <summary>Problems found in the files, as <c>file: message</c> lines.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Every project, by name.</summary>
    public IEnumerable<Project> All => _current.Projects.Values.OrderBy(p => p.Name, StringComparer.CurrentCulture);

    /// <summary>The project with this id, or null.</summary>
    public Project? Find(string id) => _current.Projects.GetValueOrDefault(id);

    /// <summary>Whether the project's settings were saved in the app (else they are its file's).</summary>
    public bool IsSaved(string id) => _current.Saved.Contains(id);

    /// <summary>
    /// Makes <paramref name="saved"/> (the settings saved in the app) the projects' settings, over their files; the projects
    /// <paramref name="withheld"/> (saved settings that do not check out, with none good before) are left out, file or not.
    /// </summary>
    public void Apply(IEnumerable<Project> saved, IEnumerable<string> withheld)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(withheld);
        var projects = new Dictionary<string, Project>(_files, StringComparer.Ordinal);
        foreach (var id in withheld)
        {
            projects.Remove(id);
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var project in saved)
        {
            projects[project.Id] = project;
            ids.Add(project.Id);
        }

        _current = new Snapshot(projects, ids);
    }

    /// <summary>
    /// Loads <c>&lt;workflowsFolder&gt;/projects/*.yaml</c>; <paramref name="workflowExists"/> checks each project's workflow.
    /// With <paramref name="objectIdsOnly"/> (in Azure) people are matched by object id only (<see cref="Project.ObjectIdsOnly"/>).
    /// </summary>
    public static ProjectCatalog Load(string workflowsFolder, Func<string, bool> workflowExists, bool objectIdsOnly = false)
    {
        var projects = new Dictionary<string, Project>(StringComparer.Ordinal);
        var errors = new List<string>();
        var folder = Path.Combine(workflowsFolder, "projects");
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal) : Enumerable.Empty<string>();
        foreach (var path in files)
        {
            var file = Path.Combine(Path.GetFileName(workflowsFolder), "projects", Path.GetFileName(path));
            var project = Read(File.ReadAllText(path), file, workflowExists, objectIdsOnly, errors);
            if (project is not null && project.Id != Path.GetFileNameWithoutExtension(path))
            {
                errors.Add($"{file}: the project is '{project.Id}' but the file is '{Path.GetFileName(path)}' (fix: name the file {project.Id}.yaml)");
            }
            else if (project is not null)
            {
                projects[project.Id] = project;
            }
        }

        return new ProjectCatalog(projects, errors);
    }

    /// <summary>
    /// A project from the text of its file (or its settings saved in the app), checked by the rules of project files; null
    /// with the problems added to <paramref name="errors"/> as <c>file[:line:column]: message (fix: …)</c>.
    /// </summary>
    public static Project? Read(string text, string file, Func<string, bool> workflowExists, bool objectIdsOnly, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(workflowExists);
        ArgumentNullException.ThrowIfNull(errors);
        try
        {
            var project = Parse(text, file, errors);
            if (project is not null && !workflowExists(project.Workflow))
            {
                errors.Add($"{file}: workflow '{project.Workflow}' does not exist (fix: use the name of a file in workflows/)");
                return null;
            }

            return project is null ? null : project with { ObjectIdsOnly = objectIdsOnly };
        }
        catch (YamlException e)
        {
            errors.Add($"{file}:{e.Start.Line}:{e.Start.Column}: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// What is wrong with the projects for their workflows: a consent gate missing (<see cref="Project.ConsentGateProblem"/>), a
    /// language the workflow is not written in (<see cref="Project.LanguageProblem"/>).
    /// </summary>
    public IEnumerable<string> WorkflowProblems(Askel.Runtime.Definitions.WorkflowCatalog workflows)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        return All.SelectMany(p => workflows.TryGet(p.Workflow, out var workflow) ? p.WorkflowProblems(workflow) : []);
    }

    /// <summary>The Entra object id some project file gives <paramref name="name"/> (a coordinator's or manager's entry), or null.</summary>
    public string? ObjectIdOf(string name) => All.Select(p => p.ObjectIdOf(name)).FirstOrDefault(id => id is not null);

    /// <summary>The name some project file gives the signed-in coordinator (their digest goes to that address), or null.</summary>
    public string? CoordinatorName(System.Security.Claims.ClaimsPrincipal user) => All.Select(p => p.CoordinatorName(user)).FirstOrDefault(name => name is not null);

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
        // Each entry a sign-in name, an object id, or { name: <sign-in name>, id: <object id> }.
        var objectIds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        IReadOnlyList<string> List(string key)
        {
            if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node) || node is not YamlSequenceNode sequence)
            {
                return [];
            }

            var names = new List<string>();
            foreach (var entry in sequence.Children)
            {
                if (entry is YamlScalarNode { Value: { Length: > 0 } name })
                {
                    names.Add(name);
                }
                else if (entry is YamlMappingNode map && ParsePerson(map, file, errors) is { } member)
                {
                    names.Add(member.Name);
                    objectIds[member.Name] = member.Id;
                }
            }

            return names;
        }

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

        var problems = errors.Count;
        var targets = ParseTargets(root, file, errors);
        var managerGroup = ParseManagerGroup(root, file, errors);
        var retention = ParseRetention(root, file, endDate, errors);
        var noContactWeeks = ParseWholeNumber(root, "noContactWeeks", 52, Project.DefaultNoContactWeeks, "weeks", file, errors);
        var planReviewMonths = ParseWholeNumber(root, "planReviewMonths", 12, Project.DefaultPlanReviewMonths, "months", file, errors);
        var consentBeforeCoaching = ParseSwitch(root, "consentBeforeCoaching", file, errors);
        var closed = ParseClosure(root, file, errors);
        var languages = ParseLanguages(root, file, errors);
        if (errors.Count > problems)
        {
            return null;
        }

        var managers = List("managers");
        if (errors.Count > problems)
        {
            return null;
        }

        return new Project(id!, name!, workflow!, endDate, Text("euraCode"), coordinators, managers)
        {
            Targets = targets, ManagerGroup = managerGroup, Retention = retention, NoContactWeeks = noContactWeeks, PlanReviewMonths = planReviewMonths, ConsentBeforeCoaching = consentBeforeCoaching, Closed = closed, Languages = languages, ObjectIds = objectIds,
        };
    }

    // { name: maija@kunta.fi, id: 3f2c9a1e-… }: both required, nothing else.
    private static (string Name, string Id)? ParsePerson(YamlMappingNode map, string file, List<string> errors)
    {
        string? Value(string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } text } ? text.Trim() : null;
        var (name, id) = (Value("name"), Value("id"));
        var stray = map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).FirstOrDefault(k => k is not ("name" or "id"));
        if (stray is not null || name is null || id is null || !Guid.TryParseExact(id, "D", out _))
        {
            errors.Add($"{At(file, map)}: a person written as a map needs 'name' (their sign-in name) and 'id' (their Entra object id){(stray is null ? "" : $", not '{stray}'")} (fix: e.g. '{{ name: maija@kunta.fi, id: 3f2c9a1e-6b7d-4c55-9e21-0a8b7c6d5e4f }}')");
            return null;
        }

        return (name, id);
    }

    /// <summary>The keys of <c>targets:</c>, in the order the docs list them.</summary>
    public static IReadOnlyList<string> TargetKeys { get; } =
        ["participants", "workOrEducationAtExit", "employedAtSixMonths", "exitFormsReceived", "employers", "eventAttendees", "employersBySize"];

    // targets: { participants: 200, workOrEducationAtExit: 50 %, employedAtSixMonths: 0.4, exitFormsReceived: 90%,
    //            employers: 20, eventAttendees: 300, employersBySize: { micro: 10, small: 5 } }
    private static ProjectTargets ParseTargets(YamlMappingNode root, string file, List<string> errors)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("targets"), out var node) || node is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return ProjectTargets.None;
        }

        if (node is not YamlMappingNode map)
        {
            errors.Add($"{At(file, node)}: targets is not a map (fix: one target per line under 'targets:', e.g. '  participants: 200')");
            return ProjectTargets.None;
        }

        var targets = ProjectTargets.None;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var value = (valueNode as YamlScalarNode)?.Value?.Trim() ?? "";
            switch (key)
            {
                case "participants" or "employers" or "eventAttendees":
                    if (Count(value) is { } count)
                    {
                        targets = key switch
                        {
                            "participants" => targets with { Participants = count },
                            "employers" => targets with { Employers = count },
                            _ => targets with { EventAttendees = count },
                        };
                    }
                    else
                    {
                        var example = key switch
                        {
                            "participants" => "the number of participants the project promised to enrol, e.g. 'participants: 200'",
                            "employers" => "the number of employers the project promised to work with, e.g. 'employers: 20'",
                            _ => "the number of event attendees the project promised, e.g. 'eventAttendees: 300'",
                        };
                        errors.Add($"{At(file, valueNode)}: targets.{key} '{value}' is not a positive whole number (fix: {example})");
                    }

                    break;
                case "employersBySize":
                    targets = targets with { EmployersBySize = ParseSizes(file, valueNode, errors) };
                    break;
                case "workOrEducationAtExit" or "employedAtSixMonths" or "exitFormsReceived":
                    if (Share(value) is { } share)
                    {
                        targets = key switch
                        {
                            "workOrEducationAtExit" => targets with { WorkOrEducationAtExit = share },
                            "employedAtSixMonths" => targets with { EmployedAtSixMonths = share },
                            _ => targets with { ExitFormsReceived = share },
                        };
                    }
                    else
                    {
                        errors.Add($"{At(file, valueNode)}: targets.{key} '{value}' is not a share above 0 and at most 100 % (fix: write a percentage or a fraction, e.g. '{key}: 50 %' or '{key}: 0.5')");
                    }

                    break;
                default:
                    errors.Add($"{At(file, keyNode)}: '{key}' is not a target (fix: use {string.Join(", ", TargetKeys.SkipLast(1))} or {TargetKeys[^1]})");
                    break;
            }
        }

        return targets;
    }

    private static int? Count(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0 ? count : null;

    // employersBySize: { micro: 10, small: 5, medium: 3, large: 2 }
    private static Dictionary<string, int> ParseSizes(string file, YamlNode node, List<string> errors)
    {
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        if (node is not YamlMappingNode map)
        {
            errors.Add($"{At(file, node)}: targets.employersBySize is not a map (fix: one size class per line, e.g. '    micro: 10')");
            return sizes;
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            var size = (keyNode as YamlScalarNode)?.Value ?? "";
            var value = (valueNode as YamlScalarNode)?.Value?.Trim() ?? "";
            if (!Cooperation.Employer.Sizes.Contains(size, StringComparer.Ordinal))
            {
                errors.Add($"{At(file, keyNode)}: '{size}' is not a size class (fix: use {string.Join(", ", Cooperation.Employer.Sizes.SkipLast(1))} or {Cooperation.Employer.Sizes[^1]})");
            }
            else if (Count(value) is { } count)
            {
                sizes[size] = count;
            }
            else
            {
                errors.Add($"{At(file, valueNode)}: targets.employersBySize.{size} '{value}' is not a positive whole number (fix: the number of {size} employers promised, e.g. '{size}: 5')");
            }
        }

        return sizes;
    }

    /// <summary>A share written <c>50 %</c>, <c>50%</c> or <c>0.5</c> (a decimal comma too), if above 0 and at most 1; else null.</summary>
    public static double? Share(string? text)
    {
        var value = (text ?? "").Trim().Replace(',', '.');
        var percent = value.EndsWith('%');
        if (percent)
        {
            value = value[..^1].TrimEnd();
        }

        if (value.Length == 0 || !double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        var share = percent ? number / 100 : number;
        return share is > 0 and <= 1 ? share : null;
    }

    private static string? ParseManagerGroup(YamlMappingNode root, string file, List<string> errors)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("managerGroup"), out var node) || node is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return null;
        }

        var value = (node as YamlScalarNode)?.Value?.Trim() ?? "";
        if (Guid.TryParseExact(value, "D", out var group))
        {
            return group.ToString("D");
        }

        errors.Add($"{At(file, node)}: managerGroup '{value}' is not an Entra group object id (fix: the group's Object ID from Entra ID, e.g. 'managerGroup: 3f2c9a1e-6b7d-4c55-9e21-0a8b7c6d5e4f')");
        return null;
    }

    // retention: { years: 10, from: 2028-06-30, legalHold: false }
    // noContactWeeks: 6, planReviewMonths: 3 — a whole number from 1 to max.
    private static int ParseWholeNumber(YamlMappingNode root, string key, int max, int fallback, string unit, string file, List<string> errors)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return fallback;
        }

        var value = (node as YamlScalarNode)?.Value?.Trim() ?? "";
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= max)
        {
            return number;
        }

        errors.Add($"{At(file, node)}: {key} '{value}' is not a whole number of {unit} from 1 to {max} (fix: e.g. '{key}: {fallback}')");
        return fallback;
    }

    // consentBeforeCoaching: true — true or false, false when not given.
    private static bool ParseSwitch(YamlMappingNode root, string key, string file, List<string> errors)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return false;
        }

        var value = (node as YamlScalarNode)?.Value?.Trim() ?? "";
        if (value is "true" or "false")
        {
            return value == "true";
        }

        errors.Add($"{At(file, node)}: {key} '{value}' is not true or false (fix: e.g. '{key}: true')");
        return false;
    }

    // languages: [fi, sv, en] — codes Askel has, each once; absent: all of them.
    private static IReadOnlyList<string>? ParseLanguages(YamlMappingNode root, string file, List<string> errors)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("languages"), out var node))
        {
            return null;
        }

        var allowed = Askel.Runtime.Definitions.WorkflowLoader.AllowedLanguages;
        var codes = (node as YamlSequenceNode)?.Children.Select(c => (c as YamlScalarNode)?.Value?.Trim() ?? "").ToList() ?? [];
        if (codes.Count == 0 || codes.FirstOrDefault(c => !allowed.Contains(c)) is { } unknown || codes.Distinct(StringComparer.Ordinal).Count() != codes.Count)
        {
            var why = codes.Count == 0 ? "is not a list of languages" : codes.FirstOrDefault(c => !allowed.Contains(c)) is { } bad ? $"has '{bad}', which is not a language Askel has" : "names a language twice";
            errors.Add($"{At(file, node)}: languages {why} (fix: a list of {string.Join(", ", allowed)}, e.g. 'languages: [fi, sv, en]')");
            return null;
        }

        return codes;
    }

    // closed: { from: 2027-01-31, summariesUntil: 2027-08-31 } — summariesUntil defaults to the end of the month after from.
    private static ProjectClosure? ParseClosure(YamlMappingNode root, string file, List<string> errors)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("closed"), out var node))
        {
            return null;
        }

        if (node is not YamlMappingNode map)
        {
            errors.Add($"{At(file, node)}: closed is not a map (fix: e.g. 'closed: {{ from: 2027-01-31, summariesUntil: 2027-08-31 }}')");
            return null;
        }

        DateOnly? from = null, until = null;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var value = (valueNode as YamlScalarNode)?.Value?.Trim() ?? "";
            var day = DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : (DateOnly?)null;
            switch (key)
            {
                case "from" or "summariesUntil" when day is null:
                    errors.Add($"{At(file, valueNode)}: closed.{key} '{value}' is not a date (fix: write it as YYYY-MM-DD, e.g. 2027-01-31)");
                    break;
                case "from":
                    from = day;
                    break;
                case "summariesUntil":
                    until = day;
                    break;
                default:
                    errors.Add($"{At(file, keyNode)}: '{key}' is not a closing setting (fix: use from or summariesUntil)");
                    break;
            }
        }

        if (from is null)
        {
            errors.Add($"{At(file, map)}: closed.from is missing (fix: the first day the project is closed, e.g. 'closed: {{ from: 2027-01-31 }}')");
            return null;
        }

        if (until < from)
        {
            errors.Add($"{At(file, map)}: closed.summariesUntil {until.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} is before closed.from {from.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (fix: the last day a summary is sent, on or after the day it closes)");
            return null;
        }

        // By default the summary of the month it closes in is the last: it goes out early in the next month.
        return new ProjectClosure(from.Value, until ?? new DateOnly(from.Value.Year, from.Value.Month, 1).AddMonths(2).AddDays(-1));
    }

    private static ProjectRetention ParseRetention(YamlMappingNode root, string file, DateOnly endDate, List<string> errors)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("retention"), out var node))
        {
            return ProjectRetention.Default;
        }

        if (node is not YamlMappingNode map)
        {
            errors.Add($"{At(file, node)}: retention is not a map (fix: e.g. 'retention: {{ years: 10, legalHold: false }}')");
            return ProjectRetention.Default;
        }

        var retention = ProjectRetention.Default;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var value = (valueNode as YamlScalarNode)?.Value?.Trim() ?? "";
            switch (key)
            {
                case "years" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var years) && years is >= 5 and <= 100:
                    retention = retention with { Years = years };
                    break;
                case "years":
                    errors.Add($"{At(file, valueNode)}: retention.years '{value}' is not a whole number of years from 5 to 100 (fix: ESF+ asks at least 5, e.g. 'years: 10')");
                    break;
                case "from" when DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from) && from >= endDate:
                    retention = retention with { From = from };
                    break;
                case "from":
                    errors.Add($"{At(file, valueNode)}: retention.from '{value}' is not a date on or after the end date {endDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (fix: the last payment to the project, as YYYY-MM-DD)");
                    break;
                case "legalHold" when value is "true" or "false":
                    retention = retention with { LegalHold = value == "true" };
                    break;
                case "legalHold":
                    errors.Add($"{At(file, valueNode)}: retention.legalHold '{value}' is not true or false");
                    break;
                default:
                    errors.Add($"{At(file, keyNode)}: '{key}' is not a retention setting (fix: use years, from or legalHold)");
                    break;
            }
        }

        return retention;
    }

    private static string At(string file, YamlNode node) => $"{file}:{node.Start.Line}:{node.Start.Column}";

    /// <summary>Whether <paramref name="id"/> may be a project's id: lowercase letters, digits and '-', at most 63.</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
