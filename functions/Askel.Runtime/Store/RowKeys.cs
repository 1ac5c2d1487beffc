using System.Globalization;

namespace Askel.Runtime.Store;

/// <summary>
/// Row keys inside a shard. Prefixes sort so that pending effects (<c>x|</c>) and timers (<c>y|</c>,
/// by due time) are adjacent at the end: one range query finds all work due in a shard.
/// </summary>
internal static class RowKeys
{
    public const string InstancePrefix = "a|";
    public const string HistoryPrefix = "b|";
    public const string EffectPrefix = "x|";
    public const string TimerPrefix = "y|";

    public static string Instance(string id) => InstancePrefix + id;

    public static string History(string id, long sequence) => $"{HistoryPrefix}{id}|{sequence.ToString("D12", CultureInfo.InvariantCulture)}";

    public static string HistoryStart(string id) => $"{HistoryPrefix}{id}|";

    public static string Effect(string id, string effectId) => $"{EffectPrefix}{id}|{effectId}";

    public static string EffectStart(string id) => $"{EffectPrefix}{id}|";

    public static string Timer(string id, DateTimeOffset due, string timerId) =>
        $"{TimerPrefix}{due.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}|{id}|{timerId}";

    /// <summary>The first key after every timer due at or before <paramref name="now"/>.</summary>
    public static string TimersDueBy(DateTimeOffset now) => $"{TimerPrefix}{now.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}|~";

    /// <summary>The end of a prefix's range ('|' + 1 = '}').</summary>
    public static string End(string prefix) => prefix[..^1] + "}";
}
