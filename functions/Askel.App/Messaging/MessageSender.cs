using Askel.App.Hosting;
using Microsoft.Extensions.Options;

namespace Askel.App.Messaging;

/// <summary>Which provider sends each channel (section <c>Askel:Messaging</c>).</summary>
public sealed class MessagingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Askel:Messaging";

    /// <summary>The email provider: <c>outbox</c> (local files) by default.</summary>
    public string Email { get; set; } = "outbox";

    /// <summary>The SMS provider: <c>outbox</c> (local files) by default.</summary>
    public string Sms { get; set; } = "outbox";

    /// <summary>How long a message may keep failing passingly before the workflow falls back to the next channel.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>
/// Hands a message to the provider configured for its channel and logs what the provider said. A provider
/// that cannot be reached counts as a passing failure, so the runtime tries the message again later; one
/// that keeps failing for <see cref="MessagingOptions.GiveUpAfter"/> is given up on, and the workflow falls back.
/// </summary>
public sealed class MessageSender(IEnumerable<IMessageProvider> providers, MessageLog log, IOptions<MessagingOptions> options, TimeProvider time)
{
    // Every provider but the local outbox retries passing failures and has a circuit of its own (Resilience/ResilientProvider).
    private readonly IMessageProvider[] _providers = [.. providers.Select(p => Resilience.ResilientProvider.Wrap(p, time))];

    /// <summary>Checks at start-up that each channel names a provider Askel has.</summary>
    public void CheckSettings()
    {
        foreach (var (channel, name) in new[] { ("email", options.Value.Email), ("sms", options.Value.Sms) })
        {
            _ = Provider(channel, name);
        }
    }

    /// <summary>Sends one message through its channel's provider.</summary>
    /// <param name="messageId">Askel's id of the message (the effect id).</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <param name="effect">The workflow's message effect it came from, logged so a later failure report can resend it.</param>
    public async Task<DeliveryResult> SendAsync(string messageId, OutgoingMessage message, CancellationToken cancellationToken, System.Text.Json.Nodes.JsonObject? effect = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var provider = Provider(message.Channel, message.Channel == "email" ? options.Value.Email : options.Value.Sms);

        // Sends run at least once (a workflow activity may be repeated): a message the log has as handed over, or as
        // refused for good, is not sent again; the repeat gets what happened the first time.
        var earlier = await log.FindAsync(messageId, cancellationToken);
        if (earlier is { Status: not "retrying" })
        {
            return new DeliveryResult(earlier.Status == "failed" ? DeliveryOutcome.Permanent : DeliveryOutcome.Accepted, Reason: earlier.Reason);
        }

        DeliveryResult result;
        try
        {
            result = await provider.SendAsync(messageId, message, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            result = new DeliveryResult(DeliveryOutcome.Transient, Reason: $"{provider.Name} did not answer");
        }

        // A retry gives up once the first attempt is long enough ago.
        if (result.Outcome == DeliveryOutcome.Transient && earlier is { Status: "retrying" } && time.GetUtcNow() - earlier.At >= options.Value.GiveUpAfter)
        {
            result = result with { Outcome = DeliveryOutcome.GaveUp, Reason = $"{result.Reason ?? "failing"} for {options.Value.GiveUpAfter.TotalMinutes:0} minutes" };
        }

        await log.RecordSendAsync(messageId, message.Channel, provider.Name, result, effect, cancellationToken, firstAttempt: earlier?.At);
        return result;
    }

    /// <summary>Logs a message that could not even be handed over (e.g. no address for the channel).</summary>
    public Task RecordUnsendableAsync(string messageId, string channel, string reason, CancellationToken cancellationToken) =>
        log.RecordSendAsync(messageId, channel, "none", new DeliveryResult(DeliveryOutcome.Permanent, Reason: reason), null, cancellationToken);

    private IMessageProvider Provider(string channel, string name) =>
        _providers.FirstOrDefault(p => p.Name == name && p.Serves(channel))
        ?? throw new SettingException(
            $"Askel__Messaging__{(channel == "email" ? "Email" : "Sms")} is '{name}', which is not a {channel} provider: use one of {string.Join(", ", _providers.Where(p => p.Serves(channel)).Select(p => p.Name))}.");
}
