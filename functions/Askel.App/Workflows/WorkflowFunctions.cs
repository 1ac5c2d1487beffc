using System.Text.Json.Nodes;
using Askel.App.CustomHandler;
using Askel.Runtime.Engine;
using Askel.Runtime.Store;
using Azure.Storage.Queues;

namespace Askel.App.Workflows;

/// <summary>
/// <c>workflow-tick</c> (timer): finds the shards with due work — one single-row query each — and
/// queues one work message per such shard, so any number of workers share the firing.
/// </summary>
internal sealed class WorkflowTickFunction(WorkflowEngine engine, WorkQueue queue) : IFunctionHandler
{
    public string Name => "workflow-tick";

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var due = new List<string>();
        foreach (var shard in Shards.All)
        {
            if (await engine.HasDueWorkAsync(shard, cancellationToken))
            {
                await queue.SendAsync(new ShardWork(shard), cancellationToken);
                due.Add(shard);
            }
        }

        return InvocationResponse.Done(due.Count == 0 ? "nothing due" : $"work queued for {string.Join(", ", due)}");
    }
}

/// <summary>
/// <c>workflow-work</c> (queue): processes one work message. A message it cannot read goes to the
/// poison queue at once with its reason (retrying cannot fix it) and never blocks the queue.
/// </summary>
internal sealed class WorkflowWorkFunction(WorkflowEngine engine, WorkQueue queue, ILogger<WorkflowWorkFunction> logger) : IFunctionHandler
{
    public string Name => "workflow-work";

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var text = request.DataText("message");
        switch (WorkMessage.TryParse(text, out var reason))
        {
            case ShardWork shard:
                var handled = await engine.ProcessShardAsync(shard.Shard, cancellationToken);
                return InvocationResponse.Done($"{shard.Shard}: {handled} item(s)");
            case EventWork work:
                var outcome = await engine.RaiseEventAsync(work.InstanceId, work.Name, work.Payload, work.EventId, cancellationToken);
                if (outcome.Status is ApplyStatus.NotFound or ApplyStatus.Rejected)
                {
                    Logs.EventNotApplied(logger, work.Name, work.InstanceId, outcome.Status.ToString(), outcome.Reason ?? "");
                }

                return InvocationResponse.Done($"{work.Name} for {work.InstanceId}: {outcome.Status}");
            default:
                await queue.PoisonAsync(text ?? "", reason!, cancellationToken);
                Logs.WorkMessagePoisoned(logger, reason!);
                return InvocationResponse.Done($"unreadable message moved to poison: {reason}");
        }
    }
}

/// <summary>The runtime's work queue and its poison queue.</summary>
public sealed class WorkQueue(QueueClient queue, QueueClient poison)
{
    /// <summary>Creates both queues if needed.</summary>
    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    /// <summary>Queues a work message.</summary>
    public Task SendAsync(WorkMessage message, CancellationToken cancellationToken) =>
        SendCreatingAsync(queue, message.ToJson(), cancellationToken);

    /// <summary>Moves an unreadable message to the poison queue with the reason beside it.</summary>
    public Task PoisonAsync(string original, string reason, CancellationToken cancellationToken) =>
        SendCreatingAsync(poison, new JsonObject { ["reason"] = reason, ["message"] = original.Length > 32_000 ? original[..32_000] : original }.ToJsonString(), cancellationToken);

    // The queues are created at start-up in the background; a send that comes first creates its queue.
    private static async Task SendCreatingAsync(QueueClient target, string text, CancellationToken cancellationToken)
    {
        try
        {
            await target.SendMessageAsync(text, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            await target.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await target.SendMessageAsync(text, cancellationToken);
        }
    }
}
