using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Askel.App.CustomHandler;

/// <summary>
/// What the Functions host posts to <c>/{functionName}</c> for a non-HTTP trigger:
/// <c>{"Data": {binding: value}, "Metadata": {name: value}}</c>.
/// </summary>
public sealed record InvocationRequest(
    IReadOnlyDictionary<string, JsonElement> Data,
    IReadOnlyDictionary<string, JsonElement> Metadata)
{
    /// <summary>Reads a request body; returns null and a reason when it is not the host's shape.</summary>
    public static InvocationRequest? TryParse(ReadOnlySpan<byte> body, out string? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException e)
        {
            error = $"The body is not valid JSON: {e.Message}";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "The body must be a JSON object with \"Data\" and \"Metadata\".";
                return null;
            }

            if (!root.TryGetProperty("Data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                error = "\"Data\" is missing or not an object: it must hold one property per input binding.";
                return null;
            }

            var metadata = root.TryGetProperty("Metadata", out var m) ? m : default;
            if (metadata.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
            {
                error = "\"Metadata\" must be an object when present.";
                return null;
            }

            error = null;
            return new InvocationRequest(ToDictionary(data), metadata.ValueKind == JsonValueKind.Object ? ToDictionary(metadata) : new Dictionary<string, JsonElement>());
        }
    }

    /// <summary>The input binding's value as text: a queue message, or a JSON value's raw text.</summary>
    public string? DataText(string binding) =>
        Data.TryGetValue(binding, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    private static Dictionary<string, JsonElement> ToDictionary(JsonElement element) =>
        element.EnumerateObject().ToDictionary(property => property.Name, property => property.Value.Clone(), StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// What the handler answers the host: output bindings, log lines for the host's log, and a return value.
/// </summary>
public sealed record InvocationResponse
{
    /// <summary>Output binding values by binding name.</summary>
    [JsonPropertyName("Outputs")]
    public Dictionary<string, JsonNode?> Outputs { get; init; } = [];

    /// <summary>Lines the host writes to its invocation log.</summary>
    [JsonPropertyName("Logs")]
    public List<string> Logs { get; init; } = [];

    /// <summary>The function's return value, bound to a <c>$return</c> output if one is declared.</summary>
    [JsonPropertyName("ReturnValue")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public JsonNode? ReturnValue { get; init; }

    /// <summary>A successful invocation with one log line.</summary>
    public static InvocationResponse Done(string log) => new() { Logs = [log] };
}
