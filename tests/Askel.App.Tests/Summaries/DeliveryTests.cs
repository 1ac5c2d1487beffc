using System.Text.Json.Nodes;
using Askel.App.Messaging.Email;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.App.Tests.Messaging.Email;
using Askel.Testing;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Askel.App.Tests.Summaries;

/// <summary>
/// <c>summary-monthly</c> against the real app on Azurite, SendGrid's and Graph's local fake and a virtual clock:
/// each project's month goes out once — with two instances, after a crash, a restart or downtime.
/// </summary>
public sealed class DeliveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string GroupId = "2f1c0d7e-8a4b-4c9e-9d3f-6b5a4e3c2d1b";

    // Monday 2 November 2026, 07:00 in Helsinki: October's summaries are due.
    private static readonly DateTimeOffset NovemberSendTime = new(2026, 11, 2, 5, 0, 0, TimeSpan.Zero);

    private static readonly Project Alpha = new("alpha", "Alpha", "participant-lifecycle", new DateOnly(2027, 12, 31), null, ["coordinator@askel.local"], ["maija@example.org", "Pekka@Example.org"]);
    private static readonly Project Beta = new("beta", "Beta", "participant-lifecycle", new DateOnly(2027, 12, 31), null, ["coordinator@askel.local"], ["pekka@example.org"]);
    private static readonly Project Nobody = new("nobody", "Nobody", "participant-lifecycle", new DateOnly(2027, 12, 31), null, ["coordinator@askel.local"], []);
    private static readonly Project Grouped = new("grouped", "Grouped", "participant-lifecycle", new DateOnly(2027, 12, 31), null, ["coordinator@askel.local"], ["maija@example.org"]) { ManagerGroup = GroupId };

    private FakeTimeProvider _time = new(NovemberSendTime);
    private string _storage = "";
    private readonly string _prefix = Azurite.UniqueName("d");
    private readonly List<AskelAppFactory> _apps = [];
    private FakeEmailApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeEmailApi.StartAsync();
        _storage = (await Azurite.AccountAsync()).ConnectionString;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Each_project_gets_one_email_to_all_its_managers_with_the_summary_link_and_nothing_more_until_the_next_month()
    {
        var app = App(Alpha, Beta);

        var done = await RunAsync(app);

        Assert.Equal(["alpha 2026-10 sent", "beta 2026-10 sent"], done);
        var mails = Mails();
        Assert.Equal(["summary.alpha.2026-10", "summary.beta.2026-10"], mails.Select(m => (string?)m["custom_args"]!["askel_message_id"]));
        Assert.Equal(["maija@example.org", "Pekka@Example.org"], To(mails[0]));
        Assert.Equal(["pekka@example.org"], To(mails[1]));
        Assert.Contains("http://localhost:7071/coordinator/projects/alpha/summary?month=2026-10", (string?)mails[0]["content"]![1]!["value"], StringComparison.Ordinal);
        Assert.Contains("cid:trend", (string?)mails[0]["content"]![1]!["value"], StringComparison.Ordinal);
        Assert.Equal(
            [("askel-alpha-2026-10-trend.png", "inline", "trend"), ("askel-alpha-2026-10.xlsx", "attachment", null), ("askel-alpha-2026-10.csv", "attachment", null)],
            mails[0]["attachments"]!.AsArray().Select(a => ((string?)a!["filename"], (string?)a["disposition"], (string?)a["content_id"])));
        var row = await Deliveries(app).FindAsync("alpha", "2026-10", CancellationToken.None);
        Assert.Equal((DeliveryStatus.Sent, 2, NovemberSendTime), (row!.Status, row.Recipients, row.At));

        // Every six hours up to 1 December, 06:00 in Helsinki: November's is not due yet.
        while (_time.GetUtcNow() + TimeSpan.FromHours(6) < new DateTimeOffset(2026, 12, 1, 5, 0, 0, TimeSpan.Zero))
        {
            _time.Advance(TimeSpan.FromHours(6));
            Assert.Empty(await RunAsync(app));
        }

        Assert.Equal(2, Mails().Count);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("@example.org", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Nothing_goes_out_before_0700_helsinki_on_the_first_working_day()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 10, 15, 12, 0, 0, TimeSpan.Zero));
        var app = App(Alpha);
        Assert.Equal(["alpha 2026-09 sent"], await RunAsync(app)); // the first run: September

        _time.SetUtcNow(new DateTimeOffset(2026, 11, 1, 5, 0, 0, TimeSpan.Zero)); // 1 November is a Sunday
        Assert.Empty(await RunAsync(app));
        _time.SetUtcNow(NovemberSendTime - TimeSpan.FromHours(1)); // 06:00 on Monday
        Assert.Empty(await RunAsync(app));
        _time.SetUtcNow(NovemberSendTime);
        Assert.Equal(["alpha 2026-10 sent"], await RunAsync(app));

        Assert.Equal(["summary.alpha.2026-09", "summary.alpha.2026-10"], Mails().Select(m => (string?)m["custom_args"]!["askel_message_id"]));
    }

    [Fact]
    public async Task Two_instances_running_at_once_send_each_project_month_exactly_once()
    {
        var first = App(Alpha, Beta);
        var second = App(Alpha, Beta);

        foreach (var month in Enumerable.Range(0, 3))
        {
            var runs = await Task.WhenAll(RunAsync(first), RunAsync(second), RunAsync(first), RunAsync(second));
            Assert.Equal(2, runs.SelectMany(d => d).Count(d => d.EndsWith(" sent", StringComparison.Ordinal)));
            Assert.All(runs.SelectMany(d => d), d => Assert.Matches(" (sent|busy)$", d));
            _time.SetUtcNow(SummarySchedule.SendTime(SummaryCalculator.PreviousMonth(_time.GetUtcNow().AddDays(40))));
        }

        var ids = Mails().Select(m => (string)m["custom_args"]!["askel_message_id"]!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["summary.alpha.2026-10", "summary.alpha.2026-11", "summary.alpha.2026-12", "summary.beta.2026-10", "summary.beta.2026-11", "summary.beta.2026-12"],
            ids);
    }

    [Fact]
    public async Task A_crash_after_the_claim_holds_the_month_until_the_lease_runs_out_then_it_is_sent_once()
    {
        _api.Script(new ScriptedResponse(202, "", ("X-Message-Id", "sg-1")));
        var app = App(Alpha);
        var crashed = await Deliveries(app).ClaimAsync("alpha", "2026-10", _time.GetUtcNow(), SummaryDelivery.Lease, CancellationToken.None);
        Assert.NotNull(crashed.Claim);

        Assert.Equal(["alpha 2026-10 busy"], await RunAsync(app));
        _time.Advance(SummaryDelivery.Lease - TimeSpan.FromSeconds(1));
        Assert.Equal(["alpha 2026-10 busy"], await RunAsync(app));
        Assert.Empty(_api.Requests);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["alpha 2026-10 sent"], await RunAsync(app));
        Assert.Empty(await RunAsync(app));

        Assert.Equal(["summary.alpha.2026-10"], Mails().Select(m => (string?)m["custom_args"]!["askel_message_id"]));
        Assert.Contains(app.Logs.Lines, l => l.Contains("[1806]", StringComparison.Ordinal));
        // The crashed instance coming back finds its claim gone and leaves the row to the one that sent it.
        Assert.False(await Deliveries(app).FinishAsync(crashed.Claim!, DeliveryStatus.Sent, _time.GetUtcNow(), 1, "late", null, CancellationToken.None));
        Assert.Equal("sg-1", (await Deliveries(app).FindAsync("alpha", "2026-10", CancellationToken.None))!.ProviderMessageId);
    }

    [Fact]
    public async Task A_restart_after_sent_sends_nothing_and_an_invocation_retried_by_the_host_neither()
    {
        var before = App(Alpha);
        Assert.Equal(["alpha 2026-10 sent"], await RunAsync(before));
        await before.DisposeAsync();
        _apps.Remove(before);

        var after = App(Alpha);
        _ = after.CreateClient();
        foreach (var attempt in Enumerable.Range(0, 2))
        {
            await after.RunTimerAsync("summary-monthly");
        }

        Assert.Equal(2, after.Logs.Lines.Count(l => l.Contains("summary-monthly: no summary due", StringComparison.Ordinal)));
        Assert.Single(Mails());
    }

    [Fact]
    public async Task After_three_months_down_the_missing_months_go_out_once_each_in_order()
    {
        var app = App(Alpha);
        Assert.Equal(["alpha 2026-10 sent"], await RunAsync(app));

        _time.SetUtcNow(new DateTimeOffset(2027, 2, 10, 9, 0, 0, TimeSpan.Zero));
        Assert.Equal(["alpha 2026-11 sent", "alpha 2026-12 sent", "alpha 2027-01 sent"], await RunAsync(app));
        Assert.Empty(await RunAsync(app));

        Assert.Equal(
            ["summary.alpha.2026-10", "summary.alpha.2026-11", "summary.alpha.2026-12", "summary.alpha.2027-01"],
            Mails().Select(m => (string?)m["custom_args"]!["askel_message_id"]));
    }

    [Fact]
    public async Task The_first_run_sends_only_the_latest_month()
    {
        _time.SetUtcNow(new DateTimeOffset(2027, 2, 10, 9, 0, 0, TimeSpan.Zero));
        var app = App(Alpha);

        Assert.Equal(["alpha 2027-01 sent"], await RunAsync(app));
        Assert.Single(Mails());
    }

    [Fact]
    public async Task A_project_without_managers_is_warned_about_sends_nothing_and_is_not_tried_again()
    {
        var app = App(Nobody);

        Assert.Equal(["nobody 2026-10 skipped"], await RunAsync(app));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await RunAsync(app));

        Assert.Empty(_api.Requests);
        Assert.Single(app.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("[1801]", StringComparison.Ordinal) && l.Contains("nobody", StringComparison.Ordinal));
        var row = await Deliveries(app).FindAsync("nobody", "2026-10", CancellationToken.None);
        Assert.Equal((DeliveryStatus.Skipped, "no managers"), (row!.Status, row.Reason));
        Assert.Contains("no-managers", (await app.Services.GetRequiredService<SummaryService>().BuildAsync(Nobody, "2026-10", CancellationToken.None)).Warnings);
    }

    [Fact]
    public async Task The_manager_groups_members_read_page_by_page_through_graph_join_the_files_managers_once_each()
    {
        _api.Script(
            new ScriptedResponse(200, $$"""
                {"@odata.context":"x","@odata.nextLink":"{{_api.BaseUrl}}/v1.0/groups/{{GroupId}}/transitiveMembers/graph.user?$select=mail,userPrincipalName&$skiptoken=page2",
                 "value":[{"mail":"MAIJA@example.org","userPrincipalName":"maija@tenant.example.org"},{"mail":null,"userPrincipalName":"liisa@example.org"}]}
                """),
            new ScriptedResponse(200, """{"value":[{"mail":"olli@example.org","userPrincipalName":"olli@tenant.example.org"}]}"""));
        var app = App(GraphSettings(), Grouped);

        Assert.Equal(["grouped 2026-10 sent"], await RunAsync(app));

        var requests = _api.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(("GET", $"/v1.0/groups/{GroupId}/transitiveMembers/graph.user", "$select=mail,userPrincipalName"), (requests[0].Method, requests[0].Path, requests[0].Query));
        Assert.Equal(("GET", $"/v1.0/groups/{GroupId}/transitiveMembers/graph.user", "$select=mail,userPrincipalName&$skiptoken=page2"), (requests[1].Method, requests[1].Path, requests[1].Query));
        Assert.All(requests.Take(2), r => Assert.Equal("Bearer graph-token", r.Headers["Authorization"]));
        Assert.Equal("/v3/mail/send", requests[2].Path);
        Assert.Equal(["maija@example.org", "liisa@example.org", "olli@example.org"], To(JsonNode.Parse(requests[2].Body)!));
        Assert.Contains(app.Logs.Lines, l => l.Contains("[1811]", StringComparison.Ordinal) && l.Contains("3 member(s)", StringComparison.Ordinal));
        Assert.Equal(3, (await Deliveries(app).FindAsync("grouped", "2026-10", CancellationToken.None))!.Recipients);
    }

    [Fact]
    public async Task A_group_graph_cannot_read_now_sends_nothing_this_hour_and_the_next_run_sends_it()
    {
        _api.Script(new ScriptedResponse(503, """{"error":{"code":"serviceNotAvailable","message":"Try again later."}}"""));
        var app = App(GraphSettings(), Grouped);
        _ = app.CreateClient();

        // The invocation fails, so the host's monitoring shows it; the next occurrence tries again.
        await Assert.ThrowsAsync<SummaryDeliveryException>(() => app.RunTimerAsync("summary-monthly"));

        Assert.Null(await Deliveries(app).FindAsync("grouped", "2026-10", CancellationToken.None));
        Assert.Contains(app.Logs.Lines, l => l.Contains("[1802]", StringComparison.Ordinal) && l.Contains("Graph 503: serviceNotAvailable", StringComparison.Ordinal));

        _api.Script(new ScriptedResponse(200, """{"value":[{"mail":"olli@example.org"}]}"""));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(["grouped 2026-10 sent"], await RunAsync(app));
        Assert.Equal(["maija@example.org", "olli@example.org"], To(Assert.Single(Mails())));
    }

    [Fact]
    public async Task A_group_graph_refuses_for_good_still_sends_to_the_files_managers_and_says_why()
    {
        _api.Script(new ScriptedResponse(403, """{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"""));
        var app = App(GraphSettings(), Grouped);

        Assert.Equal(["grouped 2026-10 sent"], await RunAsync(app));

        Assert.Equal(["maija@example.org"], To(Assert.Single(Mails())));
        Assert.Contains(app.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("[1812]", StringComparison.Ordinal) && l.Contains("Graph 403", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_graph_a_local_run_sends_to_the_files_managers_and_logs_that_the_group_cannot_be_read()
    {
        var app = App(Grouped);

        Assert.Equal(["grouped 2026-10 sent"], await RunAsync(app));

        Assert.Equal(["maija@example.org"], To(Assert.Single(Mails())));
        Assert.Contains(app.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("[1810]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_passing_provider_failure_gives_the_month_back_and_the_next_hour_sends_it_once()
    {
        _api.Script(new ScriptedResponse(429, "", ("Retry-After", "3600")));
        var app = App(Alpha);

        Assert.Equal(["alpha 2026-10 retry"], await RunAsync(app));
        Assert.Null(await Deliveries(app).FindAsync("alpha", "2026-10", CancellationToken.None));

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(["alpha 2026-10 sent"], await RunAsync(app));
        Assert.Equal(2, _api.Requests.Count);
    }

    [Fact]
    public async Task A_refused_email_is_recorded_as_failed_and_not_tried_again()
    {
        _api.Script(new ScriptedResponse(400, """{"errors":[{"message":"Invalid recipient maija@example.org"}]}"""));
        var app = App(Alpha);

        Assert.Equal(["alpha 2026-10 failed"], await RunAsync(app));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await RunAsync(app));

        Assert.Single(_api.Requests);
        var row = await Deliveries(app).FindAsync("alpha", "2026-10", CancellationToken.None);
        Assert.Equal((DeliveryStatus.Failed, "SendGrid 400: Invalid recipient the recipient"), (row!.Status, row.Reason));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("@example.org", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Rebuilding_the_summary_keeps_what_was_delivered()
    {
        var app = App(Alpha);
        Assert.Equal(["alpha 2026-10 sent"], await RunAsync(app));

        await app.Services.GetRequiredService<SummaryService>().RebuildAsync(Alpha, CancellationToken.None);

        Assert.Equal(DeliveryStatus.Sent, (await Deliveries(app).FindAsync("alpha", "2026-10", CancellationToken.None))!.Status);
        Assert.Empty(await RunAsync(app));
    }

    private static Dictionary<string, string?> GraphSettings() => new() { ["Askel:Graph:ClientId"] = "askel-app" };

    private static SummaryDeliveries Deliveries(AskelAppFactory app) => app.Services.GetRequiredService<SummaryDeliveries>();

    private static async Task<IReadOnlyList<string>> RunAsync(AskelAppFactory app) =>
        [.. (await app.Services.GetRequiredService<SummaryDelivery>().RunAsync(CancellationToken.None)).Select(d => $"{d.ProjectId} {d.Month} {d.Outcome}")];

    private List<JsonNode> Mails() => [.. _api.Requests.Where(r => r.Path == "/v3/mail/send").Select(r => JsonNode.Parse(r.Body)!)];

    private static List<string?> To(JsonNode mail) => [.. Assert.Single(mail["personalizations"]!.AsArray())!["to"]!.AsArray().Select(t => (string?)t!["email"])];

    private AskelAppFactory App(params Project[] projects) => App([], projects);

    private AskelAppFactory App(Dictionary<string, string?> extra, params Project[] projects)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Askel:Messaging:Email"] = "sendgrid",
            ["Askel:SendGrid:ApiKey"] = "SG.test-key",
            ["Askel:SendGrid:From"] = "askel@example.org",
            ["Askel:SendGrid:BaseUrl"] = _api.BaseUrl,
            ["Askel:Graph:BaseUrl"] = _api.BaseUrl,
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var app = new AskelAppFactory(output, _storage)
        {
            Time = _time,
            StoragePrefix = _prefix,
            Settings = settings,
            TestServices = services =>
            {
                services.AddSingleton(ProjectCatalog.Of(projects));
                services.AddKeyedSingleton<TokenCredential>(GraphMailProvider.HttpClientName, new FixedCredential("graph-token"));
            },
        };
        _apps.Add(app);
        return app;
    }
}
