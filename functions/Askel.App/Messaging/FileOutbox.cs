using System.Text.Json;
using System.Text.Json.Nodes;
using Askel.Runtime.Engine;

namespace Askel.App.Messaging;

/// <summary>
/// The local stand-in for every provider: each message that would have been sent is written as one
/// file under <c>{DataPath}/outbox</c>, named by its effect id, so writing it again replaces it
/// instead of sending twice.
/// </summary>
public sealed class FileOutbox(string folder, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The folder.</summary>
    public string Folder => folder;

    /// <summary>Writes a message (atomically: a temporary file, then a rename).</summary>
    public async Task WriteAsync(Effect effect, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var channel = effect.Payload["channel"]?.GetValue<string>() ?? "message";
        var path = Path.Combine(folder, $"{effect.Id}.{channel}.json");
        var record = new JsonObject
        {
            ["effectId"] = effect.Id,
            ["instanceId"] = effect.InstanceId,
            ["writtenAt"] = time.GetUtcNow(),
            ["message"] = effect.Payload.DeepClone(),
        };
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, record.ToJsonString(Json), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}
