using System.Globalization;
using Azure.Storage.Queues;

namespace Askel.Testing;

/// <summary>The queues of a task hub on the Azure Storage backend: its control queues and its work-item queue.</summary>
public static class TaskHubQueues
{
    /// <summary>Whether any queue of <paramref name="taskHub"/> holds a message (Azurite counts messages in hand too).</summary>
    public static async Task<bool> AnyMessagesAsync(QueueServiceClient queues, string taskHub, int partitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var names = Enumerable.Range(0, partitions)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{taskHub}-control-{p:00}"))
            .Append($"{taskHub}-workitems");
        foreach (var name in names)
        {
            if ((await queues.GetQueueClient(name.ToLowerInvariant()).GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount > 0)
            {
                return true;
            }
        }

        return false;
    }
}
