using System.Text.Json.Nodes;
using Askel.App.Hosting;
using Askel.App.Messaging;
using Askel.App.Messaging.Email;
using Askel.App.Messaging.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Askel.App.Tests.Messaging.Email;

/// <summary>SendGrid and Graph against a local fake of their APIs, with retries and the circuit on a virtual clock.</summary>
public sealed class EmailProviderTests : FakeEmailApiTest
{
    private const string To = "ada@example.org";
    private readonly FixedCredential _credential = new("graph-token");

    private static OutgoingMessage Message(string? html = "<p>Hei Ada</p>") =>
        new("email", To, "Kysely odottaa", "Hei Ada", "fi") { Html = html };

    [Fact]
    public async Task SendGrid_posts_the_exact_mail_send_request_and_202_is_accepted_with_its_message_id()
    {
        Api.Script(new ScriptedResponse(202, "", ("X-Message-Id", "sg-123")));
        var provider = Services().GetRequiredService<SendGridEmailProvider>();

        var result = await provider.SendAsync("effect-1", Message(), CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Accepted, ProviderMessageId: "sg-123"), result);
        var request = Assert.Single(Api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v3/mail/send", request.Path);
        Assert.Equal("Bearer SG.test-key", request.Headers["Authorization"]);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(To, (string?)body["personalizations"]![0]!["to"]![0]!["email"]);
        Assert.Single(body["personalizations"]!.AsArray());
        Assert.Equal("study@example.org", (string?)body["from"]!["email"]);
        Assert.Equal("Askel study", (string?)body["from"]!["name"]);
        Assert.Equal("Kysely odottaa", (string?)body["subject"]);
        var content = body["content"]!.AsArray();
        Assert.Equal(2, content.Count);
        Assert.Equal(("text/plain", "Hei Ada"), ((string?)content[0]!["type"], (string?)content[0]!["value"]));
        Assert.Equal(("text/html", "<p>Hei Ada</p>"), ((string?)content[1]!["type"], (string?)content[1]!["value"]));
        Assert.Equal("effect-1", (string?)body["custom_args"]!["askel_message_id"]);
    }

    [Fact]
    public async Task SendGrid_without_html_sends_plain_text_only()
    {
        var provider = Services().GetRequiredService<SendGridEmailProvider>();

        await provider.SendAsync("effect-2", Message(html: null), CancellationToken.None);

        var content = JsonNode.Parse(Assert.Single(Api.Requests).Body)!["content"]!.AsArray();
        Assert.Equal("text/plain", (string?)Assert.Single(content)!["type"]);
    }

