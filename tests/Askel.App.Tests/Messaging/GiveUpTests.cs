using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Messaging;

/// <summary>A provider that keeps failing passingly: retried, then given up on, and the workflow falls back to the next channel.</summary>
public sealed class GiveUpTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly AlwaysBusy _busy = new();
    private AskelAppFactory _factory = null!;
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        _factory = await AskelAppFactory.CreateAsync(output);
        _app = _factory.WithSmsProvider(_busy);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task SmsProviderFailingForHalfAnHour_TheLinkGoesByEmail_AndTheNumberStaysValid()
    {
        var participant = await _app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            _app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", "+358401234567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
        var outbox = Path.Combine(_factory.DataPath, "outbox");
        Assert.False(Directory.Exists(outbox) && Directory.GetFiles(outbox, "*.eml").Length > 0);

        _factory.Time.Advance(TimeSpan.FromMinutes(10));
        await ProcessAsync();
        Assert.Empty(Directory.Exists(outbox) ? Directory.GetFiles(outbox, "*.eml") : []); // still retrying
        _factory.Time.Advance(TimeSpan.FromMinutes(21));
        await ProcessAsync();

        Assert.Equal(4, _busy.Calls); // at 0, then after 2, 4 and 8 more minutes; the last, past half an hour, gives up
        Assert.Single(Directory.GetFiles(outbox, "*.eml"));
        var state = (await _app.Services.WorkflowStatusAsync(participant.InstanceId))!;
        Assert.Equal("failing", state.Data["channels"]!["sms"]!.GetValue<string>());
        var row = await _app.Services.GetRequiredService<ParticipantService>().FindAsync("demo", participant.Id, CancellationToken.None);
        Assert.Null(row!.SmsState);
        var messages = await _app.Services.GetRequiredService<MessageLog>().ForInstanceAsync(participant.InstanceId, CancellationToken.None);
        Assert.Contains(messages, m => m.Channel == "sms" && m.Status == "failed" && m.Reason!.Contains("30 minutes", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Channel == "email" && m.Status == "sent");
    }

    private async Task ProcessAsync()
    {
        await _app.Services.SettleAsync();
    }

    /// <summary>An SMS provider that is always overloaded and asks for a minute's pause (so retries are left to the runtime).</summary>
    private sealed class AlwaysBusy : IMessageProvider
    {
        public int Calls { get; private set; }

        public string Name => "busy";

        public bool Serves(string channel) => channel == "sms";

        public Task<DeliveryResult> SendAsync(string messageId, OutgoingMessage message, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(new DeliveryResult(DeliveryOutcome.Transient, Reason: "503 from busy", RetryAfter: TimeSpan.FromMinutes(1)));
        }
    }
}
