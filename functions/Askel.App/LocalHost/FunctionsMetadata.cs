using System.Text.Json;

namespace Askel.App.LocalHost;

/// <summary>
/// The app's functions as the Worker SDK declares them at build in <c>functions.metadata</c> beside the executable:
/// the very list the Functions host reads in Azure, so the local host serves exactly what Azure would.
/// </summary>
public sealed class FunctionsMetadata
{
    /// <summary>The file's name.</summary>
    public const string FileName = "functions.metadata";

    private FunctionsMetadata(string path, IReadOnlyList<FunctionDeclaration> functions)
    {
        Path = path;
        Functions = functions;
    }

    /// <summary>Where the file was read from.</summary>
    public string Path { get; }

    /// <summary>Every function, ordered by name.</summary>
    public IReadOnlyList<FunctionDeclaration> Functions { get; }

    /// <summary>Reads <c>functions.metadata</c> in <paramref name="folder"/>.</summary>
    /// <exception cref="FunctionsMetadataException">The file is missing or declares a trigger the local host cannot serve.</exception>
    public static FunctionsMetadata Load(string folder)
    {
        var path = System.IO.Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new FunctionsMetadataException($"{path} is missing: build the app (the Worker SDK writes it beside the executable).");
        }

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var functions = json.RootElement.EnumerateArray()
            .Select(function => Declaration(function, path))
            .OrderBy(function => function.Name, StringComparer.Ordinal)
            .ToArray();
        return new FunctionsMetadata(path, functions);
    }

    private static FunctionDeclaration Declaration(JsonElement function, string path)
    {
        var name = function.GetProperty("name").GetString()!;
        var trigger = function.GetProperty("bindings").EnumerateArray()
            .Where(binding => binding.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase))
            .Select(binding => Trigger(binding, name, path))
            .SingleOrDefault() ?? throw new FunctionsMetadataException($"{path}: function '{name}' has no trigger.");
        return new FunctionDeclaration(name, function.GetProperty("entryPoint").GetString()!, trigger);
    }

    private static FunctionTrigger Trigger(JsonElement binding, string function, string path)
    {
        var bindingName = binding.GetProperty("name").GetString()!;
        var type = binding.GetProperty("type").GetString()!;
        return type.ToLowerInvariant() switch
        {
            "httptrigger" => new HttpTrigger(
                bindingName,
                binding.TryGetProperty("route", out var route) ? route.GetString() ?? function : function,
                binding.TryGetProperty("methods", out var methods) ? [.. methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())] : []),
            "timertrigger" => new TimerTrigger(
                bindingName,
                binding.GetProperty("schedule").GetString()!,
                binding.TryGetProperty("runOnStartup", out var onStartup) && onStartup.ValueKind == JsonValueKind.True),
            "orchestrationtrigger" => new OrchestrationTrigger(bindingName),
            "activitytrigger" => new ActivityTrigger(bindingName),
            _ => throw new FunctionsMetadataException($"{path}: function '{function}' has a {type}, which the local host does not serve."),
        };
    }
}

/// <summary>One function: its name, the method that runs it (<c>Namespace.Type.Method</c>) and its trigger.</summary>
public sealed record FunctionDeclaration(string Name, string EntryPoint, FunctionTrigger Trigger);

/// <summary>What starts a function; <see cref="BindingName"/> is the trigger parameter's name.</summary>
public abstract record FunctionTrigger(string BindingName);

/// <summary>An HTTP request on <paramref name="Route"/> (host.json's route prefix is empty) with one of the methods (none: any).</summary>
public sealed record HttpTrigger(string BindingName, string Route, IReadOnlyList<string> Methods) : FunctionTrigger(BindingName);

/// <summary>A 6-field NCRONTAB schedule in UTC, seconds first.</summary>
public sealed record TimerTrigger(string BindingName, string Schedule, bool RunOnStartup) : FunctionTrigger(BindingName);

/// <summary>A Durable orchestrator.</summary>
public sealed record OrchestrationTrigger(string BindingName) : FunctionTrigger(BindingName);

/// <summary>A Durable activity.</summary>
public sealed record ActivityTrigger(string BindingName) : FunctionTrigger(BindingName);

/// <summary>The functions cannot be served as declared: the app does not start, and the message says why.</summary>
public sealed class FunctionsMetadataException(string message) : Exception(message);
