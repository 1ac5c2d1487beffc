using System.Text.Json;

namespace Askel.App.Hosting;

/// <summary>
/// Reads <c>local.settings.json</c>'s <c>Values</c> — the Functions tools' local settings file — so the
/// same file configures Askel with or without a Functions host. Environment variables still win.
/// </summary>
internal static class LocalSettings
{
    public const string FileName = "local.settings.json";

    public static IConfigurationBuilder AddLocalSettings(this IConfigurationBuilder configuration, string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return configuration;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var values = document.RootElement.TryGetProperty("Values", out var v) && v.ValueKind == JsonValueKind.Object
            ? v.EnumerateObject().ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.ToString())
            : new Dictionary<string, string?>();
        if (configuration is IConfigurationManager manager)
        {
            // Lowest precedence: environment variables and the command line override the file.
            manager.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = values });
            return configuration;
        }

        return configuration.AddInMemoryCollection(values);
    }
}
