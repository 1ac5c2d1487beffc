namespace Askel.Runtime.Engine;

/// <summary>Settings of the workflow runtime (section <c>Askel:Runtime</c>).</summary>
public sealed class EngineOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Askel:Runtime";

    /// <summary>
    /// Prefix of the runtime's tables and queue (letters and digits).
    /// </summary>
    /// <remarks>Changing it points the runtime at other tables: in-flight instances are left behind in the old ones.</remarks>
    public string StoragePrefix { get; set; } = "askel";

    /// <summary>The pinned definitions table's name.</summary>
    public string DefinitionsTable => $"{StoragePrefix}definitions";

    /// <summary>The table of signals told to instances and not yet applied.</summary>
    public string SignalsTable => $"{StoragePrefix}signals";

    /// <summary>The coordinator tasks table's name.</summary>
    public string TasksTable => $"{StoragePrefix}tasks";
}
