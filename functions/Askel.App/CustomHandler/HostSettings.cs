using System.Globalization;
using System.Text.Json;

namespace Askel.App.CustomHandler;

/// <summary>The parts of <c>host.json</c> that change how triggers behave.</summary>
/// <param name="RoutePrefix">The HTTP route prefix (default <c>api</c>).</param>
/// <param name="Queues">The queue trigger's settings.</param>
public sealed record HostSettings(string RoutePrefix, QueueSettings Queues)
{
    internal static HostSettings Parse(JsonElement hostJson)
    {
        var extensions = hostJson.TryGetProperty("extensions", out var e) ? e : default;
        var http = Section(extensions, "http");
        var queues = Section(extensions, "queues");
        var batchSize = Int(queues, "batchSize") ?? 16;
        return new HostSettings(
            Str(http, "routePrefix") ?? "api",
            new QueueSettings(
                batchSize,
                Int(queues, "newBatchThreshold") ?? batchSize / 2,
                Span(queues, "maxPollingInterval") ?? TimeSpan.FromMinutes(1),
                Span(queues, "visibilityTimeout") ?? TimeSpan.Zero,
                Int(queues, "maxDequeueCount") ?? 5));
    }

    private static JsonElement Section(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var section) ? section : default;

    private static string? Str(JsonElement section, string name) =>
        section.ValueKind == JsonValueKind.Object && section.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static int? Int(JsonElement section, string name) =>
        section.ValueKind == JsonValueKind.Object && section.TryGetProperty(name, out var value) ? value.GetInt32() : null;

    private static TimeSpan? Span(JsonElement section, string name) =>
        Str(section, name) is { } text ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : null;
}

/// <summary>host.json <c>extensions.queues</c>, with the Functions host's defaults.</summary>
/// <param name="BatchSize">Messages fetched and run in parallel at once.</param>
/// <param name="NewBatchThreshold">Fetch the next batch when fewer than this many are running.</param>
/// <param name="MaxPollingInterval">The longest wait between polls of an empty queue.</param>
/// <param name="VisibilityTimeout">How long a failed message stays hidden before its retry.</param>
/// <param name="MaxDequeueCount">Attempts before a message moves to <c>&lt;queue&gt;-poison</c>.</param>
public sealed record QueueSettings(int BatchSize, int NewBatchThreshold, TimeSpan MaxPollingInterval, TimeSpan VisibilityTimeout, int MaxDequeueCount);
