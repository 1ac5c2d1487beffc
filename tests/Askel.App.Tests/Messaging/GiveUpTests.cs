using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Engine;
using Askel.Runtime.Store;
using Microsoft.AspNetCore.TestHost;
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
        _app = _factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Askel:Messaging:Sms", "busy");
            builder.ConfigureTestServices(services => services.AddSingleton<IMessageProvider>(_busy));
        });
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
        var outbox = Path.Combine(_factory.DataPath, "outbox");
        Assert.False(Directory.Exists(outbox) && Directory.GetFiles(outbox, "*.eml").Length > 0);

        _factory.Time.Advance(TimeSpan.FromMinutes(10));
        await ProcessAsync();
        Assert.Empty(Directory.Exists(outbox) ? Directory.GetFiles(outbox, "*.eml") : []); // still retrying
        _factory.Time.Advance(TimeSpan.FromMinutes(21));
        await ProcessAsync();

        Assert.Equal(3, _busy.Calls);
        Assert.Single(Directory.GetFiles(outbox, "*.eml"));
        var state = (await _app.Services.GetRequiredService<InstanceStore>().LoadAsync(participant.InstanceId, CancellationToken.None))!.State;
        Assert.Equal("failing", state.Data["channels"]!["sms"]!.GetValue<string>());
        var row = await _app.Services.GetRequiredService<ParticipantService>().FindAsync("demo", participant.Id, CancellationToken.None);
        Assert.Null(row!.SmsState);
        var messages = await _app.Services.GetRequiredService<MessageLog>().ForInstanceAsync(participant.InstanceId, CancellationToken.None);
        Assert.Contains(messages, m => m.Channel == "sms" && m.Status == "failed" && m.Reason!.Contains("30 minutes", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Channel == "email" && m.Status == "sent");
    }

    private async Task ProcessAsync()
    {
        while (await _app.Services.GetRequiredService<WorkflowEngine>().ProcessDueAsync(CancellationToken.None) > 0)
        {
        }
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
