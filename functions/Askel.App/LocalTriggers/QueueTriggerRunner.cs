using Askel.App.CustomHandler;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Askel.App.LocalTriggers;

/// <summary>
/// Runs a queue function with the Functions host's semantics: fetch a batch, run it in parallel,
/// delete on success, hide a failure for <c>visibilityTimeout</c> and retry it, and after
/// <c>maxDequeueCount</c> attempts move it to <c>&lt;queue&gt;-poison</c>.
/// </summary>
public sealed class QueueTriggerRunner
{
    /// <summary>How long a fetched message stays invisible while its function runs.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);
    private readonly FunctionDefinition _function;
    private readonly QueueTrigger _trigger;
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly QueueSettings _settings;
    private readonly FunctionInvoker _invoker;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Prepares the runner for one function on one queue.</summary>
    public QueueTriggerRunner(
        FunctionDefinition function, Func<string, QueueClient> queues, QueueSettings settings, FunctionInvoker invoker, TimeProvider time, ILogger logger)
    {
        _function = function;
        _trigger = (QueueTrigger)function.Trigger;
        _queue = queues(_trigger.QueueName);
        _poison = queues(_trigger.QueueName + "-poison");
        _settings = settings;
        _invoker = invoker;
        _time = time;
        _logger = logger;
    }

    /// <summary>Polls until cancelled, backing off exponentially while the queue is empty.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var idle = MinimumPollingInterval;
        while (!cancellationToken.IsCancellationRequested)
        {
            int processed;
            try
            {
                processed = await ProcessBatchAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.TriggerLoopFailed(e, _function.Name);
                processed = 0;
            }

            if (processed > 0)
            {
                idle = MinimumPollingInterval;
                continue;
            }

            await Task.Delay(idle, _time, cancellationToken);
            idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _settings.MaxPollingInterval.Ticks));
        }
    }

    /// <summary>Fetches one batch and runs it; returns how many messages it took.</summary>
    public async Task<int> ProcessBatchAsync(CancellationToken cancellationToken)
    {
        QueueMessage[] messages = await _queue.ReceiveMessagesAsync(_settings.BatchSize, Lease, cancellationToken);
        await Task.WhenAll(messages.Select(message => ProcessAsync(message, cancellationToken)));
        return messages.Length;
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        // The host checks the count before running too: a message that already failed its last
        // attempt (say, the process died mid-run) goes to poison without another try.
        if (message.DequeueCount > _settings.MaxDequeueCount)
        {
            await MoveToPoisonAsync(message, cancellationToken);
            return;
        }

        var succeeded = await _invoker.InvokeAsync(_function.Name, Payload(message), cancellationToken);
        if (succeeded)
        {
            await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
        else if (message.DequeueCount >= _settings.MaxDequeueCount)
        {
            await MoveToPoisonAsync(message, cancellationToken);
        }
        else
        {
            await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: _settings.VisibilityTimeout, cancellationToken: cancellationToken);
        }
    }

    private async Task MoveToPoisonAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await _poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
        await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        _logger.MovedToPoison(message.MessageId, _queue.Name, message.DequeueCount, _poison.Name);
    }

    private object Payload(QueueMessage message) => new
    {
        Data = new Dictionary<string, object> { [_trigger.BindingName] = message.Body.ToString() },
        Metadata = new Dictionary<string, object?>
        {
            ["DequeueCount"] = message.DequeueCount,
            ["ExpirationTime"] = message.ExpiresOn,
            ["Id"] = message.MessageId,
            ["InsertionTime"] = message.InsertedOn,
            ["NextVisibleTime"] = message.NextVisibleOn,
            ["PopReceipt"] = message.PopReceipt,
            ["sys"] = new { MethodName = _function.Name, UtcNow = _time.GetUtcNow(), RandGuid = Guid.NewGuid() },
        },
    };
}
