using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Askel.App.Messaging;

/// <summary>
/// The local stand-in for every provider: each message that would have been sent is written under
/// <c>{DataPath}/outbox</c> — an <c>.eml</c> file for email, JSON for SMS — named by its effect id, so
/// writing it again replaces it instead of sending twice. An email with attachments is a MIME
/// <c>multipart/mixed</c> message (text and HTML as <c>multipart/alternative</c>, inside <c>multipart/related</c>
/// with the images the HTML shows by <c>cid:</c>), which a mail client opens as it was meant to look; one
/// without attachments (a participant's) stays plain text.
/// </summary>
public sealed partial class FileOutbox(string folder, TimeProvider time) : IMessageProvider
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The folder.</summary>
    public string Folder => folder;

    /// <inheritdoc />
    public string Name => "outbox";

    /// <inheritdoc />
    public bool Serves(string channel) => channel is "email" or "sms";

    /// <inheritdoc />
    public async Task<DeliveryResult> SendAsync(string messageId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        await WriteAsync(messageId, message, cancellationToken);
        return new DeliveryResult(DeliveryOutcome.Accepted, ProviderMessageId: messageId);
    }

    /// <summary>
    /// Records a message of an instance that has no participant (started directly through the instance API to
    /// try a workflow out): there is nobody to address, so what would have been sent is kept as the effect's payload.
    /// </summary>
    public Task WriteUnaddressedAsync(string effectId, JsonObject payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        Directory.CreateDirectory(folder);
        var channel = payload["channel"]?.GetValue<string>() ?? "message";
        var record = new JsonObject { ["effectId"] = effectId, ["writtenAt"] = time.GetUtcNow(), ["unaddressed"] = payload.DeepClone() };
        return WriteFileAsync(Path.Combine(folder, $"{effectId}.{channel}.json"), record.ToJsonString(Json), cancellationToken);
    }

    /// <summary>Writes a message (atomically: a temporary file, then a rename).</summary>
    public async Task WriteAsync(string effectId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Directory.CreateDirectory(folder);
        string path;
        string content;
        if (message.Channel == "email")
        {
            path = Path.Combine(folder, $"{effectId}.eml");
            var headers = new StringBuilder()
                .Append("Message-ID: <").Append(effectId).Append("@askel.local>\r\n")
                .Append("Date: ").Append(time.GetUtcNow().ToString("r", System.Globalization.CultureInfo.InvariantCulture)).Append("\r\n")
                .Append("To: ").Append(string.Join(", ", message.AllTo)).Append("\r\n")
                .Append("Subject: =?utf-8?B?").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(message.Subject ?? ""))).Append("?=\r\n")
                .Append("Content-Language: ").Append(message.Language).Append("\r\n")
                .Append("MIME-Version: 1.0\r\n");
            content = message.Attachments.Count == 0
                ? headers.Append("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                    .Append(message.Text.ReplaceLineEndings("\r\n")).Append("\r\n")
                    .ToString()
                : Mime.Multipart(headers, effectId, message);
        }
        else
        {
            path = Path.Combine(folder, $"{effectId}.{message.Channel}.json");
            content = new JsonObject
            {
                ["effectId"] = effectId,
                ["writtenAt"] = time.GetUtcNow(),
                ["channel"] = message.Channel,
                ["to"] = message.To,
                ["language"] = message.Language,
                ["text"] = message.Text,
            }.ToJsonString(Json);
        }

        await WriteFileAsync(path, content, cancellationToken);
    }

    private static async Task WriteFileAsync(string path, string content, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, content, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}
