using System.Net;
using System.Text.RegularExpressions;
using Askel.App.Audit;
using Askel.App.Projects;
using Askel.App.Tests.Coordinator;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Askel.App.Tests.Coordinator.CoordinatorBrowser;

namespace Askel.App.Tests.Projects;

/// <summary>
/// Projects' settings edited by an admin in the app: written as a project file and read back the same, saved in Table
/// Storage and in effect at once (a coordinator added signs in straight away; another instance follows at its next read),
/// checked by the rules and messages of project files, safe from hostile text, refused over someone else's save, audited,
/// exported as a file, and closed to everyone but admins.
/// </summary>
public sealed partial class ProjectSettingsTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    private const string Page = "/coordinator/admin/projects/demo";
    private const string Oid = "3f2c9a1e-6b7d-4c55-9e21-0a8b7c6d5e4f";

    [Fact]
    public void EveryProjectFile_WrittenAsAFile_ReadsBackAsTheSameProject()
    {
        var files = ProjectCatalog.Load(Repository.Path("workflows"), _ => true);
        var everything = files.Find("demo")! with
        {
            Coordinators = ["maija@kunta.fi", "pekka@kunta.fi"],
            ObjectIds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["maija@kunta.fi"] = Oid },
            ManagerGroup = Oid,
            Targets = new ProjectTargets(200, 0.5, 0.425, 0.9) { Employers = 20, EventAttendees = 300, EmployersBySize = new Dictionary<string, int> { ["micro"] = 10, ["large"] = 2 } },
            NoContactWeeks = 4,
            PlanReviewMonths = 6,
            ConsentBeforeCoaching = true,
            Retention = new ProjectRetention(7, new DateOnly(2028, 6, 30), true),
            EuraCode = "S30123",
            Closed = new ProjectClosure(new DateOnly(2027, 12, 31), new DateOnly(2028, 6, 30)),
            Languages = ["fi", "sv", "uk"],
        };

        Assert.NotEmpty(files.All);
        foreach (var project in files.All.Append(everything))
        {
            var text = ProjectFile.Text(ProjectFile.Of(project), "written by a test");
            var errors = new List<string>();
            var read = ProjectCatalog.Read(text, "p.yaml", _ => true, objectIdsOnly: false, errors);
            Assert.True(read is not null, string.Join("\n", errors));
            Assert.Equal(text, ProjectFile.Text(ProjectFile.Of(read), "written by a test"));
            Assert.Equal(project.Targets, read.Targets);
            Assert.Equal(project.Coordinators, read.Coordinators);
            Assert.Equal(project.ObjectIdOf("maija@kunta.fi"), read.ObjectIdOf("maija@kunta.fi"));
            Assert.Equal(project.Retention, read.Retention);
            Assert.Equal(project.Closed, read.Closed);
            Assert.Equal(project.Offered, read.Offered);
            Assert.Empty(ProjectFile.Changes(project, read));
        }
    }

    [Fact]
    public async Task AnAdmin_AddsACoordinator_WhoSignsInAtOnce_AnotherInstanceFollows_AndTheSaveIsAuditedAndExported()
    {
        var other = Factory.Services.GetRequiredService<ProjectCatalog>(); // another instance, running before the save
        using var coordinator = await SignInAsync("coordinator@askel.local");
        using (var before = await coordinator.GetAsync(Page))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode); // only admins see settings
        }

        using var admin = await SignInAsync("admin@askel.local");
        var form = await admin.GetStringAsync(Page + "?lang=en");
        Assert.Contains("From the project&#x27;s file.", form, StringComparison.Ordinal);
        Assert.Contains(">coordinator@askel.local</textarea>", form, StringComparison.Ordinal);

        using var saved = await PostAsync(admin, Page, Page, Fields(form, ("coordinators", "coordinator@askel.local\nuusi@askel.local " + Oid), ("targets.participants", "250")));
        Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);
        var after = await admin.GetStringAsync(saved.Headers.Location!.ToString());
        Assert.Contains("The settings were saved and are in effect.", after, StringComparison.Ordinal);
        Assert.Contains("Saved by admin@askel.local on 2026-11-23.", after, StringComparison.Ordinal);

        using (var newcomer = await SignInAsync("uusi@askel.local"))
        using (var project = await newcomer.GetAsync("/coordinator/projects/demo"))
        {
            Assert.Equal(HttpStatusCode.OK, project.StatusCode);
        }

        var here = App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        Assert.Equal(["coordinator@askel.local", "uusi@askel.local"], here.Coordinators);
        Assert.Equal(Oid, here.ObjectIdOf("uusi@askel.local"));
        Assert.Equal(250, here.Targets.Participants);
        Assert.Equal(0.9, here.Targets.ExitFormsReceived); // what the form did not change stays

        // Another instance on the same storage follows at its next read of the settings (every 15 s).
        Assert.DoesNotContain("uusi@askel.local", other.Find("demo")!.Coordinators);
        await Factory.Services.GetRequiredService<ProjectSettings>().RefreshAsync(CancellationToken.None);
        Assert.Contains("uusi@askel.local", other.Find("demo")!.Coordinators);

        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", null, 10, CancellationToken.None);
        var record = Assert.Single(audit, a => a.Action == "save-project-settings");
        Assert.Equal(("admin@askel.local", "coordinators, targets"), (record.Actor, record.Detail));

        var file = await admin.GetStringAsync(Page + "/yaml");
        Assert.Contains($"coordinators: [coordinator@askel.local, {{name: uusi@askel.local, id: {Oid}}}]", file, StringComparison.Ordinal);
        Assert.StartsWith("# Project settings saved in Askel by admin@askel.local on 2026-11-23.", file, StringComparison.Ordinal);
        Assert.NotNull(ProjectCatalog.Read(file, "demo.yaml", _ => true, objectIdsOnly: false, []));
    }

    [Fact]
    public async Task BadSettings_AreRefusedByTheRulesOfProjectFiles_EachAtItsField_AndNothingIsSaved()
    {
        using var admin = await SignInAsync("admin@askel.local");
        var form = await admin.GetStringAsync(Page + "?lang=en");

        using var refused = await PostAsync(admin, Page, Page, Fields(form,
            ("lang", "en"), ("targets.participants", "lots"), ("targets.exitFormsReceived", "120 %"), ("endDate", "2027-13-45"), ("managerGroup", "group-of-managers")));
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("endDate &#x27;2027-13-45&#x27; is not a date (fix: write it as YYYY-MM-DD, e.g. 2027-12-31)", page, StringComparison.Ordinal);
        foreach (var field in new[] { "endDate" })
        {
            Assert.Contains($"href=\"#{field}\"", page, StringComparison.Ordinal);
            Assert.Matches($"id=\"{Regex.Escape(field)}\" name=\"{Regex.Escape(field)}\" value=\"[^\"]*\" autocomplete=\"off\" aria-invalid=\"true\"", page);
        }

        // The date fixed, the rules find the rest, each at its field.
        using var rest = await PostAsync(admin, Page, Page, Fields(form,
            ("lang", "en"), ("targets.participants", "lots"), ("targets.exitFormsReceived", "120 %"), ("managerGroup", "group-of-managers")));
        page = await rest.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, rest.StatusCode);
        Assert.Contains("targets.participants &#x27;lots&#x27; is not a positive whole number", page, StringComparison.Ordinal);
        Assert.Contains("targets.exitFormsReceived &#x27;120 %&#x27; is not a share above 0 and at most 100 %", page, StringComparison.Ordinal);
        Assert.Contains("managerGroup &#x27;group-of-managers&#x27; is not an Entra group object id", page, StringComparison.Ordinal);
        foreach (var field in new[] { "targets.participants", "targets.exitFormsReceived", "managerGroup" })
        {
            Assert.Contains($"href=\"#{field}\"", page, StringComparison.Ordinal);
            Assert.Contains($"id=\"{field}-error\"", page, StringComparison.Ordinal);
        }

        Assert.Contains("value=\"lots\"", page, StringComparison.Ordinal); // what was typed stays

        using var empty = await PostAsync(admin, Page, Page, Fields(form, ("name", " "), ("coordinators", "maija@kunta.fi 3f2c9a1e-6b7d-4c55-9e21-0a8b7c6d5e4f extra")));
        page = await empty.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.Contains("Give the project&#x27;s name.", page, StringComparison.Ordinal);
        Assert.Contains("Write only a sign-in name and an object id on each line.", page, StringComparison.Ordinal);

        // The demo workflow never waits for consent: the gate the files have is checked here too.
        using var gate = await PostAsync(admin, Page, Page, Fields(form, ("consentBeforeCoaching", "true")));
        page = await gate.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, gate.StatusCode);
        Assert.Contains("consentBeforeCoaching is true, but workflow &#x27;participant-lifecycle&#x27;", page, StringComparison.Ordinal);
        Assert.Contains("id=\"consentBeforeCoaching-error\"", page, StringComparison.Ordinal);

        Assert.False(App.Services.GetRequiredService<ProjectCatalog>().IsSaved("demo"));
        Assert.Null(await App.Services.GetRequiredService<ProjectSettings>().FindAsync("demo", CancellationToken.None));
    }

    [Fact]
    public async Task HostileText_StaysText_AndTheProjectsPeopleDoNotChange()
    {
        using var admin = await SignInAsync("admin@askel.local");
        var form = await admin.GetStringAsync(Page);
        const string Name = "Demo\ncoordinators: [intruder@evil.example]\n# <script>alert(1)</script>: {x: 1}";

        using var saved = await PostAsync(admin, Page, Page, Fields(form, ("name", Name)));
        Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);

        var project = App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        Assert.Equal(Name, project.Name);
        Assert.Equal(["coordinator@askel.local"], project.Coordinators);
        var page = await admin.GetStringAsync(Page);
        Assert.DoesNotContain("<script>alert(1)", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASaveOverAnotherAdminsSave_IsRefused_ThenReplacesItKnowingly()
    {
        using var admin = await SignInAsync("admin@askel.local");
        var first = await admin.GetStringAsync(Page);
        var second = await admin.GetStringAsync(Page);

        using var one = await PostAsync(admin, Page, Page, Fields(first, ("name", "Ensimmäinen")));
        Assert.Equal(HttpStatusCode.SeeOther, one.StatusCode);
        using var two = await PostAsync(admin, Page, Page, Fields(second, ("name", "Toinen")));
        var page = await two.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, two.StatusCode);
        Assert.Contains("Joku muu tallensi projektin asetukset sillä välin.", page, StringComparison.Ordinal);
        Assert.Equal("Ensimmäinen", App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!.Name);

        using var again = await PostAsync(admin, Page, Page, Fields(page, ("name", "Toinen")));
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        Assert.Equal("Toinen", App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!.Name);
    }

    [Fact]
    public async Task ANewProject_IsCreatedForItsCoordinator_AndItsIdIsNotTakenTwice()
    {
        using var admin = await SignInAsync("admin@askel.local");
        const string New = "/coordinator/admin/new-project";
        var form = await admin.GetStringAsync(New);
        (string, string)[] fields =
            [("project", "rovaniemi-international"), ("name", "Rovaniemi International"), ("workflow", "participant-lifecycle"), ("endDate", "2028-06-30"), ("coordinators", "maija@askel.local"), ("managers", "")];

        using var bad = await PostAsync(admin, New, "/coordinator/admin/projects", Fields(form, [.. fields, ("project", "Rovaniemi!")]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("Anna tunnus pienillä kirjaimilla", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var created = await PostAsync(admin, New, "/coordinator/admin/projects", Fields(form, fields));
        Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
        Assert.StartsWith("/coordinator/admin/projects/rovaniemi-international?", created.Headers.Location!.ToString(), StringComparison.Ordinal);
        using (var maija = await SignInAsync("maija@askel.local"))
        {
            Assert.Equal(HttpStatusCode.OK, (await maija.GetAsync("/coordinator/projects/rovaniemi-international")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await maija.GetAsync("/coordinator/projects/demo")).StatusCode);
        }

        using var twice = await PostAsync(admin, New, "/coordinator/admin/projects", Fields(form, fields));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        using var fileProject = await PostAsync(admin, New, "/coordinator/admin/projects", Fields(form, [.. fields, ("project", "demo")]));
        Assert.Equal(HttpStatusCode.Conflict, fileProject.StatusCode);
        Assert.Contains("Tällä tunnuksella on jo projekti.", await fileProject.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await App.Services.GetRequiredService<AuditLog>().ReadAsync("rovaniemi-international", null, 10, CancellationToken.None), a => a.Action == "create-project");
    }

    [Fact]
    public async Task AClosedProject_TakesNoParticipantsOrCasework_ButStillCollectsFormsAndKeepsTheRights()
    {
        var before = await App.Services.GetRequiredService<Askel.App.Participants.ParticipantService>().EnrolAsync(
            App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!, new Askel.App.Participants.Enrolment("Aino", "Virtanen", "fi", "aino@example.org", null, IntakeInPerson: false),
            "coordinator@askel.local", CancellationToken.None);
        using var admin = await SignInAsync("admin@askel.local");
        var form = await admin.GetStringAsync(Page);
        using var closing = await PostAsync(admin, Page, Page, Fields(form, ("closed.from", "2026-11-23"), ("closed.summariesUntil", "2027-06-30")));
        Assert.Equal(HttpStatusCode.SeeOther, closing.StatusCode);
        Assert.Equal(new ProjectClosure(new DateOnly(2026, 11, 23), new DateOnly(2027, 6, 30)), App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!.Closed);

        using var coordinator = await SignInAsync("coordinator@askel.local");
        var project = await coordinator.GetStringAsync("/coordinator/projects/demo");
        Assert.Contains("Projekti on suljettu 2026-11-23 alkaen", project, StringComparison.Ordinal);
        Assert.DoesNotContain("/participants/new", project, StringComparison.Ordinal);
        const string Closed = "Askel demo project on suljettu 2026-11-23 alkaen";
        foreach (var path in new[] { "/coordinator/projects/demo/participants/new", "/coordinator/projects/demo/import", "/coordinator/projects/demo/guidance" })
        {
            using var refused = await coordinator.GetAsync(path);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains(Closed, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var timeline = $"/coordinator/projects/demo/participants/{before.Id}";
        foreach (var (path, fields) in new (string, (string, string)[])[]
        {
            ("/coordinator/projects/demo/participants/new", [("firstName", "Bo"), ("lastName", "Lind"), ("language", "sv"), ("email", "bo@example.org")]),
            (timeline + "/sessions", [("date", "2026-11-23"), ("minutes", "45"), ("kind", "individual")]),
            (timeline + "/plan", [("goal-type-0", "work"), ("goal-text-0", "Työpaikka"), ("reviewOn", "2026-12-20")]),
            ("/coordinator/projects/demo/employers", [("businessId", "0112038-9"), ("name", "Leipomo Oy"), ("size", "small")]),
        })
        {
            using var refused = await PostAsync(coordinator, timeline, path, fields);
            Assert.True(refused.StatusCode == HttpStatusCode.Conflict, $"{path}: {refused.StatusCode}");
        }

        Assert.Single(await App.Services.GetRequiredService<Askel.App.Participants.ParticipantService>().ListAsync("demo", "test", CancellationToken.None));
        Assert.Empty(await App.Services.GetRequiredService<Askel.App.Participants.Plans>().HistoryAsync("demo", before.Id, CancellationToken.None));

        // The timeline keeps what the follow-up needs and drops the casework forms.
        var page = await coordinator.GetStringAsync(timeline);
        Assert.Contains("Projekti on suljettu 2026-11-23 alkaen", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"action=\"{timeline}/sessions\"", page, StringComparison.Ordinal);
        Assert.Contains($"action=\"{timeline}/attempts\"", page, StringComparison.Ordinal);

        // The follow-up goes on: a call to reach them is logged, they are marked as left (their exit form follows), and their rights still apply.
        using var attempt = await PostAsync(coordinator, timeline, timeline + "/attempts", ("kind", "phone"), ("outcome", "no-answer"));
        Assert.Equal(HttpStatusCode.SeeOther, attempt.StatusCode);
        using var left = await PostAsync(coordinator, timeline, timeline + "/left", ("leftOn", "2026-11-23"));
        Assert.Equal(HttpStatusCode.SeeOther, left.StatusCode);
        using var export = await coordinator.GetAsync(timeline + "/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
    }

    [Fact]
    public async Task TheLanguagesTicked_AreTheOnesEnrolmentOffers()
    {
        using var admin = await SignInAsync("admin@askel.local");
        var form = await admin.GetStringAsync(Page);
        using var saved = await PostAsync(admin, Page, Page, [.. Fields(form), ("languages", "sv"), ("languages", "fi")]);
        Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);
        Assert.Equal(["sv", "fi"], App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!.Languages);
        Assert.Contains("id=\"languages-sv\" name=\"languages\" value=\"sv\" checked", await admin.GetStringAsync(Page), StringComparison.Ordinal);

        using var coordinator = await SignInAsync("coordinator@askel.local");
        const string Enrol = "/coordinator/projects/demo/participants/new";
        var enrolPage = await coordinator.GetStringAsync(Enrol);
        Assert.Contains("<option value=\"sv\"", enrolPage, StringComparison.Ordinal);
        Assert.DoesNotContain("<option value=\"en\"", enrolPage, StringComparison.Ordinal);
        using var refused = await PostAsync(coordinator, Enrol, Enrol, ("firstName", "Bo"), ("lastName", "Lind"), ("language", "en"), ("email", "bo@example.org"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        using var enrolled = await PostAsync(coordinator, Enrol, Enrol, ("firstName", "Bo"), ("lastName", "Lind"), ("language", "sv"), ("email", "bo@example.org"));
        Assert.Equal(HttpStatusCode.SeeOther, enrolled.StatusCode);
    }

    [Fact]
    public async Task SavedSettingsThatStopCheckingOut_NeverFallBackToTheFile_AreLoggedOnce_AndTheAdminMendsThem()
    {
        var settings = App.Services.GetRequiredService<ProjectSettings>();
        var catalog = App.Services.GetRequiredService<ProjectCatalog>();
        using var admin = await SignInAsync("admin@askel.local");
        using var saved = await PostAsync(admin, Page, Page, Fields(await admin.GetStringAsync(Page), ("name", "Renamed"), ("coordinators", "maija@askel.local")));
        Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);

        // A deployment removes their workflow: the last good settings stay in use, not the file's (whose coordinator was removed).
        var row = (await settings.Table.GetEntityAsync<Azure.Data.Tables.TableEntity>(ProjectSettings.Partition, "demo")).Value;
        row["Text"] = ProjectFile.Text(ProjectFile.Of(catalog.Find("demo")! with { Workflow = "removed-workflow" }), "saved before a deployment");
        await settings.Table.UpdateEntityAsync(row, row.ETag);
        await settings.RefreshAsync(CancellationToken.None);
        await settings.RefreshAsync(CancellationToken.None);
        Assert.Equal(("Renamed", "participant-lifecycle"), (catalog.Find("demo")!.Name, catalog.Find("demo")!.Workflow));
        Assert.Single(Factory.Logs.Lines, l => l.Contains("[1006]", StringComparison.Ordinal));

        // Another instance starting now has no good settings of it: the project is left out, not opened on its file; and the
        // coordinator removed in the app gets no access back here either.
        var other = Factory.Services.GetRequiredService<ProjectCatalog>();
        Assert.Null(other.Find("demo"));
        using (var coordinator = await SignInAsync("coordinator@askel.local"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await coordinator.GetAsync("/coordinator/projects/demo")).StatusCode);
        }

        // The admin sees why and mends it on its form.
        var list = await admin.GetStringAsync("/coordinator/admin/projects");
        Assert.Contains("workflow &#x27;removed-workflow&#x27; does not exist", list, StringComparison.Ordinal);
        Assert.Contains("href=\"/coordinator/admin/projects/demo?lang=fi\"", list, StringComparison.Ordinal);
        var form = await admin.GetStringAsync(Page);
        Assert.Contains("workflow &#x27;removed-workflow&#x27; does not exist", form, StringComparison.Ordinal);
        using var mended = await PostAsync(admin, Page, Page, Fields(form, ("workflow", "participant-lifecycle")));
        Assert.Equal(HttpStatusCode.SeeOther, mended.StatusCode);
        await Factory.Services.GetRequiredService<ProjectSettings>().RefreshAsync(CancellationToken.None);
        Assert.Equal("Renamed", other.Find("demo")!.Name);
    }

    // The form's fields as the page shows them, with some changed.
    private static (string Name, string Value)[] Fields(string page, params (string Name, string Value)[] changes)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputField().Matches(page))
        {
            fields[WebUtility.HtmlDecode(input.Groups["name"].Value)] = WebUtility.HtmlDecode(input.Groups["value"].Value);
        }

        foreach (Match area in TextArea().Matches(page))
        {
            fields[area.Groups["name"].Value] = WebUtility.HtmlDecode(area.Groups["value"].Value);
        }

        if (SelectedWorkflow().Match(page) is { Success: true } workflow)
        {
            fields["workflow"] = workflow.Groups[1].Value;
        }

        fields.Remove("__af");
        fields.Remove("consentBeforeCoaching"); // a box not ticked is not posted
        foreach (var (name, value) in changes)
        {
            fields[name] = value;
        }

        return [.. fields.Select(f => (f.Key, f.Value))];
    }

    [GeneratedRegex("<input type=\"(?:text|date|hidden)\" (?:id=\"[^\"]*\" )?name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex InputField();

    [GeneratedRegex("<textarea id=\"[^\"]*\" name=\"(?<name>[^\"]+)\"[^>]*>(?<value>[^<]*)</textarea>")]
    private static partial Regex TextArea();

    [GeneratedRegex("<option value=\"([^\"]+)\" selected")]
    private static partial Regex SelectedWorkflow();
}
