using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Askel.App.Audit;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Workflows;

/// <summary>The instance API, against the repository's example workflow, as an admin signed in through App Service.</summary>
public sealed class InstanceManagementEndpointsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Workflow = "form-chase-example";
    private AskelAppFactory _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _app = await AskelAppFactory.CreateAsync(output);
        _admin = _app.CreateClient().As("Aino Admin", "admin");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Start_Returns202WithDurableStyleLinks()
    {
        using var response = await _admin.PostAsync($"/api/workflows/{Workflow}/instances?instanceId=p-1", Json("""{"language":"fi"}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var links = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("p-1", links.GetProperty("id").GetString());
        Assert.EndsWith("/api/instances/p-1", links.GetProperty("statusQueryGetUri").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/api/instances/p-1/events/{eventName}", links.GetProperty("sendEventPostUri").GetString(), StringComparison.Ordinal);
        Assert.Contains("/terminate", links.GetProperty("terminatePostUri").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/api/instances/p-1", links.GetProperty("purgeHistoryDeleteUri").GetString(), StringComparison.Ordinal);
        Assert.Equal(response.Headers.Location!.ToString(), links.GetProperty("statusQueryGetUri").GetString());
    }

    [Fact]
    public async Task Status_SaysWhyItWaits_StepAwaitedEventNextTimerAndHistory()
    {
        await StartAsync("p-1");

        var status = await _admin.GetFromJsonAsync<JsonElement>("/api/instances/p-1?showHistory=true");

        Assert.Equal("Waiting", status.GetProperty("status").GetString());
        Assert.Equal("form:example-feedback", status.GetProperty("awaiting").GetString());
        Assert.Equal("attempt", status.GetProperty("nextTimer").GetProperty("kind").GetString());
        Assert.True(status.GetProperty("nextTimer").GetProperty("due").GetDateTimeOffset() > _app.Time.GetUtcNow());
        Assert.Contains(status.GetProperty("history").EnumerateArray(), h => h.GetProperty("kind").GetString() == "message");
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_app.DataPath, "outbox")));
    }

    [Fact]
    public async Task RaiseEvent_FormSubmitted_CompletesTheInstance()
    {
        await StartAsync("p-1");

        using var raised = await _admin.PostAsync("/api/instances/p-1/events/form:example-feedback?eventId=r-1", Json("""{"filledBy":"participant"}"""));

        Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);
        await _app.Services.SettleAsync();
        var status = await _admin.GetFromJsonAsync<JsonElement>("/api/instances/p-1");
        Assert.Equal("Completed", status.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Query_ByStatusAndWorkflow_FindsTheInstances()
    {
        await StartAsync("p-1");
        await StartAsync("p-2");
        await _admin.PostAsync("/api/instances/p-2/terminate?reason=test", null);
        await _app.Services.SettleAsync();

        var waiting = await _admin.GetFromJsonAsync<JsonElement[]>($"/api/instances?status=waiting&workflow={Workflow}");

        Assert.Equal(["p-1"], waiting!.Select(i => i.GetProperty("instanceId").GetString()));
    }

    [Fact]
    public async Task TerminateThenPurge_StopsThenRemovesEverything()
    {
        await StartAsync("p-1");

        using var terminated = await _admin.PostAsync("/api/instances/p-1/terminate?reason=enrolled%20by%20mistake", null);
        await _app.Services.SettleAsync();
        var status = await _admin.GetFromJsonAsync<JsonElement>("/api/instances/p-1");
        using var purged = await _admin.DeleteAsync("/api/instances/p-1");
        using var gone = await _admin.GetAsync("/api/instances/p-1");

        Assert.Equal(HttpStatusCode.Accepted, terminated.StatusCode);
        Assert.Equal(("Terminated", "enrolled by mistake"), (status.GetProperty("status").GetString(), status.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Event_UnknownInstance_404AndLogLineFree()
    {
        using var response = await _admin.PostAsync("/api/instances/ghost/events/form:example-feedback", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/instances/p-1/events/Bad%20Name", "{}", "event name")]
    [InlineData("/api/instances/p-1/events/participant-left", "{not json", "not valid JSON")]
    [InlineData("/api/instances/p-1/terminate", "", "reason")]
    public async Task BadInput_400WithWhatToFix(string url, string body, string expected)
    {
        await StartAsync("p-1");

        using var response = await _admin.PostAsync(url, Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_TwiceWithOneId_409()
    {
        await StartAsync("p-1");

        using var again = await _admin.PostAsync($"/api/workflows/{Workflow}/instances?instanceId=p-1", Json("{}"));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task NotSignedIn_401_ManagerRole_403()
    {
        using var anonymous = await _app.CreateClient().GetAsync("/api/instances");
        using var manager = await _app.CreateClient().As("Maija Manager", "manager").GetAsync("/api/instances");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, manager.StatusCode);
    }

    [Fact]
    public async Task CoordinatorOfAnotherProject_CannotReadListTellStopOrPurgeAParticipantsInstance()
    {
        var participant = await EnrolAsync();
        var id = participant.InstanceId;
        // coach@askel.local coordinates demo-eura only; coordinator@askel.local coordinates demo.
        var stranger = _app.CreateClient().As("coach@askel.local", "coordinator");
        var own = _app.CreateClient().As("coordinator@askel.local", "coordinator");

        using var read = await stranger.GetAsync($"/api/instances/{id}");
        using var told = await stranger.PostAsync($"/api/instances/{id}/events/participant-left", Json("{}"));
        using var stopped = await stranger.PostAsync($"/api/instances/{id}/terminate?reason=x", null);
        using var paused = await stranger.PostAsync($"/api/instances/{id}/suspend?reason=x", null);
        using var purged = await stranger.DeleteAsync($"/api/instances/{id}");
        var listed = await stranger.GetFromJsonAsync<JsonElement[]>("/api/instances");

        Assert.All(new[] { read, told, stopped, paused, purged }, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.DoesNotContain(listed!, i => i.GetProperty("instanceId").GetString() == id);
        await _app.Services.SettleAsync();
        var status = await own.GetFromJsonAsync<JsonElement>($"/api/instances/{id}");
        Assert.Equal("Waiting", status.GetProperty("status").GetString());
        Assert.Contains((await own.GetFromJsonAsync<JsonElement[]>("/api/instances"))!, i => i.GetProperty("instanceId").GetString() == id);
    }

    [Fact]
    public async Task EventWithATextPlainBody_IsRefused_AndNotApplied()
    {
        await StartAsync("p-1");

        // text/plain is what a page on another site can post without asking the browser first.
        using var raised = await _admin.PostAsync("/api/instances/p-1/events/form:example-feedback?eventId=r-1", new StringContent("""{"filledBy":"participant"}""", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.BadRequest, raised.StatusCode);
        Assert.Contains("application/json", await raised.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await _app.Services.SettleAsync();
        Assert.Equal("Waiting", (await _admin.GetFromJsonAsync<JsonElement>("/api/instances/p-1")).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task CallFromAnotherSite_IsRefused_AndChangesNothing(string header, string value)
    {
        await StartAsync("p-1");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/instances/p-1/terminate?reason=x");
        request.Headers.Add(header, value);
        using var response = await _admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Waiting", (await _admin.GetFromJsonAsync<JsonElement>("/api/instances/p-1")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task CallFromTheAppsOwnOrigin_IsServed()
    {
        await StartAsync("p-1");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/instances/p-1");
        request.Headers.Add("Origin", "http://localhost");
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var response = await _admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task EveryCall_IsAudited_WithWhoWhatAndWhose()
    {
        var participant = await EnrolAsync();
        var own = _app.CreateClient().As("coordinator@askel.local", "coordinator");

        (await own.GetAsync($"/api/instances/{participant.InstanceId}?showHistory=true")).Dispose();
        (await own.PostAsync($"/api/instances/{participant.InstanceId}/suspend?reason=on%20leave", null)).Dispose();

        var audit = await _app.Services.GetRequiredService<AuditLog>().ReadAsync("demo", participant.Id, 20, CancellationToken.None);
        Assert.Contains(audit, a => (a.Actor, a.Action, a.Detail) == ("coordinator@askel.local", "api-status", "with history"));
        Assert.Contains(audit, a => (a.Actor, a.Action, a.Detail) == ("coordinator@askel.local", "api-suspend", "on leave"));
    }

    [Fact]
    public async Task ParticipantsInstance_IsNotStartedThroughTheApi_AndPurgedOnlyOnceFinished()
    {
        var participant = await EnrolAsync();

        using var chosen = await _admin.PostAsync($"/api/workflows/{Workflow}/instances?instanceId=demo.someone", Json("{}"));
        using var byCoordinator = await _app.CreateClient().As("coordinator@askel.local", "coordinator").PostAsync($"/api/workflows/{Workflow}/instances", Json("{}"));
        using var running = await _admin.DeleteAsync($"/api/instances/{participant.InstanceId}");

        Assert.Equal(HttpStatusCode.BadRequest, chosen.StatusCode);
        Assert.Contains("belong to the participants of project demo", await chosen.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byCoordinator.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, running.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync($"/api/instances/{participant.InstanceId}")).StatusCode);
    }

    [Fact]
    public async Task ParticipantsFinishedInstance_IsPurgedWithTheParticipantsIdentifyingData_AndNotStartedAgain()
    {
        var participant = await EnrolAsync();
        using var terminated = await _admin.PostAsync($"/api/instances/{participant.InstanceId}/terminate?reason=enrolled%20by%20mistake", null);
        await _app.Services.SettleAsync();

        using var purged = await _admin.DeleteAsync($"/api/instances/{participant.InstanceId}");
        var tables = _app.Services.GetRequiredService<ParticipantTables>();
        var row = await tables.ReadParticipantAsync("demo", participant.Id, CancellationToken.None);
        var list = await _app.Services.GetRequiredService<ParticipantService>().ListAsync("demo", "test", CancellationToken.None);
        await _app.Services.SettleAsync();

        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/api/instances/{participant.InstanceId}")).StatusCode);
        Assert.NotNull(row!.ErasedAt);
        Assert.Equal(("", "", null), (row.FirstName, row.LastName, row.Email));
        Assert.Null(await tables.FindParticipantAsync("demo", participant.Id, CancellationToken.None));
        Assert.DoesNotContain(list, p => p.Id == participant.Id);
        Assert.Empty(tables.Contacts.Query<Azure.Data.Tables.TableEntity>(e => e.RowKey == participant.InstanceId));
        var audit = await _app.Services.GetRequiredService<AuditLog>().ReadAsync("demo", participant.Id, 20, CancellationToken.None);
        Assert.Contains(audit, a => (a.Actor, a.Action) == ("Aino Admin", "erase"));
        Assert.Contains(audit, a => (a.Actor, a.Action) == ("Aino Admin", "api-purge"));
    }

    [Fact]
    public async Task Suspended_TimersWaitUntilResumed()
    {
        await StartAsync("p-1");
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_app.DataPath, "outbox")));

        using var suspended = await _admin.PostAsync("/api/instances/p-1/suspend?reason=checking%20the%20workflow", null);
        await _app.Services.SettleAsync();
        Assert.Equal("Suspended", (await _admin.GetFromJsonAsync<JsonElement>("/api/instances/p-1")).GetProperty("status").GetString());
        _app.Time.Advance(TimeSpan.FromDays(3)); // past the second attempt
        await _app.Services.SettleAsync();
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_app.DataPath, "outbox")));

        using var resumed = await _admin.PostAsync("/api/instances/p-1/resume?reason=checked", null);
        await _app.Services.SettleAsync();

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (suspended.StatusCode, resumed.StatusCode));
        Assert.Equal(2, Directory.EnumerateFiles(Path.Combine(_app.DataPath, "outbox")).Count());
        Assert.Equal("Waiting", (await _admin.GetFromJsonAsync<JsonElement>("/api/instances/p-1")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task PurgeFinished_ByAgeAndStatus_PurgesOnlyFinishedNonParticipantInstances()
    {
        await StartAsync("p-1");
        await StartAsync("p-2");
        var participant = await EnrolAsync();
        await _admin.PostAsync("/api/instances/p-2/terminate?reason=test", null);
        await _admin.PostAsync($"/api/instances/{participant.InstanceId}/terminate?reason=test", null);
        await _app.Services.SettleAsync();

        using var noAge = await _admin.DeleteAsync("/api/instances?status=terminated");
        using var running = await _admin.DeleteAsync("/api/instances?status=waiting&createdTo=2100-01-01T00:00:00Z");
        using var byCoordinator = await _app.CreateClient().As("coordinator@askel.local", "coordinator").DeleteAsync("/api/instances?createdTo=2100-01-01T00:00:00Z");
        var purged = await (await _admin.DeleteAsync("/api/instances?status=terminated&createdTo=2100-01-01T00:00:00Z")).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.Forbidden), (noAge.StatusCode, running.StatusCode, byCoordinator.StatusCode));
        Assert.Equal((1, 1), (purged.GetProperty("purged").GetInt32(), purged.GetProperty("kept").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/instances/p-2")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync("/api/instances/p-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync($"/api/instances/{participant.InstanceId}")).StatusCode);
    }

    private async Task<Participant> EnrolAsync()
    {
        var project = _app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        var participant = await _app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            project, new Enrolment("Ville", "Testinen", "fi", "ville@example.org", null, IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
        return participant;
    }

    private async Task StartAsync(string id)
    {
        using var response = await _admin.PostAsync($"/api/workflows/{Workflow}/instances?instanceId={id}", Json("""{"language":"fi"}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await _app.Services.SettleAsync();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
