using System.Text;

namespace Askel.Runtime.Store;

/// <summary>
/// Instances live in a fixed number of partitions (shards), so one instance's state, history,
/// timers and pending effects commit in one entity-group transaction, and one range query per
/// shard finds everything due.
/// </summary>
public static class Shards
{
    /// <summary>
    /// The number of shards. Changing it moves instances to other partitions: never change it while
    /// any instance exists in the storage account.
    /// </summary>
    public const int Count = 16;

    /// <summary>Every shard's partition key.</summary>
    public static IReadOnlyList<string> All { get; } = Enumerable.Range(0, Count).Select(Key).ToArray();

    /// <summary>The shard an instance id belongs to (FNV-1a: stable across processes and versions).</summary>
    public static string Of(string instanceId)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(instanceId))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return Key((int)(hash % Count));
    }

    private static string Key(int shard) => $"s{shard:D2}";
}
