using System.Collections.Concurrent;
using Azure.Storage.Queues;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;

namespace Askel.Testing;

/// <summary>
/// A Durable Task Framework orchestration service that passes time by a test's clock: a durable timer due by the
/// clock fires at once, a later one waits in memory until the clock is advanced past it. Everything else is the
/// real service underneath (the Azure Storage backend on Azurite). With it a test walks an instance through months
/// in seconds: advance the clock, then <see cref="SettleAsync"/>.
/// </summary>
/// <remarks>
/// Timers are held only in this process's memory: a test that stops the worker mid-run loses the held ones. Set the
/// worker's maximum timer interval above any wait the test uses, so a long wait is one timer the clock can release.
/// Several workers on one hub (as several processes would be) share one <see cref="WorkerShare"/>.
/// </remarks>
public sealed class TimeControlledTaskHub(
    IOrchestrationService inner, TimeProvider clock, QueueServiceClient queues, string taskHub, WorkerShare? share = null, int partitions = 4,
    XunitLoggerProvider? backendLog = null)
    : IOrchestrationService, IOrchestrationServiceClient, IOrchestrationServiceQueryClient, IOrchestrationServicePurgeClient
{
    private readonly WorkerShare _share = share ?? new WorkerShare();
    private ConcurrentDictionary<TaskMessage, DateTime> Held => _share.Messages;
    private IOrchestrationServiceClient Client => (IOrchestrationServiceClient)inner;

    /// <summary>
    /// How long a wait on the hub lasts without progress before it fails: longer than the backend ever hides a message.
    /// It hides a message it abandoned (an activity whose completion failed, a start message dequeued before its
    /// instance's row was written) for 2^n seconds, n its dequeue count, at most 600 s (<c>TaskHubQueue.AbandonMessageAsync</c>);
    /// a busy Azurite has made a clean CI run wait one whole 600 s hiding, so ten minutes was a race. Twelve outlast it.
    /// </summary>
    public static TimeSpan NoProgressLimit { get; } = TimeSpan.FromMinutes(12);

    /// <summary>When the earliest held timer comes due, or null when none is held.</summary>
    public DateTimeOffset? NextTimerDue => Held.IsEmpty ? null : new DateTimeOffset(Held.Values.Min(), TimeSpan.Zero);

    /// <summary>
    /// Fires the timers the clock has reached, then waits until the hub has nothing left to do: every queue of the
    /// task hub is empty (Azurite counts messages in hand too), so every instance has reached its next wait.
    /// </summary>
    /// <remarks>
    /// A loaded machine can take minutes to drain a hundred instances, so this waits as long as the queues keep
    /// getting shorter, and gives up only when their total has not reached a new low for <see cref="NoProgressLimit"/>,
    /// naming what is left.
    /// </remarks>
    public async Task SettleAsync(CancellationToken cancellationToken = default)
    {
        var noProgressFor = NoProgressLimit;
        var quietChecks = 0;
        var lowest = int.MaxValue;
        var lowestAt = TimeProvider.System.GetTimestamp();
        while (true)
        {
            await ReleaseDueAsync();
            // The queues are read one after another, so a message moving between them (an activity's answer sent to a
            // control queue read a moment before, its work item deleted from the work-item queue read a moment after)
            // is seen in neither. Every move is a completion: with none under way or ended meanwhile, no message moved.
            var before = _share.Completions;
            var counts = await TaskHubQueues.MessageCountsAsync(queues, taskHub, partitions, cancellationToken);
            var total = counts.Values.Sum();
            var unmoved = before.Begun == before.Ended && _share.Completions == before;

            // Twice quiet in a row: a work item that just completed has sent what it sends before deleting what it took.
            quietChecks = total == 0 && unmoved ? quietChecks + 1 : 0;
            if (quietChecks == 2)
            {
                return;
            }

            if (total < lowest)
            {
                (lowest, lowestAt) = (total, TimeProvider.System.GetTimestamp());
            }
            else if (TimeProvider.System.GetElapsedTime(lowestAt) > noProgressFor)
            {
                var left = string.Join(", ", counts.Where(c => c.Value > 0).Select(c => $"{c.Key}: {c.Value}"));
                throw new TimeoutException(
                    $"The task hub made no progress for {noProgressFor.TotalMinutes} minutes; messages left: {left}. The backend's latest warnings:{Environment.NewLine}{(backendLog is null ? "not kept" : string.Join(Environment.NewLine, backendLog.Lines.TakeLast(40)))}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), TimeProvider.System, cancellationToken);
        }
    }

    private Task ReleaseDueAsync()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = Held.Where(h => h.Value <= now).Select(h => h.Key).Where(m => Held.TryRemove(m, out _)).ToArray();
        return due.Length == 0 ? Task.CompletedTask : Client.SendTaskOrchestrationMessageBatchAsync([.. due.Select(FireNow)]);
    }

    // The queue delivers a timer when its fire time comes by the machine's clock: now.
    private static TaskMessage FireNow(TaskMessage timer)
    {
        ((TimerFiredEvent)timer.Event).FireAt = TimeProvider.System.GetUtcNow().UtcDateTime;
        return timer;
    }

    /// <inheritdoc/>
    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage, OrchestrationState orchestrationState)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var fireNow = new List<TaskMessage>();
        foreach (var timer in timerMessages)
        {
            var fireAt = ((TimerFiredEvent)timer.Event).FireAt;
            if (fireAt <= now)
            {
                fireNow.Add(FireNow(timer));
            }
            else
            {
                Held[timer] = fireAt;
            }
        }

        return _share.CompleteAsync(() => inner.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, fireNow, continuedAsNewMessage, orchestrationState));
    }

    // Everything below is the real service.

    /// <inheritdoc/>
    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    /// <inheritdoc/>
    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;

    /// <inheritdoc/>
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    /// <inheritdoc/>
    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    /// <inheritdoc/>
    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;

    /// <inheritdoc/>
    public Task StartAsync() => inner.StartAsync();

    /// <inheritdoc/>
    public Task StopAsync() => inner.StopAsync();

    /// <inheritdoc/>
    public Task StopAsync(bool isForced) => inner.StopAsync(isForced);

    /// <inheritdoc/>
    public Task CreateAsync() => inner.CreateAsync();

    /// <inheritdoc/>
    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    /// <inheritdoc/>
    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    /// <inheritdoc/>
    public Task DeleteAsync() => inner.DeleteAsync();

    /// <inheritdoc/>
    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    /// <inheritdoc/>
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    /// <inheritdoc/>
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    /// <inheritdoc/>
    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    /// <inheritdoc/>
    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    /// <inheritdoc/>
    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    /// <inheritdoc/>
    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    /// <inheritdoc/>
    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    /// <inheritdoc/>
    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    /// <inheritdoc/>
    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    /// <inheritdoc/>
    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        _share.CompleteAsync(() => inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage));

    /// <inheritdoc/>
    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);

    /// <inheritdoc/>
    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) => Client.CreateTaskOrchestrationAsync(creationMessage);

    /// <inheritdoc/>
    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses) => Client.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses);

    /// <inheritdoc/>
    public Task SendTaskOrchestrationMessageAsync(TaskMessage message) => Client.SendTaskOrchestrationMessageAsync(message);

    /// <inheritdoc/>
    public Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages) => Client.SendTaskOrchestrationMessageBatchAsync(messages);

    /// <inheritdoc/>
    public Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken) =>
        Client.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken);

    /// <inheritdoc/>
    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) => Client.ForceTerminateTaskOrchestrationAsync(instanceId, reason);

    /// <inheritdoc/>
    public Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions) => Client.GetOrchestrationStateAsync(instanceId, allExecutions);

    /// <inheritdoc/>
    public Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId) => Client.GetOrchestrationStateAsync(instanceId, executionId);

    /// <inheritdoc/>
    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) => Client.GetOrchestrationHistoryAsync(instanceId, executionId);

    /// <inheritdoc/>
    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType) =>
        Client.PurgeOrchestrationHistoryAsync(thresholdDateTimeUtc, timeRangeFilterType);

    /// <inheritdoc/>
    public Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken) =>
        ((IOrchestrationServiceQueryClient)inner).GetOrchestrationWithQueryAsync(query, cancellationToken);

    /// <inheritdoc/>
    public Task<PurgeResult> PurgeInstanceStateAsync(string instanceId) => ((IOrchestrationServicePurgeClient)inner).PurgeInstanceStateAsync(instanceId);

    /// <inheritdoc/>
    public Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter) => ((IOrchestrationServicePurgeClient)inner).PurgeInstanceStateAsync(purgeInstanceFilter);
}

