using Askel.App.Hosting;
using Askel.Runtime.Durable.Local;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace Askel.App.LocalHost;

/// <summary>
/// Where no Functions host runs the Durable extension, this process is a worker of the task hub: the Durable Task
/// Framework's Azure Storage backend (the engine under Durable Functions' default provider) running the orchestrator and
/// activity functions of functions.metadata, a new shim and a new function object for each execution. It starts once
/// storage answers.
/// </summary>
internal sealed class LocalTaskHubWorker(
    LocalFunctions functions, IServiceProvider services, IOrchestrationService hub, IOptions<LocalTaskHubOptions> options, ILoggerFactory loggerFactory, TimeProvider time)
    : StorageInitializer(time, loggerFactory.CreateLogger<LocalTaskHubWorker>())
{
    private LocalTaskHub? _worker;

    protected override async Task CreateAsync(CancellationToken cancellationToken)
    {
        _worker ??= await LocalTaskHub.StartAsync(
            hub,
            functions.Orchestrators.ToDictionary(f => f.Name, f => (Func<ITaskOrchestrator>)(() => new FunctionOrchestrator(f, services))),
            functions.Activities.ToDictionary(f => f.Name, f => (Func<ITaskActivity>)(() => new FunctionActivity(f, services))),
            options.Value,
            loggerFactory);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (Interlocked.Exchange(ref _worker, null) is { } worker)
        {
            await worker.DisposeAsync();
        }
    }
}
