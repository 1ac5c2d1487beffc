using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;

namespace Askel.Runtime.Durable;

/// <summary>
/// Every signal told to an instance, kept in a table until the instance has applied it. An orchestration's external
/// events are not enough on their own: one that arrives while an execution ends and continues as new, or before the
/// instance's start has run, can be dropped by the Durable Task SDK or the Azure Storage backend. So the client writes
/// the signal here first and only then raises it, and the orchestrator reads this inbox (as an activity) at the start
/// of every execution: a raised event is the fast path, the row is what makes it certain.
/// </summary>
/// <remarks>One partition per instance, one row per signal id (so telling the same signal twice writes one row).</remarks>
public sealed class SignalInbox(TableClient table)
{
    /// <summary>The table (created by the app's storage set-up).</summary>
    public TableClient Table => table;

    /// <summary>Creates the table if needed.</summary>
    public Task CreateAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    /// <summary>
    /// Keeps <paramref name="signal"/> for <paramref name="instanceId"/> until the instance has applied it. A signal told
    /// again with the same id keeps what was told first (a participant marked as left twice keeps the first date).
    /// </summary>
    public async Task WriteAsync(string instanceId, WorkflowSignal signal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var row = new TableEntity(instanceId, RowKey(signal.Id))
        {
            ["Id"] = signal.Id,
            ["Name"] = signal.Name,
            ["Payload"] = signal.Payload.ToJsonString(),
            ["At"] = signal.At,
        };
        try
        {
            await table.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Told before and not yet applied: the first telling stands.
        }
    }

    /// <summary>Forgets the signals the instance has applied, and returns the rest, oldest first.</summary>
    public async Task<IReadOnlyList<WorkflowSignal>> TakeAsync(string instanceId, IReadOnlyCollection<string> applied, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applied);
        foreach (var batch in applied.Distinct(StringComparer.Ordinal).Chunk(MaxBatch))
        {
            try
            {
                await table.SubmitTransactionAsync(
                    batch.Select(id => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(instanceId, RowKey(id)), ETag.All)),
                    cancellationToken);
            }
            catch (TableTransactionFailedException)
            {
                // A row was gone already (this activity ran before and is retried): one at a time, a gone row ignored.
                foreach (var id in batch)
                {
                    await table.DeleteEntityAsync(instanceId, RowKey(id), ETag.All, cancellationToken);
                }
            }
        }

        var waiting = new List<WorkflowSignal>();
        await foreach (var row in table.QueryAsync<TableEntity>(r => r.PartitionKey == instanceId, cancellationToken: cancellationToken))
        {
            waiting.Add(new WorkflowSignal(
                row.GetString("Name"), (JsonObject?)JsonNode.Parse(row.GetString("Payload")) ?? [], row.GetString("Id"), row.GetDateTimeOffset("At") ?? default));
        }

        return [.. waiting.OrderBy(s => s.At).ThenBy(s => s.Id, StringComparer.Ordinal)];
    }

    /// <summary>Forgets every signal of a purged instance.</summary>
    public async Task PurgeAsync(string instanceId, CancellationToken cancellationToken)
    {
        await foreach (var row in table.QueryAsync<TableEntity>(r => r.PartitionKey == instanceId, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
        }
    }

    // Table Storage's most operations in one transaction.
    private const int MaxBatch = 100;

    // A signal id may hold characters a row key may not ('/', '\', '#', '?', control characters).
    private static string RowKey(string signalId) => Uri.EscapeDataString(signalId);
}

/// <summary>What the inbox activity is asked: forget what the instance applied, return what waits.</summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="Applied">Ids of the signals its last execution applied.</param>
public sealed record InboxRequest(string InstanceId, IReadOnlyList<string> Applied);

/// <summary>Reads an instance's inbox for the orchestrator (<see cref="SignalInbox.TakeAsync"/>).</summary>
public sealed class InboxActivity(SignalInbox inbox) : Microsoft.DurableTask.TaskActivity<InboxRequest, IReadOnlyList<WorkflowSignal>>
{
    /// <summary>The activity's name.</summary>
    public const string Name = "workflow-inbox";

    /// <inheritdoc/>
    public override Task<IReadOnlyList<WorkflowSignal>> RunAsync(Microsoft.DurableTask.TaskActivityContext context, InboxRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return inbox.TakeAsync(input.InstanceId, input.Applied, CancellationToken.None);
    }
}