    [Fact]
    public async Task SendGrid_400_is_permanent_with_sendgrids_reason_without_the_address_and_is_not_retried()
    {
        Api.Script(new ScriptedResponse(400, """{"errors":[{"message":"Invalid recipient ada@example.org: does not contain a valid address.","field":"personalizations.0.to","help":null}]}"""));
        var provider = Resilient<SendGridEmailProvider>();

        var (result, waited) = await Clock.DriveAsync(provider.SendAsync("effect-3", Message(), CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Permanent, result.Outcome);
        Assert.Contains("SendGrid 400", result.Reason, StringComparison.Ordinal);
        Assert.Contains("does not contain a valid address", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(To, result.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Single(Api.Requests);
        Assert.Empty(waited);
    }

    [Fact]
    public async Task SendGrid_429_is_retried_after_its_retry_after_on_the_clock_then_accepted()
    {
        Api.Script(new ScriptedResponse(429, """{"errors":[{"message":"too many requests"}]}""", ("Retry-After", "2")), new ScriptedResponse(202, "", ("X-Message-Id", "sg-2")));
        var provider = Resilient<SendGridEmailProvider>();
        var start = Clock.GetUtcNow();

        var (result, waited) = await Clock.DriveAsync(provider.SendAsync("effect-4", Message(), CancellationToken.None));

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Accepted, ProviderMessageId: "sg-2"), result);
        Assert.Equal([TimeSpan.FromSeconds(2)], waited);
        Assert.Equal(TimeSpan.FromSeconds(2), Clock.GetUtcNow() - start);
        Assert.Equal(2, Api.Requests.Count);
        Assert.Equal(Api.Requests[0].Body, Api.Requests[1].Body);
    }

    [Fact]
    public async Task A_retry_after_over_30_seconds_is_left_to_the_runtime()
    {
        Api.Script(new ScriptedResponse(429, "", ("Retry-After", "120")));
        var provider = Resilient<SendGridEmailProvider>();

        var (result, waited) = await Clock.DriveAsync(provider.SendAsync("effect-5", Message(), CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Transient, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(120), result.RetryAfter);
        Assert.Empty(waited);
        Assert.Single(Api.Requests);
    }

    [Fact]
    public async Task Five_503s_open_the_circuit_which_half_opens_for_one_trial_after_a_minute()
    {
        var unavailable = new ScriptedResponse(503, """{"errors":[{"message":"unavailable"}]}""");
        Api.Script(unavailable, unavailable, unavailable, unavailable, unavailable);
        var provider = Resilient<SendGridEmailProvider>();

        // Three attempts with exponential backoff (1 s, 2 s ± 20 %), then two more in the next send: five in a row.
        var (first, firstWaits) = await Clock.DriveAsync(provider.SendAsync("effect-6", Message(), CancellationToken.None));
        Assert.Equal(DeliveryOutcome.Transient, first.Outcome);
        Assert.Equal(3, Api.Requests.Count);
        Assert.Equal(2, firstWaits.Count);
        Assert.InRange(firstWaits[0], TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.2));
        Assert.InRange(firstWaits[1], TimeSpan.FromSeconds(1.6), TimeSpan.FromSeconds(2.4));
        var (second, _) = await Clock.DriveAsync(provider.SendAsync("effect-7", Message(), CancellationToken.None));
        Assert.Equal(DeliveryOutcome.Transient, second.Outcome);
        Assert.Equal(5, Api.Requests.Count);
        Assert.True(provider.IsOpen);

        var (refused, refusedWaits) = await Clock.DriveAsync(provider.SendAsync("effect-8", Message(), CancellationToken.None));
        Assert.Equal(DeliveryOutcome.Transient, refused.Outcome);
        Assert.Contains("circuit open", refused.Reason, StringComparison.Ordinal);
        Assert.Empty(refusedWaits);
        Assert.Equal(5, Api.Requests.Count);

        Clock.Fake.Advance(TimeSpan.FromSeconds(59));
        Assert.True(provider.IsOpen);
        Clock.Fake.Advance(TimeSpan.FromSeconds(1));
        var (trial, _) = await Clock.DriveAsync(provider.SendAsync("effect-8", Message(), CancellationToken.None));
        Assert.Equal(DeliveryOutcome.Accepted, trial.Outcome);
        Assert.Equal(6, Api.Requests.Count);
        Assert.False(provider.IsOpen);
    }

    [Fact]
    public async Task A_failed_half_open_trial_opens_the_circuit_again()
    {
        var unavailable = new ScriptedResponse(503);
        Api.Script(unavailable, unavailable, unavailable, unavailable, unavailable, unavailable);
        var provider = Resilient<SendGridEmailProvider>();
        await Clock.DriveAsync(provider.SendAsync("effect-9", Message(), CancellationToken.None));
        await Clock.DriveAsync(provider.SendAsync("effect-9", Message(), CancellationToken.None));
        Clock.Fake.Advance(TimeSpan.FromSeconds(60));

        var (trial, waited) = await Clock.DriveAsync(provider.SendAsync("effect-9", Message(), CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Transient, trial.Outcome);
        Assert.Empty(waited);
        Assert.Equal(6, Api.Requests.Count);
        Assert.True(provider.IsOpen);
    }

    [Fact]
    public async Task SendGrid_with_eu_data_residency_sends_to_the_eu_host()
    {
        var redirect = new RedirectHandler(Api.BaseUrl);
        var provider = Services(
            new() { ["Askel:SendGrid:BaseUrl"] = "", ["Askel:SendGrid:EuDataResidency"] = "true" },
            services => services.AddHttpClient(SendGridEmailProvider.HttpClientName).AddHttpMessageHandler(() => redirect))
            .GetRequiredService<SendGridEmailProvider>();

        var result = await provider.SendAsync("effect-10", Message(), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Accepted, result.Outcome);
        Assert.Equal(new Uri("https://api.eu.sendgrid.com/v3/mail/send"), Assert.Single(redirect.Intended));
        Assert.Equal("/v3/mail/send", Assert.Single(Api.Requests).Path);
    }

    [Fact]
    public async Task Graph_posts_sendmail_for_the_shared_mailbox_with_askels_id_as_header_and_provider_id()
    {
        var provider = Services().GetRequiredService<GraphMailProvider>();

        var result = await provider.SendAsync("effect-11", Message(), CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryOutcome.Accepted, ProviderMessageId: "effect-11"), result);
        var request = Assert.Single(Api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1.0/users/study@example.org/sendMail", request.Path);
        Assert.Equal("Bearer graph-token", request.Headers["Authorization"]);
        Assert.Equal(["https://graph.microsoft.com/.default"], Assert.Single(_credential.Scopes));
        var body = JsonNode.Parse(request.Body)!;
        // The Graph SDK writes the action's parameters as Graph declares them (Message, SaveToSentItems); Graph reads them case-insensitively.
        var message = body["Message"]!;
        Assert.Equal("Kysely odottaa", (string?)message["subject"]);
        Assert.Equal("html", (string?)message["body"]!["contentType"]);
        Assert.Equal("<p>Hei Ada</p>", (string?)message["body"]!["content"]);
        Assert.Equal(To, (string?)message["toRecipients"]![0]!["emailAddress"]!["address"]);
        Assert.Single(message["toRecipients"]!.AsArray());
        var header = Assert.Single(message["internetMessageHeaders"]!.AsArray())!;
        Assert.Equal(("X-Askel-Message-Id", "effect-11"), ((string?)header["name"], (string?)header["value"]));
        Assert.False((bool)body["SaveToSentItems"]!);
    }

    [Fact]
    public async Task Graph_without_html_sends_text()
    {
        var provider = Services().GetRequiredService<GraphMailProvider>();

        await provider.SendAsync("effect-12", Message(html: null), CancellationToken.None);

        var body = JsonNode.Parse(Assert.Single(Api.Requests).Body)!["Message"]!["body"]!;
        Assert.Equal(("text", "Hei Ada"), ((string?)body["contentType"], (string?)body["content"]));
    }

    [Fact]
    public async Task Graph_400_is_permanent_with_graphs_reason_and_not_retried()
    {
        Api.Script(new ScriptedResponse(400, """{"error":{"code":"ErrorInvalidRecipients","message":"At least one recipient is not valid: ada@example.org."}}"""));
        var provider = Resilient<GraphMailProvider>();

        var (result, waited) = await Clock.DriveAsync(provider.SendAsync("effect-13", Message(), CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Permanent, result.Outcome);
        Assert.Contains("Graph 400", result.Reason, StringComparison.Ordinal);
        Assert.Contains("recipient is not valid", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(To, result.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Single(Api.Requests);
        Assert.Empty(waited);
    }

    [Fact]
    public async Task Graph_429_is_retried_after_its_retry_after_then_accepted()
    {
        Api.Script(new ScriptedResponse(429, """{"error":{"code":"ApplicationThrottled","message":"throttled"}}""", ("Retry-After", "2")));
        var provider = Resilient<GraphMailProvider>();

        var (result, waited) = await Clock.DriveAsync(provider.SendAsync("effect-14", Message(), CancellationToken.None));

        Assert.Equal(DeliveryOutcome.Accepted, result.Outcome);
        Assert.Equal([TimeSpan.FromSeconds(2)], waited);
        Assert.Equal(2, Api.Requests.Count);
    }

    [Theory]
    [InlineData("sendgrid", "Askel:SendGrid:ApiKey", "Askel__SendGrid__ApiKey")]
    [InlineData("sendgrid", "Askel:SendGrid:From", "Askel__SendGrid__From")]
    [InlineData("graph", "Askel:Graph:Mailbox", "Askel__Graph__Mailbox")]
    public async Task A_selected_provider_missing_a_setting_stops_the_start_naming_it(string provider, string missing, string named)
    {
        var services = Services(new() { ["Askel:Messaging:Email"] = provider, [missing] = "" });

        var e = await Assert.ThrowsAsync<SettingException>(() => StartAsync(services));

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_of_providers_not_selected_are_not_checked()
    {
        var services = Services(new()
        {
            ["Askel:Messaging:Email"] = "outbox", ["Askel:SendGrid:ApiKey"] = "", ["Askel:SendGrid:From"] = "", ["Askel:Graph:Mailbox"] = "",
        });

        await StartAsync(services);
    }

    [Fact]
    public void Graph_signs_in_with_the_client_secret_when_all_three_are_set_else_with_the_managed_identity()
    {
        Assert.IsType<Azure.Identity.ClientSecretCredential>(GraphMailProvider.Credential(new GraphMailOptions { TenantId = "t", ClientId = "c", ClientSecret = "s" }));
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(GraphMailProvider.Credential(new GraphMailOptions { ClientId = "c" }));
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(GraphMailProvider.Credential(new GraphMailOptions()));
    }

    [Fact]
    public void Both_providers_serve_email_only_and_are_registered_as_message_providers()
    {
        var providers = Services().GetServices<IMessageProvider>().ToList();

        Assert.Equal(["sendgrid", "graph"], providers.Select(p => p.Name));
        Assert.All(providers, p => Assert.True(p.Serves("email") && !p.Serves("sms")));
        var outbox = new FileOutbox(Path.GetTempPath(), Clock);
        Assert.Same(outbox, ResilientProvider.Wrap(outbox, Clock));
        var wrapped = ResilientProvider.Wrap(providers[0], Clock);
        Assert.Same(wrapped, ResilientProvider.Wrap(wrapped, Clock));
    }

    private static async Task StartAsync(IServiceProvider services)
    {
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
    }

    private ResilientProvider Resilient<T>()
        where T : IMessageProvider =>
        (ResilientProvider)ResilientProvider.Wrap(Services().GetRequiredService<T>(), Clock);

    private ServiceProvider Services(Dictionary<string, string?>? overrides = null, Action<IServiceCollection>? configure = null) =>
        ProviderServices(_credential, overrides, configure);
}
