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

    /// <summary>How long a worker owns an effect it is dispatching before another may retry it.</summary>
    public TimeSpan EffectLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many due items one shard pass takes at most.</summary>
    public int ShardBatch { get; set; } = 200;

    /// <summary>The instances table's name.</summary>
    public string InstancesTable => $"{StoragePrefix}instances";

    /// <summary>The pinned definitions table's name.</summary>
    public string DefinitionsTable => $"{StoragePrefix}definitions";

    /// <summary>The coordinator tasks table's name.</summary>
    public string TasksTable => $"{StoragePrefix}tasks";
}
