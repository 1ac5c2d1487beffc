using System.Net;
using Askel.App.Audit;
using Askel.Runtime.Client;
using Askel.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Askel.App.Tests.Coordinator.CoordinatorBrowser;

namespace Askel.App.Tests.Coordinator;

/// <summary>The coordinator pages through the local sign-in, against Azurite, on the app's virtual clock.</summary>
public sealed class CoordinatorPagesTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    [Fact]
    public async Task WithoutSignIn_PagesRedirectToTheLocalSignIn_WhichListsTheProjectUsers()
    {
        using var client = Client();

        using var response = await client.GetAsync("/coordinator/projects/demo");
        var signIn = await client.GetStringAsync("/coordinator/signin");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/coordinator/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"fi\"", signIn, StringComparison.Ordinal);
        Assert.Contains("coordinator@askel.local", signIn, StringComparison.Ordinal);
        Assert.Contains("coach@askel.local", signIn, StringComparison.Ordinal);
        Assert.Contains("manager@askel.local", signIn, StringComparison.Ordinal);
        Assert.Contains("admin@askel.local", signIn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrolment_KeepsTypedValuesOnAProblem_ThenListsAndShowsTheParticipant_AndAuditsIt()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var projects = await client.GetStringAsync("/coordinator?lang=en");
        Assert.Contains("/coordinator/projects/demo?", projects, StringComparison.Ordinal);
        Assert.Contains("/coordinator/projects/demo-eura?", projects, StringComparison.Ordinal);

        using var invalid = await PostAsync(client, "/coordinator/projects/demo/participants/new",
            ("firstName", "Aino"), ("lastName", "Virtanen"), ("language", "sv"), ("email", ""), ("phone", "12ab"));
        var invalidPage = await invalid.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Contains("value=\"Aino\"", invalidPage, StringComparison.Ordinal);
        Assert.Contains("value=\"Virtanen\"", invalidPage, StringComparison.Ordinal);
        Assert.Contains("value=\"12ab\"", invalidPage, StringComparison.Ordinal);
        Assert.Contains("<option value=\"sv\" selected>", invalidPage, StringComparison.Ordinal);
        Assert.Contains("id=\"phone-error\"", invalidPage, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", invalidPage, StringComparison.Ordinal);

        var id = await EnrolAsync(client, "Aino", "Virtanen", email: null, phone: "040 123 4567");
        await App.Services.SettleAsync();

        var list = await client.GetStringAsync("/coordinator/projects/demo");
        Assert.Contains("Aino Virtanen", list, StringComparison.Ordinal);
        // The status in words, from the step's title and the attempts (P0D now, P2D next): never ids.
        Assert.Contains("Alkulomake lähetetty 23.11., muistutus 1/3 tulossa 25.11. klo 10.00", WebUtility.HtmlDecode(list), StringComparison.Ordinal);
        Assert.DoesNotContain("form:esf-entry", list, StringComparison.Ordinal);
        var timeline = await client.GetStringAsync($"/coordinator/projects/demo/participants/{id}?lang=en");
        Assert.Contains("<html lang=\"en\"", timeline, StringComparison.Ordinal);
        Assert.Contains("step entry", timeline, StringComparison.Ordinal);
        Assert.Contains("awaiting: form:esf-entry", timeline, StringComparison.Ordinal);
        Assert.Matches("<td>SMS</td><td>outbox</td><td>sent</td>", timeline); // the intake SMS, from the message log
        Assert.DoesNotContain("/f/", timeline, StringComparison.Ordinal); // never a message's text (its link)

        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", null, 100, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "enrol" && a.ParticipantId == id && a.Actor == "coordinator@askel.local");
        Assert.Contains(audit, a => a.Action == "view-list" && a.Actor == "coordinator@askel.local");
        Assert.Contains(audit, a => a.Action == "view-timeline" && a.ParticipantId == id);
    }

    [Fact]
    public async Task AProjectTheUserDoesNotCoordinate_IsNotFound()
    {
        using var client = await SignInAsync("coach@askel.local");

        using var other = await client.GetAsync("/coordinator/projects/demo");
        using var enrol = await client.GetAsync("/coordinator/projects/demo/participants/new");
        using var own = await client.GetAsync("/coordinator/projects/demo-eura");
        var projects = await client.GetStringAsync("/coordinator");

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, enrol.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.DoesNotContain("/coordinator/projects/demo?", projects, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryToken_IsRefused()
    {
        using var client = await SignInAsync("coordinator@askel.local");

        using var response = await client.PostAsync("/coordinator/projects/demo/participants/new", new FormUrlEncodedContent(
            [KeyValuePair.Create("firstName", "Aino"), KeyValuePair.Create("lastName", "Virtanen"), KeyValuePair.Create("language", "fi"), KeyValuePair.Create("phone", "0401234567")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AssistedEntry_MarkLeft_SendsTheExitMessage_AndATaskNeedsAReasonForMovedAway()
    {
        var client = await SignInAsync("coordinator@askel.local");
        var id = await EnrolAsync(client, "Omar", "Ali", email: "omar@example.com", phone: "0401234567");
        await App.Services.SettleAsync();
        var instanceId = $"demo.{id}";

        // The entry form filled in together, through the same pages the participant has.
        var form = $"/coordinator/projects/demo/participants/{id}/forms/esf-entry";
        var first = await client.GetStringAsync(form);
        Assert.Contains("class=\"banner\"", first, StringComparison.Ordinal);
        await FormPageAsync(client, form, "about-you", ("q.gender", "man"), ("q.birthDate.day", "5"), ("q.birthDate.month", "6"), ("q.birthDate.year", "1990"));
        await FormPageAsync(client, form, "work", ("q.labourStatus", "employed"));
        await FormPageAsync(client, form, "education", ("q.education", "vocational"));
        await FormPageAsync(client, form, "background", ("q.citizenship", "non-eu"));
        await FormPageAsync(client, form, "consent", ("q.privacy", "yes"));
        Assert.Equal("coaching", (await App.Services.WorkflowStatusAsync(instanceId))!.Step);

        var outbox = Path.Combine(Factory.DataPath, "outbox");
        var before = Directory.GetFiles(outbox, instanceId + ".*").Length;
        using var left = await PostAsync(client, $"/coordinator/projects/demo/participants/{id}/left", ("leftOn", "2026-11-23"));
        Assert.Equal(HttpStatusCode.SeeOther, left.StatusCode);
        await App.Services.SettleAsync();

        var state = (await App.Services.WorkflowStatusAsync(instanceId))!;
        Assert.Equal("exit", state.Step);
        Assert.Equal(new AwaitingForm("esf-exit"), state.Awaiting);
        var files = Directory.GetFiles(outbox, instanceId + ".*");
        Assert.True(files.Length > before);
        Assert.Contains(files, f => f.EndsWith(".eml", StringComparison.Ordinal));
        var timeline = await client.GetStringAsync($"/coordinator/projects/demo/participants/{id}?lang=en");
        Assert.Contains("step exit", timeline, StringComparison.Ordinal);
        Assert.Matches("<td>email</td><td>outbox</td><td>sent</td>", timeline);

        // Four attempts and the answering time later, the coordinator gets the exit task.
        for (var day = 0; day < 30; day++)
        {
            Factory.Time.Advance(TimeSpan.FromDays(1));
            await App.Services.SettleAsync();
        }

        Assert.Equal(new AwaitingTask("exit-task"), (await App.Services.WorkflowStatusAsync(instanceId))!.Awaiting);
        using var expired = await client.GetAsync("/coordinator/projects/demo");
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode); // a month on the virtual clock: the sign-in has expired
        client.Dispose();
        client = await SignInAsync("coordinator@askel.local");
        var project = await client.GetStringAsync("/coordinator/projects/demo?lang=en");
        Assert.Contains("The exit form is missing after four attempts", project, StringComparison.Ordinal);

        using var refused = await PostAsync(client, $"/coordinator/projects/demo/participants/{id}/tasks/exit-task?lang=en", ("outcome", "moved-away"), ("reason", " "), ("lang", "en"));
        var refusedPage = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Write a reason", refusedPage, StringComparison.Ordinal);
        Assert.Contains("<option value=\"moved-away\" selected>Moved away</option>", refusedPage, StringComparison.Ordinal); // the workflow's words
        Assert.Contains("<option value=\"answered-by-phone\">Answered by phone</option>", refusedPage, StringComparison.Ordinal);
        Assert.Equal(new AwaitingTask("exit-task"), (await App.Services.WorkflowStatusAsync(instanceId))!.Awaiting);

        using var done = await PostAsync(client, $"/coordinator/projects/demo/participants/{id}/tasks/exit-task", ("outcome", "moved-away"), ("reason", "Moved to Tampere"));
        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        Assert.Equal("six-month-wait", (await App.Services.WorkflowStatusAsync(instanceId))!.Step);
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", id, 200, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "mark-left");
        Assert.Contains(audit, a => a.Action == "submit-form-assisted" && a.Actor == "coordinator@askel.local");
        Assert.Contains(audit, a => a.Action == "complete-task" && a.Detail == "exit-task: moved-away");
        client.Dispose();
    }

    [Fact]
    public async Task SessionsAndTheQrCode_AreShownAndAudited()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var id = await EnrolAsync(client, "Lea", "Korhonen", email: "lea@example.com", phone: null, inPerson: true);
        await App.Services.SettleAsync();

        using var session = await PostAsync(client, $"/coordinator/projects/demo/participants/{id}/sessions", ("date", "2026-11-20"), ("minutes", "45"), ("kind", "group"));
        using var badSession = await PostAsync(client, $"/coordinator/projects/demo/participants/{id}/sessions", ("date", "20.11.2026"), ("minutes", "45"), ("kind", "group"));
        var qr = await client.GetStringAsync($"/coordinator/projects/demo/participants/{id}/link?lang=en");
        using var newLink = await PostAsync(client, $"/coordinator/projects/demo/participants/{id}/link");
        var timeline = await client.GetStringAsync($"/coordinator/projects/demo/participants/{id}?lang=en");

        Assert.Equal(HttpStatusCode.SeeOther, session.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badSession.StatusCode);
        Assert.Contains("<img alt=\"QR code of the link\" src=\"data:image/png;base64,", qr, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, newLink.StatusCode);
        Assert.Contains("2026-11-20", timeline, StringComparison.Ordinal);
        Assert.Contains("group", timeline, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(Factory.DataPath, "outbox"), $"demo.{id}.*new-link*.eml"));
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", id, 100, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "log-session");
        Assert.Contains(audit, a => a.Action == "show-qr");
        Assert.Contains(audit, a => a.Action == "send-new-link");
    }

    [Fact]
    public async Task OptedOutChannel_ReenabledOnlyWithAReason_AndALoggedCallJoinsTheMessagesInOneList()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var id = await EnrolAsync(client, "Lea", "Korhonen", email: "lea@example.com", phone: "040 123 4567");
        await App.Services.SettleAsync();
        var participants = App.Services.GetRequiredService<Askel.App.Participants.ParticipantService>();
        var participant = (await participants.FindAsync("demo", id, CancellationToken.None))!;
        await App.Services.GetRequiredService<Askel.App.Participants.ContactChannels>().MarkAsync(participant, "sms", "opted-out", "sms STOP", CancellationToken.None);
        var basePath = $"/coordinator/projects/demo/participants/{id}";

        var before = await client.GetStringAsync(basePath);
        using var noReason = await CoordinatorBrowser.PostAsync(client, basePath, basePath + "/channels/sms/reenable", ("reason", " "));
        using var withReason = await CoordinatorBrowser.PostAsync(client, basePath, basePath + "/channels/sms/reenable", ("reason", "Pyysi puhelimessa viestejä taas"));
        using var badAttempt = await CoordinatorBrowser.PostAsync(client, basePath, basePath + "/attempts", ("kind", "visit"), ("outcome", "wrong-number"));
        using var call = await CoordinatorBrowser.PostAsync(client, basePath, basePath + "/attempts", ("kind", "phone"), ("outcome", "reached"));
        var after = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync(basePath + "?lang=en"));

        Assert.Contains("Ota tekstiviesti taas käyttöön", System.Net.WebUtility.HtmlDecode(before), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        Assert.Contains("Kirjaa syy: viestikiellon saa poistaa vain osallistujan pyynnöstä.", System.Net.WebUtility.HtmlDecode(await noReason.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, withReason.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badAttempt.StatusCode);
        Assert.Contains("Väärä numero koskee vain puhelua tai WhatsAppia.", System.Net.WebUtility.HtmlDecode(await badAttempt.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, call.StatusCode);
        Assert.DoesNotContain("Use SMS again", after, StringComparison.Ordinal);
        var list = after[after.IndexOf("<h2>Contact attempts</h2>", StringComparison.Ordinal)..];
        Assert.Contains("<td>phone call</td><td>coordinator@askel.local</td><td>reached</td>", list, StringComparison.Ordinal);
        Assert.Contains("<td>SMS</td>", list, StringComparison.Ordinal); // the intake link Askel sent, in the same list
        Assert.Null((await participants.FindAsync("demo", id, CancellationToken.None))!.SmsState);
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", id, 100, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "channel-reenabled" && a.Detail == "sms (was opted-out): Pyysi puhelimessa viestejä taas");
    }

    [Fact]
    public async Task ProjectList_IsPaged_AndSearchedByNameOrNumber_WithTheSearchTextNeverInAnAddress()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var service = App.Services.GetRequiredService<Askel.App.Participants.ParticipantService>();
        var project = App.Services.GetRequiredService<Askel.App.Projects.ProjectCatalog>().Find("demo")!;
        await service.EnrolAsync(project, new Askel.App.Participants.Enrolment("Aino", "Järvinen", "fi", null, "040 123 4567", IntakeInPerson: true), "coordinator@askel.local", CancellationToken.None);
        for (var i = 0; i < Askel.App.Coordinator.CoordinatorPages.ParticipantsPerPage; i++)
        {
            await service.EnrolAsync(project, new Askel.App.Participants.Enrolment("Testi", $"Henkilö{i:D2}", "fi", $"t{i}@example.org", null, IntakeInPerson: true), "coordinator@askel.local", CancellationToken.None);
        }

        var first = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/coordinator/projects/demo"));
        var second = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/coordinator/projects/demo?page=2"));
        using var byName = await CoordinatorBrowser.PostAsync(client, "/coordinator/projects/demo", "/coordinator/projects/demo", ("q", "jarvinen"));
        using var byNumber = await CoordinatorBrowser.PostAsync(client, "/coordinator/projects/demo", "/coordinator/projects/demo", ("q", "+358 40 123 4567"));
        using var secondOfSearch = await CoordinatorBrowser.PostAsync(client, "/coordinator/projects/demo", "/coordinator/projects/demo", ("q", "i"), ("page", "2"));
        using var withoutToken = await client.PostAsync("/coordinator/projects/demo", new FormUrlEncodedContent([KeyValuePair.Create("q", "aino")]));

        Assert.Contains("51 osallistujaa", first, StringComparison.Ordinal);
        Assert.Contains("Sivu 1 / 2", first, StringComparison.Ordinal);
        Assert.Contains("href=\"/coordinator/projects/demo?page=2&lang=fi\"", first, StringComparison.Ordinal);
        Assert.Equal(Askel.App.Coordinator.CoordinatorPages.ParticipantsPerPage, Rows(first));
        Assert.Equal(1, Rows(second));
        var name = System.Net.WebUtility.HtmlDecode(await byName.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, byName.StatusCode);
        Assert.Contains("Löytyi 1 / 51 osallistujaa", name, StringComparison.Ordinal);
        Assert.Contains("Aino Järvinen", name, StringComparison.Ordinal);
        Assert.DoesNotContain("Henkilö", name, StringComparison.Ordinal);
        Assert.DoesNotMatch("href=\"[^\"]*(jarvinen|q=)", name);
        Assert.Contains("Aino Järvinen", System.Net.WebUtility.HtmlDecode(await byNumber.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var searchPage = System.Net.WebUtility.HtmlDecode(await secondOfSearch.Content.ReadAsStringAsync());
        Assert.Contains("Sivu 2 / 2", searchPage, StringComparison.Ordinal);
        Assert.Equal(1, Rows(searchPage));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);

        static int Rows(string page) => System.Text.RegularExpressions.Regex.Matches(page[page.IndexOf("<h2>Osallistujat</h2>", StringComparison.Ordinal)..page.IndexOf("<h2>Avoimet tehtävät</h2>", StringComparison.Ordinal)], "<th scope=\"row\">").Count;
    }

    [Fact]
    public async Task WithoutLocalSignIn_TheSignInPagePointsToAppServiceAuthentication_AndTheHeaderStillWorks()
    {
        using var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var signIn = await client.GetStringAsync("/coordinator/signin");
        using var anonymous = await client.GetAsync("/coordinator");
        client.As("coordinator@askel.local", "coordinator");
        using var signedIn = await client.GetAsync("/coordinator/projects/demo");
        client.As("manager@askel.local", "manager");
        using var manager = await client.GetAsync("/coordinator");

        Assert.Contains("/.auth/login/aad", signIn, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"user\"", signIn, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("/.auth/login/aad", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, manager.StatusCode); // a manager's project list: the summaries only
        var managerPage = await manager.Content.ReadAsStringAsync();
        Assert.Contains("/coordinator/projects/demo/summary?", managerPage, StringComparison.Ordinal);
        Assert.DoesNotContain("/coordinator/projects/demo?", managerPage, StringComparison.Ordinal);
    }

    private HttpClient Client() => App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    [Fact]
    public async Task AParticipantWhoseWorkflowNeverStarted_IsStartedWhenTheListIsRead()
    {
        // As after a crash between storing the participant and starting their workflow.
        var orphan = new Askel.App.Participants.Participant
        {
            PartitionKey = "demo", RowKey = "orphan1", FirstName = "Aino", LastName = "Virtanen", Language = "fi",
            Phone = "+358401234567", EnrolledBy = "coordinator@askel.local", EnrolledAt = Factory.Time.GetUtcNow(),
        };
        await App.Services.GetRequiredService<Askel.App.Participants.ParticipantTables>().Participants.AddEntityAsync(orphan);
        using var client = await SignInAsync("coordinator@askel.local");

        _ = await client.GetStringAsync("/coordinator/projects/demo?lang=en");

        var state = (await App.Services.WorkflowStatusAsync("demo.orphan1"))!;
        var list = await client.GetStringAsync("/coordinator/projects/demo?lang=en");
        Assert.Equal("entry", state.Step);
        Assert.Contains("Entry form sent 23 Nov, reminder 1 of 3 due 25 Nov at 10:00", list, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(Factory.DataPath, "outbox"), "demo.orphan1.*.sms.json"));
    }

    [Fact]
    public async Task AssistedFormPost_WithoutTheAntiforgeryToken_IsRefused_AndTheDraftIsUnchanged()
    {
        var client = await SignInAsync("coordinator@askel.local");
        var id = await EnrolAsync(client, "Omar", "Ali", email: "omar@example.com", phone: "0401234567");
        var form = $"/coordinator/projects/demo/participants/{id}/forms/esf-entry";
        await FormPageAsync(client, form, "about-you", ("q.gender", "man"), ("q.birthDate.day", "5"), ("q.birthDate.month", "6"), ("q.birthDate.year", "1990"));

        // Another site's page posting in the coordinator's signed-in browser: the cookies go along, the token cannot.
        using var forged = await client.PostAsync(form, new FormUrlEncodedContent([KeyValuePair.Create("page", "about-you"), KeyValuePair.Create("action", "next"), KeyValuePair.Create("q.gender", "woman")]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Matches("value=\"man\" checked", await client.GetStringAsync($"{form}?page=about-you"));
    }

    [Theory]
    [InlineData("/coordinator\r\nSet-Cookie: x=1")]
    [InlineData("/coordinator/projects/dämo")]
    [InlineData("/coordinator/\u0001")]
    public async Task SignIn_WithAHostileReturnAddress_RedirectsWithASafeLocation(string returnUrl)
    {
        using var client = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

        using var response = await CoordinatorBrowser.PostAsync(client, "/coordinator/signin", "/coordinator/signin", ("user", "coordinator@askel.local"), ("returnUrl", returnUrl));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/coordinator", location, StringComparison.Ordinal);
        Assert.All(location, c => Assert.InRange(c, '!', '~'));
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(v => v.StartsWith("x=", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("d%C3%A4mo", "x")]
    [InlineData("demo", "x%01y")]
    [InlineData("demo", "%E2%80%AEevil")]
    public async Task AssistedFormDone_WithRawRouteValues_RedirectsWithASafeLocation(string project, string participant)
    {
        using var client = await SignInAsync("coordinator@askel.local");

        using var response = await client.GetAsync($"/coordinator/projects/{project}/participants/{participant}/forms/esf-entry/done");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.All(response.Headers.Location!.OriginalString, c => Assert.InRange(c, '!', '~'));
    }

    [Fact]
    public async Task LocalSignInCookie_IsNotReadByAnAppWithoutTheLocalSignIn()
    {
        var cookie = await SignInCookieAsync(LocalAdminUser);

        // The same storage and keys, the local sign-in off (as in Azure): the cookie is not a way in.
        using var azureLike = Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/coordinator?lang=en");
        request.Headers.Add("Cookie", cookie);
        using var response = await azureLike.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("/.auth/login/aad", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInCookie_IsReadByAnotherInstanceOfTheApp_OnTheSameStorage()
    {
        var cookie = await SignInCookieAsync("coordinator@askel.local");

        // The same storage and the same secret (in Azure: the same Key Vault; here: the same data folder).
        await using var second = new AskelAppFactory(Output, (await Askel.Testing.Azurite.AccountAsync()).ConnectionString)
        {
            StoragePrefix = Factory.StoragePrefix,
            Settings = new Dictionary<string, string?> { ["Askel:DataPath"] = Factory.DataPath },
        };
        await using var other = second.WithWebHostBuilder(builder => builder.UseSetting("Askel:LocalSignIn", "true"));
        using var otherClient = other.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/coordinator?lang=en");
        request.Headers.Add("Cookie", cookie);
        using var response = await otherClient.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/coordinator/projects/demo?", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var keys = Factory.Services.GetRequiredService<Azure.Data.Tables.TableServiceClient>().GetTableClient(Factory.StoragePrefix + "keys");
        var stored = keys.Query<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "dataprotection").Select(k => k.GetString("Xml")).ToList();
        Assert.NotEmpty(stored);
        Assert.All(stored, xml => Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal)); // encrypted at rest: no <masterKey><value>
        Assert.All(stored, xml => Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignInCookie_IsNotReadByAnAppWithAnotherSecret_EvenOnTheSameStorage()
    {
        var cookie = await SignInCookieAsync("coordinator@askel.local");

        // Table access without the secret: the stored keys cannot be decrypted, so the cookie signs no one in.
        await using var second = new AskelAppFactory(Output, (await Askel.Testing.Azurite.AccountAsync()).ConnectionString) { StoragePrefix = Factory.StoragePrefix };
        await using var other = second.WithWebHostBuilder(builder => builder.UseSetting("Askel:LocalSignIn", "true"));
        using var otherClient = other.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/coordinator?lang=en");
        request.Headers.Add("Cookie", cookie);
        using var response = await otherClient.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/coordinator/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private const string LocalAdminUser = "admin@askel.local";

    /// <summary>Signs <paramref name="user"/> in to the local-sign-in app as a browser would, without a cookie jar; returns the cookies it set.</summary>
    private async Task<string> SignInCookieAsync(string user)
    {
        using var client = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        using var signInPage = await client.GetAsync("/coordinator/signin");
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/coordinator/signin")
        {
            Content = new FormUrlEncodedContent([
                KeyValuePair.Create("__af", WebUtility.HtmlDecode(TokenField().Match(await signInPage.Content.ReadAsStringAsync()).Groups[1].Value)),
                KeyValuePair.Create("user", user), KeyValuePair.Create("returnUrl", "/coordinator")]),
        };
        signIn.Headers.Add("Cookie", Cookies(signInPage));
        using var signedIn = await client.SendAsync(signIn);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        return Cookies(signedIn);
    }

    private static string Cookies(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, params (string Name, string Value)[] fields) =>
        CoordinatorBrowser.PostAsync(client, path.Split('?')[0].EndsWith("/new", StringComparison.Ordinal) ? path : "/coordinator", path, fields);

    private static async Task FormPageAsync(HttpClient client, string form, string page, params (string Name, string Value)[] fields)
    {
        using var response = await CoordinatorBrowser.PostAsync(client, $"{form}?page={page}", form, [("page", page), ("action", page == "consent" ? "send" : "next"), .. fields]);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
    }
}
