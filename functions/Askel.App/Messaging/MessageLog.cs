using Askel.Runtime.Client;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Azure.Data.Tables;

namespace Askel.App.Messaging;

/// <summary>One message as the coordinator sees it on the timeline.</summary>
public sealed record LoggedMessage(string MessageId, string Channel, string Provider, string Status, string? Reason, DateTimeOffset At, DateTimeOffset UpdatedAt)
{
    /// <summary>The workflow's message effect it came from, when known.</summary>
    public System.Text.Json.Nodes.JsonObject? Effect { get; init; }

    /// <summary>An opt-out reported for this message was applied.</summary>
    public bool OptOutApplied { get; init; }
}

/// <summary>
/// Every message sent for an instance and what became of it: sent, then delivered, bounced or failed as
/// provider reports arrive. Partition: the instance; row: Askel's message id (the effect id), which
/// providers carry back in their reports. Holds no text and no address.
/// </summary>
public sealed class MessageLog(TableServiceClient service, EngineOptions options, TimeProvider time)
{
    /// <summary>The table.</summary>
    public TableClient Table { get; } = service.GetTableClient(options.StoragePrefix + "messages");

    /// <summary>The instance a message id belongs to: the id is an <see cref="EffectId"/>.</summary>
    public static string InstanceOf(string messageId)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        return EffectId.TryParse(messageId, out var id) ? id.Instance : messageId;
    }

    /// <summary>
    /// Whether <paramref name="messageId"/> can be one of Askel's message ids (an effect id: an instance id, then
    /// dots, letters, digits and dashes). An id a webhook carries is checked before it is used as a table key,
    /// where '/', '\', '#', '?' and control characters are not allowed.
    /// </summary>
    public static bool IsMessageId(string messageId) =>
        messageId is { Length: > 0 and <= 300 } && messageId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') && InstanceIds.IsValid(InstanceOf(messageId));

    /// <summary>Records what a provider said when the message was handed over.</summary>
    /// <param name="messageId">Askel's id of the message (the effect id).</param>
    /// <param name="channel">Its channel.</param>
    /// <param name="provider">The provider it was handed to.</param>
    /// <param name="result">What the provider said.</param>
    /// <param name="effect">The workflow's message effect (template, language, form — no personal data), kept so a later failure report can send it again through another channel.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <param name="firstAttempt">When it was first tried, if this is a retry (kept as the message's time).</param>
    public Task RecordSendAsync(string messageId, string channel, string provider, DeliveryResult result, System.Text.Json.Nodes.JsonObject? effect, CancellationToken cancellationToken, DateTimeOffset? firstAttempt = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var now = time.GetUtcNow();
        return Table.UpsertEntityAsync(
            new TableEntity(InstanceOf(messageId), messageId)
            {
                ["Channel"] = channel,
                ["Provider"] = provider,
                ["ProviderMessageId"] = result.ProviderMessageId ?? "",
                ["Status"] = result.Outcome switch { DeliveryOutcome.Accepted => "sent", DeliveryOutcome.Transient => "retrying", _ => "failed" },
                ["Reason"] = result.Reason ?? "",
                ["Effect"] = effect?.ToJsonString() ?? "",
                ["At"] = firstAttempt ?? now,
                ["UpdatedAt"] = now,
            },
            TableUpdateMode.Merge,
            cancellationToken);
    }

    /// <summary>Records a delivery report for a logged message (the caller has found it with <see cref="FindAsync"/>).</summary>
    public Task RecordStatusAsync(string messageId, string status, string? reason, CancellationToken cancellationToken) =>
        Table.UpdateEntityAsync(
            new TableEntity(InstanceOf(messageId), messageId) { ["Status"] = status, ["Reason"] = reason ?? "", ["UpdatedAt"] = time.GetUtcNow() },
            Azure.ETag.All,
            TableUpdateMode.Merge,
            cancellationToken);

    /// <summary>Records that an opt-out reported for a logged message was applied.</summary>
    public Task RecordOptOutAsync(string messageId, CancellationToken cancellationToken) =>
        Table.UpdateEntityAsync(
            new TableEntity(InstanceOf(messageId), messageId) { ["OptOutApplied"] = true, ["UpdatedAt"] = time.GetUtcNow() },
            Azure.ETag.All,
            TableUpdateMode.Merge,
            cancellationToken);

    /// <summary>One message, or null.</summary>
    public async Task<LoggedMessage?> FindAsync(string messageId, CancellationToken cancellationToken)
    {
        if (!IsMessageId(messageId))
        {
            return null;
        }

        var row = await Table.GetEntityIfExistsAsync<TableEntity>(InstanceOf(messageId), messageId, cancellationToken: cancellationToken);
        return row.HasValue ? ToMessage(row.Value!) : null;
    }

    /// <summary>The messages of an instance, oldest first.</summary>
    public async Task<IReadOnlyList<LoggedMessage>> ForInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        var list = new List<LoggedMessage>();
        await foreach (var row in Table.QueryAsync<TableEntity>(e => e.PartitionKey == instanceId, cancellationToken: cancellationToken))
        {
            list.Add(ToMessage(row));
        }

        return [.. list.OrderBy(m => m.At)];
    }

    private static LoggedMessage ToMessage(TableEntity row) => new(
        row.RowKey,
        row.GetString("Channel") ?? "",
        row.GetString("Provider") ?? "",
        row.GetString("Status") ?? "",
        row.GetString("Reason") is { Length: > 0 } reason ? reason : null,
        row.GetDateTimeOffset("At") ?? default,
        row.GetDateTimeOffset("UpdatedAt") ?? default)
    {
        Effect = row.GetString("Effect") is { Length: > 0 } effect ? System.Text.Json.Nodes.JsonNode.Parse(effect) as System.Text.Json.Nodes.JsonObject : null,
        OptOutApplied = row.GetBoolean("OptOutApplied") == true,
    };
}
