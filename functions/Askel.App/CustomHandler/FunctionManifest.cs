using System.Text.Json;

namespace Askel.App.CustomHandler;

/// <summary>
/// The functions of the app as the Functions host sees them: one folder per function beside
/// <c>host.json</c>, each with its <c>function.json</c>.
/// </summary>
public sealed class FunctionManifest
{
    private FunctionManifest(string root, HostSettings host, IReadOnlyList<FunctionDefinition> functions)
    {
        Root = root;
        Host = host;
        Functions = functions;
    }

    /// <summary>The function app's root folder (where <c>host.json</c> is).</summary>
    public string Root { get; }

    /// <summary>What <c>host.json</c> says about routes and queues.</summary>
    public HostSettings Host { get; }

    /// <summary>Every function, ordered by name.</summary>
    public IReadOnlyList<FunctionDefinition> Functions { get; }

    /// <summary>Reads <c>host.json</c> and every <c>*/function.json</c> under <paramref name="root"/>.</summary>
    /// <exception cref="FunctionManifestException">A file is missing or does not describe a function Askel can run.</exception>
    public static FunctionManifest Load(string root)
    {
        var hostPath = Path.Combine(root, "host.json");
        if (!File.Exists(hostPath))
        {
            throw new FunctionManifestException($"{hostPath} is missing: the function app root must hold host.json.");
        }

        var host = HostSettings.Parse(ReadJson(hostPath));
        var functions = Directory.EnumerateDirectories(root)
            .Select(folder => Path.Combine(folder, "function.json"))
            .Where(File.Exists)
            .Select(path => FunctionDefinition.Parse(Path.GetFileName(Path.GetDirectoryName(path)!), path, ReadJson(path)))
            .OrderBy(function => function.Name, StringComparer.Ordinal)
            .ToArray();
        return new FunctionManifest(root, host, functions);
    }

    /// <summary>
    /// Resolves <c>%Setting%</c> binding expressions the way the Functions host does, from app settings
    /// (<c>__</c> in a name is the configuration's <c>:</c>).
    /// </summary>
    /// <exception cref="FunctionManifestException">A named setting is not set.</exception>
    public static string ResolveSettings(string value, IConfiguration configuration, string path) =>
        System.Text.RegularExpressions.Regex.Replace(value, "%([^%]+)%", match =>
            configuration[match.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal)]
            ?? throw new FunctionManifestException($"{path}: '{value}' names the app setting {match.Groups[1].Value}, which is not set."));

    private static JsonElement ReadJson(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FunctionManifestException($"{path}: not valid JSON (line {e.LineNumber + 1}): {e.Message}");
        }
    }
}

/// <summary>One function: its name (the folder's) and its trigger.</summary>
public sealed record FunctionDefinition(string Name, string Path, FunctionTrigger Trigger)
{
    internal static FunctionDefinition Parse(string name, string path, JsonElement json)
    {
        if (!json.TryGetProperty("bindings", out var bindings) || bindings.ValueKind != JsonValueKind.Array)
        {
            throw new FunctionManifestException($"{path}: needs a \"bindings\" array.");
        }

        var triggers = bindings.EnumerateArray()
            .Where(binding => String(binding, "type")?.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase) == true)
            .ToArray();
        if (triggers.Length != 1)
        {
            throw new FunctionManifestException($"{path}: needs exactly one trigger binding, found {triggers.Length}.");
        }

        var trigger = triggers[0];
        var type = String(trigger, "type")!;
        var bindingName = String(trigger, "name") ?? throw new FunctionManifestException($"{path}: the trigger binding needs a \"name\".");
        FunctionTrigger parsed = type.ToUpperInvariant() switch
        {
            "HTTPTRIGGER" => new HttpTrigger(
                bindingName,
                String(trigger, "route") ?? name,
                trigger.TryGetProperty("methods", out var methods) && methods.ValueKind == JsonValueKind.Array
                    ? methods.EnumerateArray().Select(method => method.GetString()!.ToUpperInvariant()).ToArray()
                    : ["GET", "POST"]),
            "TIMERTRIGGER" => new TimerTrigger(
                bindingName,
                String(trigger, "schedule") ?? throw new FunctionManifestException($"{path}: a timerTrigger needs a \"schedule\" (6-field NCRONTAB)."),
                trigger.TryGetProperty("runOnStartup", out var onStartup) && onStartup.ValueKind == JsonValueKind.True),
            "QUEUETRIGGER" => new QueueTrigger(
                bindingName,
                String(trigger, "queueName") ?? throw new FunctionManifestException($"{path}: a queueTrigger needs a \"queueName\"."),
                String(trigger, "connection") ?? "AzureWebJobsStorage"),
            _ => throw new FunctionManifestException($"{path}: trigger type '{type}' is not one Askel runs (httpTrigger, timerTrigger, queueTrigger)."),
        };
        return new FunctionDefinition(name, path, parsed);
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>What starts a function.</summary>
public abstract record FunctionTrigger(string BindingName);

/// <summary>An HTTP request on <c>/{routePrefix}/{Route}</c>; the host proxies it to the handler as is.</summary>
public sealed record HttpTrigger(string BindingName, string Route, IReadOnlyList<string> Methods) : FunctionTrigger(BindingName);

/// <summary>A schedule in 6-field NCRONTAB (seconds first), in UTC.</summary>
public sealed record TimerTrigger(string BindingName, string Schedule, bool RunOnStartup) : FunctionTrigger(BindingName);

/// <summary>Messages on a storage queue.</summary>
public sealed record QueueTrigger(string BindingName, string QueueName, string Connection) : FunctionTrigger(BindingName);

/// <summary>A function app file is missing or wrong; the message names the file and the fix.</summary>
public sealed class FunctionManifestException(string message) : Exception(message);
