using System.Security.Claims;
using Askel.App.Commands;
using Askel.App.Projects;
using Askel.Runtime.Definitions;
using Askel.Testing;

namespace Askel.App.Tests.Projects;

/// <summary>Project files: targets and the manager group, good values and the errors for bad ones.</summary>
public sealed class ProjectCatalogTests : IDisposable
{
    private const string Head = """
        project: p1
        name: Project one
        workflow: participant-lifecycle
        endDate: 2027-12-31
        coordinators: [c@x.fi]
        managers: [m@x.fi]

        """;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("askel-projects-");

    public ProjectCatalogTests() => Directory.CreateDirectory(Path.Combine(_folder.FullName, "projects"));

    public void Dispose() => _folder.Delete(recursive: true);

    private ProjectCatalog Load(string tail)
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "projects", "p1.yaml"), Head + tail);
        return ProjectCatalog.Load(_folder.FullName, _ => true);
    }

    [Fact]
    public void Targets_InEveryWrittenForm_AreParsedAsNumbersAndShares()
    {
        var catalog = Load("""
            managerGroup: 3F2C9A1E-6B7D-4C55-9E21-0A8B7C6D5E4F
            targets:
              participants: 200
              workOrEducationAtExit: 50 %
              employedAtSixMonths: 0.4
              exitFormsReceived: 90%
            """);

        Assert.Empty(catalog.Errors);
        var project = catalog.Find("p1")!;
        Assert.Equal(new ProjectTargets(200, 0.5, 0.4, 0.9), project.Targets);
        Assert.Equal("3f2c9a1e-6b7d-4c55-9e21-0a8b7c6d5e4f", project.ManagerGroup);
    }

    [Fact]
    public void NoTargetsOrGroup_AreNone()
    {
        var project = Load("").Find("p1")!;

        Assert.Same(ProjectTargets.None, project.Targets);
        Assert.Null(project.ManagerGroup);
    }

    [Theory]
    [InlineData("50 %", 0.5)]
    [InlineData("50%", 0.5)]
    [InlineData("0.5", 0.5)]
    [InlineData("47,5 %", 0.475)]
    [InlineData("100 %", 1.0)]
    [InlineData("1", 1.0)]
    public void Share_Accepts(string text, double expected) => Assert.Equal(expected, ProjectCatalog.Share(text)!.Value, 6);

    [Theory]
    [InlineData("150 %")]
    [InlineData("-10 %")]
    [InlineData("0")]
    [InlineData("0 %")]
    [InlineData("50")]
    [InlineData("half")]
    [InlineData("")]
    [InlineData("%")]
    public void Share_Refuses(string text) => Assert.Null(ProjectCatalog.Share(text));

    [Theory]
    [InlineData("  participants: -5", "targets.participants '-5' is not a positive whole number", "participants: 200")]
    [InlineData("  participants: 0", "targets.participants '0' is not a positive whole number", "participants: 200")]
    [InlineData("  participants: many", "targets.participants 'many' is not a positive whole number", "participants: 200")]
    [InlineData("  workOrEducationAtExit: 150 %", "targets.workOrEducationAtExit '150 %' is not a share", "workOrEducationAtExit: 50 %")]
    [InlineData("  exitFormsReceived: -0.2", "targets.exitFormsReceived '-0.2' is not a share", "exitFormsReceived: 0.5")]
    [InlineData("  employedAtSixMonths: most", "targets.employedAtSixMonths 'most' is not a share", "employedAtSixMonths: 50 %")]
    [InlineData("  participantz: 200", "'participantz' is not a target", "participants, workOrEducationAtExit, employedAtSixMonths, exitFormsReceived, employers, eventAttendees or employersBySize")]
    public void MalformedTarget_IsAnErrorNamingFileKeyAndFix(string line, string problem, string fix)
    {
        var catalog = Load("targets:\n" + line + "\n");

        var error = Assert.Single(catalog.Errors);
        Assert.StartsWith(Path.Combine(_folder.Name, "projects", "p1.yaml") + ":8:", error, StringComparison.Ordinal);
        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.Contains("(fix: ", error, StringComparison.Ordinal);
        Assert.Contains(fix, error, StringComparison.Ordinal);
        Assert.Null(catalog.Find("p1"));
    }

    [Fact]
    public void ACoordinatorNamedByObjectId_IsFoundByTheOidClaim_NotByAnyName()
    {
        const string Oid = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
        var project = Load("").Find("p1")! with { Coordinators = [Oid, "c@x.fi"], Managers = [Oid] };

        Assert.True(project.IsCoordinator(User("renamed@x.fi", Oid.ToUpperInvariant()))); // the UPN changed; the object id did not
        Assert.True(project.IsManager(User("renamed@x.fi", Oid)));
        Assert.True(project.IsCoordinator(User("C@X.fi", "00000000-0000-0000-0000-000000000001"))); // named by sign-in name
        Assert.False(project.IsCoordinator(User("someone@x.fi", "00000000-0000-0000-0000-000000000001")));
        Assert.False(project.IsCoordinator(User(Oid, null))); // an object id in the file is never matched by a name
        Assert.DoesNotContain(Oid, Askel.App.Coordinator.CoordinatorSetup.LocalUsers(ProjectCatalog.Of(project)));
    }

    [Fact]
    public void APersonWrittenWithNameAndObjectId_IsMatchedByTheOid_AndKeptUnderTheName()
    {
        const string Oid = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
        File.WriteAllText(Path.Combine(_folder.FullName, "projects", "p1.yaml"), Head.Replace(
            "coordinators: [c@x.fi]", $"coordinators: [c@x.fi, {{ name: maija@x.fi, id: {Oid} }}]", StringComparison.Ordinal));
        var project = ProjectCatalog.Load(_folder.FullName, _ => true).Find("p1")!;

        Assert.Equal(["c@x.fi", "maija@x.fi"], project.Coordinators);
        Assert.Equal("maija@x.fi", project.CoordinatorName(User("maija.virtanen@x.fi", Oid))); // renamed in Entra: still her
        Assert.Null(project.CoordinatorName(User("maija@x.fi", "00000000-0000-0000-0000-000000000001"))); // her name, someone else's id
        Assert.Equal("c@x.fi", project.CoordinatorName(User("C@x.fi", null)));
        Assert.Equal(Oid, project.ObjectIdOf("MAIJA@x.fi"));
        Assert.True(project.IsCoordinator("maija@x.fi"));
    }

    [Fact]
    public void InAzure_OnlyObjectIdsDecide_ASignInNameAloneMatchesNoOne()
    {
        const string Oid = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
        File.WriteAllText(Path.Combine(_folder.FullName, "projects", "p1.yaml"), Head.Replace(
            "coordinators: [c@x.fi]", $"coordinators: [c@x.fi, {{ name: maija@x.fi, id: {Oid} }}]", StringComparison.Ordinal));
        var project = ProjectCatalog.Load(_folder.FullName, _ => true, objectIdsOnly: true).Find("p1")!;

        Assert.Null(project.CoordinatorName(User("c@x.fi", "00000000-0000-0000-0000-000000000001")));
        Assert.False(project.IsManager(User("m@x.fi", null)));
        Assert.Equal("maija@x.fi", project.CoordinatorName(User("anything@x.fi", Oid)));
    }

    [Theory]
    [InlineData("{ name: maija@x.fi }")]
    [InlineData("{ id: 6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f }")]
    [InlineData("{ name: maija@x.fi, id: not-a-guid }")]
    [InlineData("{ name: maija@x.fi, id: 6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f, role: boss }")]
    public void APersonMapWithoutNameOrId_OrWithMore_IsAnError(string entry)
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "projects", "p1.yaml"), Head.Replace("managers: [m@x.fi]", $"managers: [m@x.fi, {entry}]", StringComparison.Ordinal));
        var catalog = ProjectCatalog.Load(_folder.FullName, _ => true);

        var error = Assert.Single(catalog.Errors);
        Assert.Contains("projects/p1.yaml:6:", error, StringComparison.Ordinal);
        Assert.Contains("needs 'name' (their sign-in name) and 'id' (their Entra object id)", error, StringComparison.Ordinal);
        Assert.Null(catalog.Find("p1"));
    }

    private static ClaimsPrincipal User(string name, string? oid) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, name), .. oid is null ? [] : new[] { new Claim(Askel.App.Security.AppServicePrincipal.ObjectIdClaim, oid) }], "test"));

    [Fact]
    public void Languages_AreAskelsOwn_EachOnce_AndTheWorkflowMustBeWrittenInThem()
    {
        Assert.Null(Load("").Find("p1")!.Languages);
        Assert.Equal(["sv", "fi", "en"], Load("languages: [sv, fi, en]\n").Find("p1")!.Offered);
        foreach (var (tail, error) in new[]
        {
            ("languages: [fi, de]\n", "languages has 'de', which is not a language Askel has (fix: a list of fi, sv, en, uk, ru, ar, so, fa"),
            ("languages: [fi, fi]\n", "languages names a language twice (fix: "),
            ("languages: fi\n", "languages is not a list of languages (fix: "),
        })
        {
            var catalog = Load(tail);
            Assert.Null(catalog.Find("p1"));
            Assert.Contains(catalog.Errors, e => e.Contains(error, StringComparison.Ordinal));
        }

        var workflow = WorkflowCatalog.Load(Repository.Path("workflows")).Get("participant-lifecycle") with { Languages = ["fi", "sv"] };
        var project = Load("languages: [fi, en]\n").Find("p1")!;
        Assert.Equal("workflows/projects/p1.yaml: languages has 'en', but workflow 'participant-lifecycle' is not written in it (fix: use fi, sv)", project.LanguageProblem(workflow));
        Assert.Null((project with { Languages = ["sv"] }).LanguageProblem(workflow));
    }

    [Fact]
    public void Closing_IsReadWithItsDefault_AndEveryBadOneIsRefusedWithItsFix()
    {
        Assert.Null(Load("").Find("p1")!.Closed);
        Assert.Equal(new ProjectClosure(new DateOnly(2027, 1, 31), new DateOnly(2027, 8, 31)), Load("closed: { from: 2027-01-31, summariesUntil: 2027-08-31 }\n").Find("p1")!.Closed);
        // By default the summary of the month it closes in is the last: until the end of the next month.
        Assert.Equal(new ProjectClosure(new DateOnly(2027, 1, 31), new DateOnly(2027, 2, 28)), Load("closed: { from: 2027-01-31 }\n").Find("p1")!.Closed);
        foreach (var (tail, error) in new[]
        {
            ("closed: { summariesUntil: 2027-08-31 }\n", "closed.from is missing (fix: "),
            ("closed: { from: 31.1.2027 }\n", "closed.from '31.1.2027' is not a date (fix: "),
            ("closed: { from: 2027-01-31, summariesUntil: 2026-12-31 }\n", "closed.summariesUntil 2026-12-31 is before closed.from 2027-01-31 (fix: "),
            ("closed: { from: 2027-01-31, until: 2027-02-01 }\n", "'until' is not a closing setting (fix: use from or summariesUntil)"),
            ("closed: yes\n", "closed is not a map (fix: "),
        })
        {
            var catalog = Load(tail);
            Assert.Null(catalog.Find("p1"));
            Assert.Contains(catalog.Errors, e => e.Contains(error, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Retention_IsReadWithItsDefaults()
    {
        var set = Load("retention:\n  years: 5\n  from: 2028-06-30\n  legalHold: true\n").Find("p1")!;
        var unset = Load("").Find("p1")!;

        Assert.Equal(new ProjectRetention(5, new DateOnly(2028, 6, 30), LegalHold: true), set.Retention);
        Assert.Equal(new DateOnly(2033, 12, 31), set.KeptUntil);
        Assert.Same(ProjectRetention.Default, unset.Retention);
        Assert.Equal(new DateOnly(2037, 12, 31), unset.KeptUntil);
    }

    [Theory]
    [InlineData("  years: 3", "retention.years '3' is not a whole number of years from 5 to 100")]
    [InlineData("  years: ten", "retention.years 'ten' is not a whole number of years")]
    [InlineData("  from: 2027-06-30", "retention.from '2027-06-30' is not a date on or after the end date 2027-12-31")]
    [InlineData("  legalHold: maybe", "retention.legalHold 'maybe' is not true or false")]
    [InlineData("  keep: forever", "'keep' is not a retention setting")]
    public void MalformedRetention_IsAnError_AndTheProjectIsNotLoaded(string line, string problem)
    {
        var catalog = Load("retention:\n" + line + "\n");

        var error = Assert.Single(catalog.Errors);
        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.Null(catalog.Find("p1"));
    }

    [Fact]
    public void CooperationTargets_AreParsed()
    {
        var catalog = Load("targets:\n  employers: 20\n  eventAttendees: 300\n  employersBySize: { micro: 10, large: 2 }\n");

        Assert.Empty(catalog.Errors);
        var targets = catalog.Find("p1")!.Targets;
        Assert.Equal((20, 300), (targets.Employers, targets.EventAttendees));
        Assert.Equal(new Dictionary<string, int> { ["micro"] = 10, ["large"] = 2 }, targets.EmployersBySize);
        Assert.Equal(ProjectTargets.None with { Employers = 20, EventAttendees = 300, EmployersBySize = new Dictionary<string, int> { ["large"] = 2, ["micro"] = 10 } }, targets);
        Assert.NotEqual(ProjectTargets.None with { Employers = 20, EventAttendees = 300, EmployersBySize = new Dictionary<string, int> { ["micro"] = 10 } }, targets);
    }

    [Theory]
    [InlineData("  employers: 0", "targets.employers '0' is not a positive whole number (fix: the number of employers the project promised to work with")]
    [InlineData("  eventAttendees: many", "targets.eventAttendees 'many' is not a positive whole number")]
    [InlineData("  employersBySize: 10", "targets.employersBySize is not a map (fix: one size class per line")]
    [InlineData("  employersBySize: { tiny: 3 }", "'tiny' is not a size class (fix: use micro, small, medium or large)")]
    [InlineData("  employersBySize: { small: -1 }", "targets.employersBySize.small '-1' is not a positive whole number")]
    public void MalformedCooperationTargets_AreErrors(string line, string problem)
    {
        var catalog = Load("targets:\n" + line + "\n");

        var error = Assert.Single(catalog.Errors);
        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.Null(catalog.Find("p1"));
    }

    [Fact]
    public void TargetsNotAMap_AndAMalformedGroup_AreErrors()
    {
        var catalog = Load("targets: 200\nmanagerGroup: managers-of-p1\n");

        Assert.Equal(2, catalog.Errors.Count);
        Assert.Contains(catalog.Errors, e => e.Contains("targets is not a map", StringComparison.Ordinal));
        Assert.Contains(catalog.Errors, e => e.Contains("managerGroup 'managers-of-p1' is not an Entra group object id (fix: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ReportsAProjectError_AndFails()
    {
        var workflows = Path.Combine(_folder.FullName, "wf");
        CopyFolder(Repository.Path("workflows"), workflows);
        var demo = Path.Combine(workflows, "projects", "demo.yaml");
        File.WriteAllText(demo, File.ReadAllText(demo).Replace("workOrEducationAtExit: 50 %", "workOrEducationAtExit: 150 %", StringComparison.Ordinal));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = ValidateCommand.Run([workflows], output, error);

        Assert.Equal(1, code);
        Assert.Contains(Path.Combine("wf", "projects", "demo.yaml") + ":18:26: error: targets.workOrEducationAtExit '150 %' is not a share above 0 and at most 100 % (fix: ", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AProjectThatAsksConsentBeforeCoaching_NeedsAWorkflowThatWaitsForIt_OnEveryWayToCoaching()
    {
        var shipped = WorkflowCatalog.Load(Repository.Path("workflows"));
        var asking = Load("consentBeforeCoaching: true\nplanReviewMonths: 6\n");
        Assert.Empty(asking.Errors);
        var project = asking.Find("p1")!;
        Assert.Equal((true, 6), (project.ConsentBeforeCoaching, project.PlanReviewMonths));

        // The shipped lifecycle goes from the entry form straight to coaching: refused, with the step and the fix.
        var problem = Assert.Single(asking.WorkflowProblems(shipped));
        Assert.StartsWith("workflows/projects/p1.yaml: consentBeforeCoaching is true, but workflow 'participant-lifecycle' reaches its coaching step 'coaching' (", problem, StringComparison.Ordinal);
        Assert.Contains("fix: put a 'waitFor: consent' step on every way to it", problem, StringComparison.Ordinal);

        // With the gate on one way only, still refused; on both, accepted.
        var oneWay = Gated(entryNext: "consent", taskNext: "coaching");
        var bothWays = Gated(entryNext: "consent", taskNext: "consent");
        Assert.NotNull(project.ConsentGateProblem(oneWay));
        Assert.Null(project.ConsentGateProblem(bothWays));
        Assert.True(shipped.TryGet("participant-lifecycle", out var lifecycle));
        Assert.Null((project with { ConsentBeforeCoaching = false }).ConsentGateProblem(lifecycle));

        Assert.Contains("consentBeforeCoaching 'yes' is not true or false (fix: e.g. 'consentBeforeCoaching: true')", Assert.Single(Load("consentBeforeCoaching: yes\n").Errors), StringComparison.Ordinal);
    }

    // A workflow whose entry form leads on (and whose task, when the form does not come, leads on) to the given steps.
    private static WorkflowDefinition Gated(string entryNext, string taskNext)
    {
        var loaded = WorkflowLoader.LoadPinned($$"""
            workflow: gated
            title: { fi: Portti, sv: Port, en: Gate }
            languages: [fi]
            channels: [sms]
            steps:
              entry:
                ask: esf-entry
                message: intake-link
                attempts: [P0D]
                expires: P14D
                onExpired: entry-task
                next: {{entryNext}}
              entry-task:
                task: { fi: Alkulomake puuttuu, sv: Saknas, en: Missing }
                outcomes:
                  filled: { next: {{taskNext}}, title: { fi: Täytetty, sv: Ifylld, en: Filled } }
              consent:
                waitFor: consent
                next: coaching
              coaching:
                waitFor: left
                next: done
              done:
                end: completed
            """, "gated.yaml");
        return loaded.Definition ?? throw new InvalidOperationException(string.Join("; ", loaded.Errors));
    }

    [Fact]
    public void TheDemoProject_HasItsTargets()
    {
        var catalog = ProjectCatalog.Load(Repository.Path("workflows"), _ => true);

        Assert.Empty(catalog.Errors);
        Assert.Equal(new ProjectTargets(200, 0.5, null, 0.9) { Employers = 20, EventAttendees = 300 }, catalog.Find("demo")!.Targets);
    }

    [Fact]
    public void IsManager_ByNameOrByTheGroupsClaim()
    {
        var project = new Project("p1", "P", "w", new DateOnly(2027, 12, 31), null, ["c@x.fi"], ["m@x.fi"]) { ManagerGroup = "3f2c9a1e-6b7d-4c55-9e21-0a8b7c6d5e4f" };
        static ClaimsPrincipal User(string name, params string[] groups) =>
            new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), .. groups.Select(g => new Claim("groups", g))], "test"));

        Assert.True(project.IsManager(User("M@x.fi")));
        Assert.True(project.IsManager(User("other@x.fi", "00000000-0000-0000-0000-000000000001", "3F2C9A1E-6B7D-4C55-9E21-0A8B7C6D5E4F")));
        Assert.False(project.IsManager(User("other@x.fi", "00000000-0000-0000-0000-000000000001")));
        Assert.False(project.IsManager(User("c@x.fi")));
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
