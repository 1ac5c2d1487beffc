using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Askel.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace Askel.Runtime.Durable.Local;

/// <summary>The task hub's settings for a local run on Azurite (section <c>Askel:Durable</c>).</summary>
public sealed class LocalTaskHubOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Askel:Durable";

    /// <summary>The task hub's name: its queues, tables and blob container start with it.</summary>
    public string TaskHub { get; set; } = "askel";

    /// <summary>
    /// How long a fetched message stays invisible: after a crash, how long the messages the dead worker held wait for
    /// another worker. Azure's default, 5 minutes. Shorter is not safer: a message still waiting in a busy worker's
    /// memory when it runs out is fetched again, the backend then fails the work item that deletes the first copy
    /// (PopReceiptMismatch) and its dispatcher backs off 10 s, so more messages run out — with 30 s, 100 instances told
    /// at once on a loaded 2-core machine stalled the whole hub for good.
    /// </summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest an idle worker waits between polls of its queues.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest single timer the SDK creates; a longer wait is a chain of them.</summary>
    public TimeSpan MaximumTimerInterval { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// How long a worker's lease on a partition of the hub lasts unless renewed: after a crash, the partitions the dead
    /// worker held wait this long for another worker. The backend's default.
    /// </summary>
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a worker renews the leases it holds. The backend's default.</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a worker looks for partitions to take (a dead worker's, or its share). The backend's default.</summary>
    public TimeSpan LeaseAcquireInterval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// One worker of a task hub on the Durable Task Framework's Azure Storage backend: the engine under Durable
/// Functions' default provider, here run without the Functions host. Orchestrators and activities are the
/// SDK's classes, turned into the framework's by the SDK's shims, a new shim for every execution (a shared one
/// mixes up concurrent executions).
/// </summary>
public sealed class LocalTaskHub : IAsyncDisposable
{
    private readonly TaskHubWorker _worker;

    private LocalTaskHub(IOrchestrationService service, TaskHubWorker worker, DurableTaskClient client)
    {
        Service = service;
        _worker = worker;
        Client = client;
    }

    /// <summary>The orchestration service the worker runs on.</summary>
    public IOrchestrationService Service { get; }

    /// <summary>A client of the hub.</summary>
    public DurableTaskClient Client { get; }

    /// <summary>The backend in <paramref name="account"/>.</summary>
    public static AzureStorageOrchestrationService AzureStorage(StorageAccount account, LocalTaskHubOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(account);
        return AzureStorage(account.DurableTaskClients(), options, loggerFactory);
    }

    /// <summary>The backend reached through <paramref name="clients"/> (e.g. clients whose requests a benchmark counts).</summary>
    public static AzureStorageOrchestrationService AzureStorage(StorageAccountClientProvider clients, LocalTaskHubOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        return new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = clients,
            TaskHubName = options.TaskHub,

            // Partitions are owned by worker name, and the default name is the machine's: two workers on one machine
            // (two processes, or a test's two workers) would each take themselves for every partition's owner.
            WorkerId = $"{Environment.MachineName}-{Guid.NewGuid():N}",
            ControlQueueVisibilityTimeout = options.VisibilityTimeout,
            WorkItemQueueVisibilityTimeout = options.VisibilityTimeout,
            MaxQueuePollingInterval = options.MaxPollingInterval,
            LeaseInterval = options.LeaseInterval,
            LeaseRenewInterval = options.LeaseRenewInterval,
            LeaseAcquireInterval = options.LeaseAcquireInterval,

            // The backend cancels a partition-table read and write after 2 s (a guard against the Azure client's silent
            // retries) and tries again at once. A busy Azurite on a small machine takes seconds to answer: each retry adds
            // to its load, and the worker's leases run out while its work waits. Azurite does not retry silently.
            PartitionTableOperationTimeout = TimeSpan.FromSeconds(15),
            LoggerFactory = loggerFactory,

            ThrowExceptionOnInvalidDedupeStatus = true, // else a start with a taken id is dropped without a word
        });
    }

    /// <summary>Creates the hub's storage if needed and starts a worker for the given orchestrators and activities.</summary>
    /// <param name="service">The backend; it also serves the client, so it must implement the client interfaces.</param>
    /// <param name="orchestrators">Each orchestrator's name and how to make one.</param>
    /// <param name="activities">Each activity's name and how to make one.</param>
    /// <param name="options">Timer and polling settings.</param>
    /// <param name="loggerFactory">Logging.</param>
    public static async Task<LocalTaskHub> StartAsync(
        IOrchestrationService service,
        IReadOnlyDictionary<string, Func<ITaskOrchestrator>> orchestrators,
        IReadOnlyDictionary<string, Func<ITaskActivity>> activities,
        LocalTaskHubOptions options,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(orchestrators);
        ArgumentNullException.ThrowIfNull(activities);
        ArgumentNullException.ThrowIfNull(options);
        var workerOptions = new DurableTaskWorkerOptions { MaximumTimerInterval = options.MaximumTimerInterval };
        var shims = new DurableTaskShimFactory(workerOptions, loggerFactory);
        await service.CreateIfNotExistsAsync();
        var worker = new TaskHubWorker(service, new ByName<TaskOrchestration>(), new ByName<TaskActivity>(), loggerFactory)
        {
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };
        foreach (var (name, create) in orchestrators)
        {
            worker.AddTaskOrchestrations(new Creator<TaskOrchestration>(name, () => shims.CreateOrchestration(name, create())));
        }

        foreach (var (name, create) in activities)
        {
            worker.AddTaskActivities(new Creator<TaskActivity>(name, () => shims.CreateActivity(name, create())));
        }

        await worker.StartAsync();
        return new LocalTaskHub(service, worker, ClientOf(service, TimeProvider.System));
    }

    /// <summary>A client of the hub <paramref name="service"/> serves; it needs no worker in this process.</summary>
    /// <param name="service">The backend; it must also implement the framework's client, query and purge interfaces.</param>
    /// <param name="time">The clock a client waits on.</param>
    public static DurableTaskClient ClientOf(IOrchestrationService service, TimeProvider time) =>
        new OrchestrationServiceClient(
            (IOrchestrationServiceClient)service, (DurableTask.Core.Query.IOrchestrationServiceQueryClient)service, (IOrchestrationServicePurgeClient)service,
            new DurableTaskWorkerOptions().DataConverter, time);

    /// <summary>
    /// Stops the worker at once: a work item in hand is given back to its queue and taken up again by a worker,
    /// as after a crash (waiting for in-flight work can outlast a host's shutdown time).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync(isForced: true);
        _worker.Dispose();
    }

    /// <summary>
    /// Orchestrators and activities found by name whatever the version asked for, as Durable Functions finds its
    /// functions: an instance's version is data its code reads (<c>context.Version</c>), not a second registration.
    /// </summary>
    private sealed class ByName<T> : INameVersionObjectManager<T>
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ObjectCreator<T>> _creators = new(StringComparer.Ordinal);

        public void Add(ObjectCreator<T> creator)
        {
            if (!_creators.TryAdd(creator.Name, creator))
            {
                throw new InvalidOperationException($"'{creator.Name}' is registered twice.");
            }
        }

        public T? GetObject(string name, string? version) => _creators.TryGetValue(name, out var creator) ? creator.Create() : default;
    }

    // The framework asks a creator for an object per execution.
    private sealed class Creator<T> : ObjectCreator<T>
    {
        private readonly Func<T> _create;

        public Creator(string name, Func<T> create)
        {
            Name = name;
            Version = "";
            _create = create;
        }

        public override T Create() => _create();
    }
}
