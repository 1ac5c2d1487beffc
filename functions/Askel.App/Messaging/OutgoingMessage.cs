namespace Askel.App.Messaging;

/// <summary>A message ready to go: to whom, through which channel, and its text.</summary>
/// <param name="Channel"><c>email</c> or <c>sms</c>.</param>
/// <param name="To">The address or E.164 number (an email's first recipient).</param>
/// <param name="Subject">The email subject (null for SMS).</param>
/// <param name="Text">The body (plain text).</param>
/// <param name="Language">The language it is written in.</param>
public sealed record OutgoingMessage(string Channel, string To, string? Subject, string Text, string Language)
{
    /// <summary>The HTML body of an email, when the template has one.</summary>
    public string? Html { get; init; }

    /// <summary>Files sent with an email (the monthly summary's chart, XLSX and CSV); participants' messages have none.</summary>
    public IReadOnlyList<MailAttachment> Attachments { get; init; } = [];

    /// <summary>
    /// Further addresses an email goes to beside <see cref="To"/>, in the same message (the monthly summary goes to all
    /// of a project's managers at once); participants' messages have none.
    /// </summary>
    public IReadOnlyList<string> AlsoTo { get; init; } = [];

    /// <summary>Every recipient: <see cref="To"/>, then <see cref="AlsoTo"/>.</summary>
    public IReadOnlyList<string> AllTo => [To, .. AlsoTo];
}

/// <summary>A file sent with an email.</summary>
/// <param name="FileName">The name the reader sees (e.g. <c>askel-demo-2026-10.xlsx</c>).</param>
/// <param name="ContentType">Its media type.</param>
/// <param name="Content">Its bytes.</param>
/// <param name="ContentId">Set for an image shown inside the HTML body (<c>&lt;img src="cid:…"&gt;</c>); null for a file to open.</param>
public sealed record MailAttachment(string FileName, string ContentType, byte[] Content, string? ContentId = null);

/// <summary>What a provider said about a message.</summary>
public enum DeliveryOutcome
{
    /// <summary>The provider took it; delivery reports may follow.</summary>
    Accepted,

    /// <summary>It may work later (429, 5xx, a timeout, an open circuit): try again.</summary>
    Transient,

    /// <summary>It will not work this way (a 400, an invalid address): fall back to the next channel.</summary>
    Permanent,

    /// <summary>It kept failing passingly for too long: fall back to the next channel, the address may still be good.</summary>
    GaveUp,
}

/// <summary>The result of handing one message to a provider.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="ProviderMessageId">The provider's id for it, when accepted.</param>
/// <param name="Reason">Why not, for the coordinator (never personal data).</param>
/// <param name="RetryAfter">How long the provider asked us to wait.</param>
public sealed record DeliveryResult(DeliveryOutcome Outcome, string? ProviderMessageId = null, string? Reason = null, TimeSpan? RetryAfter = null);

/// <summary>
/// One way of sending a channel's messages (SendGrid, Microsoft Graph, an SMS API, the local outbox).
/// Implementations make one attempt and report honestly; retrying and falling back are decided around them.
/// </summary>
public interface IMessageProvider
{
    /// <summary>The provider's name in settings and logs (e.g. <c>sendgrid</c>).</summary>
    string Name { get; }

    /// <summary>Whether it sends <paramref name="channel"/> (<c>email</c> or <c>sms</c>) messages.</summary>
    bool Serves(string channel);

    /// <summary>Sends one message; <paramref name="messageId"/> is Askel's id for it (the effect id), carried along for delivery reports.</summary>
    Task<DeliveryResult> SendAsync(string messageId, OutgoingMessage message, CancellationToken cancellationToken);
}
