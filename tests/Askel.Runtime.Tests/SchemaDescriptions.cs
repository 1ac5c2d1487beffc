using System.Text.Json;

namespace Askel.Runtime.Tests;

/// <summary>Editors show a schema property's description as its help: every property of Askel's schemas has one.</summary>
internal static class SchemaDescriptions
{
    /// <summary>The JSON pointers of every property in the schema file at <paramref name="path"/> that has no description.</summary>
    public static IReadOnlyList<string> Missing(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var missing = new List<string>();
        Visit(document.RootElement, "#", missing);
        return missing;
    }

    private static void Visit(JsonElement element, string path, List<string> missing)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("properties", out var properties))
            {
                missing.AddRange(properties.EnumerateObject().Where(p => !p.Value.TryGetProperty("description", out _)).Select(p => path + "/" + p.Name));
            }

            foreach (var property in element.EnumerateObject())
            {
                Visit(property.Value, path + "/" + property.Name, missing);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                Visit(item, $"{path}/{i++}", missing);
            }
        }
    }
}
