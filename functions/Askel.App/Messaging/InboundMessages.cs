using Askel.Runtime.Engine;
using Azure;
using Azure.Data.Tables;

namespace Askel.App.Messaging;

/// <summary>
/// The ids of the inbound messages already applied (Twilio's <c>MessageSid</c>), so a captured and replayed callback —
/// Twilio's signature carries no time — changes nothing a second time. One row per provider and id, holding no text and
/// no number.
/// </summary>
public sealed class InboundMessages(TableServiceClient service, EngineOptions options, TimeProvider time)
{
    /// <summary>The table.</summary>
    public TableClient Table { get; } = service.GetTableClient(options.StoragePrefix + "inbound");

    /// <summary>Claims an inbound message for applying; false when it was applied before (a repeat or a replay).</summary>
    public async Task<bool> ClaimAsync(string provider, string messageId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await Table.AddEntityAsync(new TableEntity(provider, messageId) { ["At"] = time.GetUtcNow() }, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 409 && e.ErrorCode != "TableBeingDeleted")
            {
                return false;
            }
            catch (RequestFailedException e) when (e.Status == 404 && attempt == 0)
            {
                await Table.CreateIfNotExistsAsync(cancellationToken);
            }
        }
    }

    /// <summary>Whether <paramref name="messageId"/> can be a provider's message id (and so a table key).</summary>
    public static bool IsMessageId(string messageId) => messageId is { Length: > 0 and <= 64 } && messageId.All(char.IsAsciiLetterOrDigit);
}