/// <summary>
/// What the workers of one task hub share: the timers held until the test's clock reaches them, and how many work
/// items they have begun and ended completing (a completion is what moves a message from one queue to another).
/// </summary>
public sealed class WorkerShare
{
    private long _begun, _ended;

    internal ConcurrentDictionary<TaskMessage, DateTime> Messages { get; } = new();

    /// <summary>Completions begun and ended so far; equal when none is under way.</summary>
    internal (long Begun, long Ended) Completions
    {
        get
        {
            var ended = Interlocked.Read(ref _ended);
            return (Interlocked.Read(ref _begun), ended);
        }
    }

    internal async Task CompleteAsync(Func<Task> completion)
    {
        Interlocked.Increment(ref _begun);
        try
        {
            await completion();
        }
        finally
        {
            Interlocked.Increment(ref _ended);
        }
    }
}

/// <summary>How a test host gets a time-controlled task hub, and waits for it.</summary>
public static class TestTaskHub
{
    /// <summary>Settings for an app under test: its own task hub, quick polling, and long waits as one timer the clock releases.</summary>
    public static IReadOnlyDictionary<string, string> Settings(string taskHub) => new Dictionary<string, string>
    {
        ["Askel:Durable:TaskHub"] = taskHub,
        ["Askel:Durable:MaxPollingInterval"] = "00:00:00.100",
        ["Askel:Durable:MaximumTimerInterval"] = "36500.00:00:00",
    };

