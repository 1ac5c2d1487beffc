using System.Text.Json;
using System.Text.Json.Nodes;

namespace Askel.App.Workflows;

/// <summary>
/// A message on the work queue: process a shard's due work, or deliver an event to an instance
/// (from webhooks and other asynchronous senders).
/// </summary>
public abstract record WorkMessage
{
    /// <summary>Reads a queue message; null and a reason when it is not one Askel understands.</summary>
    public static WorkMessage? TryParse(string? text, out string? reason)
    {
        reason = null;
        try
        {
            var json = JsonNode.Parse(text ?? "") as JsonObject;
            var type = json?["type"]?.GetValue<string>();
            switch (type)
            {
                case "shard" when json!["shard"]?.GetValue<string>() is { } shard && Askel.Runtime.Store.Shards.All.Contains(shard):
                    return new ShardWork(shard);
                case "event" when json!["instanceId"]?.GetValue<string>() is { } instance && json["name"]?.GetValue<string>() is { } name:
                    return new EventWork(instance, name, json["payload"]?.DeepClone(), json["eventId"]?.GetValue<string>());
                default:
                    reason = type is null ? "no \"type\" (shard or event)" : $"a '{type}' message is missing its fields or names an unknown shard";
                    return null;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            reason = $"not valid JSON: {e.Message}";
            return null;
        }
    }

    /// <summary>The message as queue text.</summary>
    public abstract string ToJson();
}

/// <summary>Fire the due timers and retry the unconfirmed effects of one shard.</summary>
public sealed record ShardWork(string Shard) : WorkMessage
{
    /// <inheritdoc />
    public override string ToJson() => new JsonObject { ["type"] = "shard", ["shard"] = Shard }.ToJsonString();
}

/// <summary>Deliver an event.</summary>
public sealed record EventWork(string InstanceId, string Name, JsonNode? Payload, string? EventId) : WorkMessage
{
    /// <inheritdoc />
    public override string ToJson() =>
        new JsonObject { ["type"] = "event", ["instanceId"] = InstanceId, ["name"] = Name, ["payload"] = Payload?.DeepClone(), ["eventId"] = EventId }.ToJsonString();
}
