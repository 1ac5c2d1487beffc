using Askel.App.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Messaging;

/// <summary>Guarantee 2 at the sender: a workflow activity runs at least once, so a repeated send of one message id sends nothing more.</summary>
public sealed class RepeatedSendTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly Counting _provider = new();
    private AskelAppFactory _factory = null!;
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        _factory = await AskelAppFactory.CreateAsync(output);
        _app = _factory.WithSmsProvider(_provider);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Theory]
    [InlineData(DeliveryOutcome.Accepted, DeliveryOutcome.Accepted)]
    [InlineData(DeliveryOutcome.Permanent, DeliveryOutcome.Permanent)]
    public async Task TheSameMessageIdTwice_ReachesTheProviderOnce_AndTheRepeatGetsTheFirstOutcome(DeliveryOutcome first, DeliveryOutcome repeated)
    {
        _provider.Answer = first;
        var sender = _app.Services.GetRequiredService<MessageSender>();
        var message = new OutgoingMessage("sms", "+358401234567", null, "Hei Aino", "fi");

        var once = await sender.SendAsync("demo.p1.2.a1", message, CancellationToken.None);
        var twice = await sender.SendAsync("demo.p1.2.a1", message, CancellationToken.None);

        Assert.Equal((first, repeated, 1), (once.Outcome, twice.Outcome, _provider.Calls));
    }

    [Fact]
    public async Task AMessageStillBeingRetried_IsSentAgain()
    {
        _provider.Answer = DeliveryOutcome.Transient;
        var sender = _app.Services.GetRequiredService<MessageSender>();
        var message = new OutgoingMessage("sms", "+358401234567", null, "Hei Aino", "fi");

        await sender.SendAsync("demo.p1.2.a1", message, CancellationToken.None);
        _provider.Answer = DeliveryOutcome.Accepted;
        var retried = await sender.SendAsync("demo.p1.2.a1", message, CancellationToken.None);

        Assert.Equal((DeliveryOutcome.Accepted, 2), (retried.Outcome, _provider.Calls));
    }

    private sealed class Counting : IMessageProvider
    {
        public int Calls { get; private set; }

        public DeliveryOutcome Answer { get; set; }

        public string Name => "counting";

        public bool Serves(string channel) => channel == "sms";

        public Task<DeliveryResult> SendAsync(string messageId, OutgoingMessage message, CancellationToken cancellationToken)
        {
            Calls++;
            // A passing failure asks for a minute's pause, so the retry is left to the workflow, not done within the send.
            return Task.FromResult(new DeliveryResult(Answer, Reason: Answer == DeliveryOutcome.Accepted ? null : "refused", RetryAfter: Answer == DeliveryOutcome.Transient ? TimeSpan.FromMinutes(1) : null));
        }
    }
}
