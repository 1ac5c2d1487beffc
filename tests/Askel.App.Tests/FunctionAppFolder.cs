namespace Askel.App.Tests;

/// <summary>A throw-away function app root: the repository's host.json plus the function.json files a test writes.</summary>
public sealed class FunctionAppFolder : IDisposable
{
    /// <summary>Creates the folder with a copy of the real host.json and, unless told not to, the app's own functions.</summary>
    public FunctionAppFolder(bool withAppFunctions = true)
    {
        Root = Directory.CreateTempSubdirectory("askel-functionapp-").FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "host.json"), Path.Combine(Root, "host.json"));
        foreach (var function in withAppFunctions ? Directory.EnumerateFiles(AppContext.BaseDirectory, "function.json", SearchOption.AllDirectories) : [])
        {
            var name = Path.GetFileName(Path.GetDirectoryName(function)!);
            Directory.CreateDirectory(Path.Combine(Root, name));
            File.Copy(function, Path.Combine(Root, name, "function.json"));
        }
    }

    /// <summary>The root folder.</summary>
    public string Root { get; }

    /// <summary>Writes <c>{name}/function.json</c>.</summary>
    public FunctionAppFolder With(string name, string functionJson)
    {
        Directory.CreateDirectory(Path.Combine(Root, name));
        File.WriteAllText(Path.Combine(Root, name, "function.json"), functionJson);
        return this;
    }

    /// <summary>A timer function's function.json.</summary>
    public static string Timer(string schedule, bool runOnStartup = false) =>
        $$"""{ "bindings": [ { "type": "timerTrigger", "direction": "in", "name": "timer", "schedule": "{{schedule}}", "runOnStartup": {{(runOnStartup ? "true" : "false")}} } ] }""";

    /// <summary>A queue function's function.json.</summary>
    public static string Queue(string queueName) =>
        $$"""{ "bindings": [ { "type": "queueTrigger", "direction": "in", "name": "message", "queueName": "{{queueName}}", "connection": "AzureWebJobsStorage" } ] }""";

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(Root, recursive: true);
}