    /// <summary>Puts the app's task hub (the real backend on <paramref name="connectionString"/>'s account, with the app's hub settings) under <paramref name="clock"/>.</summary>
    public static void Register(Microsoft.Extensions.DependencyInjection.IServiceCollection services, string connectionString, TimeProvider clock)
    {
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IOrchestrationService>(services, sp =>
        {
            var options = ((Microsoft.Extensions.Options.IOptions<Askel.Runtime.Durable.Local.LocalTaskHubOptions>)sp.GetService(typeof(Microsoft.Extensions.Options.IOptions<Askel.Runtime.Durable.Local.LocalTaskHubOptions>))!).Value;
            var loggers = (Microsoft.Extensions.Logging.ILoggerFactory)sp.GetService(typeof(Microsoft.Extensions.Logging.ILoggerFactory))!;
            var backend = Askel.Runtime.Durable.Local.LocalTaskHub.AzureStorage(Askel.Runtime.Storage.StorageAccount.FromSetting(connectionString), options, loggers);
            return new TimeControlledTaskHub(backend, clock, new QueueServiceClient(connectionString), options.TaskHub);
        });

        // Timers fire by the test's clock, and the orchestration's own clock is the machine's: nothing to wait out.
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(
            services, new Askel.Runtime.Durable.DurableWorkflowOptions { WaitOutEarlyTimers = false });
    }

    /// <summary>Fires what the clock has reached and waits until every instance is at its next wait.</summary>
    public static Task SettleAsync(this IServiceProvider services) =>
        ((TimeControlledTaskHub)services.GetService(typeof(IOrchestrationService))!).SettleAsync();
}

/// <summary>Reading an instance in a test, once the hub has settled.</summary>
public static class SettledWorkflows
{
    /// <summary>The instance's status after every instance has reached its next wait.</summary>
    public static async Task<Askel.Runtime.Client.WorkflowStatus?> WorkflowStatusAsync(this IServiceProvider services, string instanceId)
    {
        await services.SettleAsync();
        var workflows = (Askel.Runtime.Client.IWorkflowClient)services.GetService(typeof(Askel.Runtime.Client.IWorkflowClient))!;
        return await workflows.StatusAsync(instanceId, CancellationToken.None);
    }
}
