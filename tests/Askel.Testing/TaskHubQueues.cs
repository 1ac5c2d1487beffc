using System.Globalization;
using Azure.Storage.Queues;

namespace Askel.Testing;

/// <summary>The queues of a task hub on the Azure Storage backend: its control queues and its work-item queue.</summary>
public static class TaskHubQueues
{
    /// <summary>Whether any queue of <paramref name="taskHub"/> holds a message (Azurite counts messages in hand too).</summary>
    public static async Task<bool> AnyMessagesAsync(QueueServiceClient queues, string taskHub, int partitions, CancellationToken cancellationToken) =>
        (await MessageCountsAsync(queues, taskHub, partitions, cancellationToken)).Values.Any(count => count > 0);

    /// <summary>How many messages each queue of <paramref name="taskHub"/> holds, by queue name (messages in hand included).</summary>
    public static async Task<IReadOnlyDictionary<string, int>> MessageCountsAsync(
        QueueServiceClient queues, string taskHub, int partitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var names = Enumerable.Range(0, partitions)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{taskHub}-control-{p:00}"))
            .Append($"{taskHub}-workitems")
            .Select(name => name.ToLowerInvariant());
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            counts[name] = (await queues.GetQueueClient(name).GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        }

        return counts;
    }
}
