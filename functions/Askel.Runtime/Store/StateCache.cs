using Azure;

namespace Askel.Runtime.Store;

/// <summary>
/// The last state row this process wrote per instance, as committed JSON with the ETag storage gave
/// it, least recently used first out. It only saves the point read before a transition: a commit
/// built on an entry is still guarded by the entry's ETag, so a stale entry (another worker wrote
/// since) fails with 412, is evicted and the transition retried from storage. Bounded, so idle
/// instances live in storage, not in memory.
/// </summary>
internal sealed class StateCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(string instanceId, out string json, out ETag etag)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(instanceId, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                (json, etag) = (node.Value.Json, node.Value.ETag);
                return true;
            }
        }

        (json, etag) = (string.Empty, default);
        return false;
    }

    public void Set(string instanceId, string json, ETag etag)
    {
        if (capacity <= 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_entries.TryGetValue(instanceId, out var node))
            {
                _recency.Remove(node);
                node.Value = new Entry(instanceId, json, etag);
                _recency.AddFirst(node);
                return;
            }

            _entries[instanceId] = _recency.AddFirst(new Entry(instanceId, json, etag));
            if (_entries.Count > capacity)
            {
                _entries.Remove(_recency.Last!.Value.InstanceId);
                _recency.RemoveLast();
            }
        }
    }

    public void Remove(string instanceId)
    {
        lock (_lock)
        {
            if (_entries.Remove(instanceId, out var node))
            {
                _recency.Remove(node);
            }
        }
    }

    private sealed record Entry(string InstanceId, string Json, ETag ETag);
}
