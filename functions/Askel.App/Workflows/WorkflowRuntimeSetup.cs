using Askel.App.CustomHandler;
using Askel.App.Hosting;
using Askel.App.Messaging;
using Askel.Runtime.Client;
using Askel.Runtime.Definitions;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Askel.Runtime.Store;
using Azure.Data.Tables;
using Askel.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Askel.App.Workflows;

/// <summary>Composition of the workflow runtime inside the app.</summary>
public static class WorkflowRuntimeSetup
{
    /// <summary>
    /// The engine over the configured storage, the definitions under <c>Askel__WorkflowsPath</c>
    /// (validated at start: a definition error never reaches the runtime), the effect dispatcher and
    /// the two workflow functions.
    /// </summary>
    public static WebApplicationBuilder AddWorkflowRuntime(this WebApplicationBuilder builder)
    {
        // The work queue's name is an app setting because workflow-work's function.json names it as one.
        if (builder.Configuration is IConfigurationManager manager)
        {
            manager.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
            {
                InitialData = new Dictionary<string, string?> { [$"{EngineOptions.Section}:{nameof(EngineOptions.WorkQueue)}"] = new EngineOptions().WorkQueue },
            });
        }

        var services = builder.Services;
        services.AddOptions<EngineOptions>().BindConfiguration(EngineOptions.Section);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<EngineOptions>>().Value);
        services.TryAddSingleton(sp => sp.GetRequiredService<StorageAccount>().CreateTableServiceClient());
        services.TryAddSingleton(sp => LoadCatalog(Path.Combine(AppContext.BaseDirectory, sp.GetRequiredService<IOptions<AskelOptions>>().Value.WorkflowsPath)));
        services.TryAddSingleton(sp => new InstanceStore(
            sp.GetRequiredService<TableServiceClient>().GetTableClient(sp.GetRequiredService<EngineOptions>().InstancesTable)));
        services.TryAddSingleton(sp =>
        {
            var catalog = sp.GetRequiredService<WorkflowCatalog>();
            return new DefinitionStore(
                sp.GetRequiredService<TableServiceClient>().GetTableClient(sp.GetRequiredService<EngineOptions>().DefinitionsTable),
                name => catalog.TryGet(name, out var definition) ? definition : null,
                LoadPinned);
        });
        services.TryAddSingleton<IWorkflowDefinitions>(sp => sp.GetRequiredService<DefinitionStore>());
        services.TryAddSingleton(sp => new FileOutbox(
            Path.GetFullPath(Path.Combine(sp.GetRequiredService<IOptions<AskelOptions>>().Value.DataPath, "outbox")), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<Participants.OpenTasks>();
        services.TryAddSingleton<IEffectHandler>(sp => new EffectDispatcher(
            sp.GetRequiredService<FileOutbox>(),
            sp.GetRequiredService<MessageSender>(),
            sp.GetRequiredService<Participants.OpenTasks>(),
            sp.GetRequiredService<Participants.ParticipantTables>(),
            sp.GetRequiredService<ParticipantMessages>(),
            sp.GetRequiredService<Summaries.ExitAsked>()));
        services.TryAddSingleton(sp => new WorkflowEngine(
            sp.GetRequiredService<InstanceStore>(), sp.GetRequiredService<IWorkflowDefinitions>(), sp.GetRequiredService<IEffectHandler>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<EngineOptions>(), sp.GetRequiredService<ILogger<WorkflowEngine>>()));
        services.TryAddSingleton<IWorkflowClient>(sp => new EngineWorkflowClient(sp.GetRequiredService<WorkflowEngine>));
        services.TryAddSingleton(sp =>
        {
            var queue = sp.GetRequiredService<EngineOptions>().WorkQueue;
            var account = sp.GetRequiredService<StorageAccount>();
            return new WorkQueue(account.CreateQueueClient(queue), account.CreateQueueClient(queue + "-poison"));
        });
        services.AddSingleton<IFunctionHandler, WorkflowTickFunction>();
        services.AddSingleton<IFunctionHandler, WorkflowWorkFunction>();
        services.AddHostedService<RuntimeStorageInitializer>();
        return builder;
    }

    private static WorkflowDefinition LoadPinned(string source, string file)
    {
        var loaded = WorkflowLoader.LoadPinned(source, file);
        return loaded.Definition ?? throw new InvalidOperationException($"The pinned definition {file} no longer loads: {loaded.Errors.FirstOrDefault()}");
    }

    private static WorkflowCatalog LoadCatalog(string folder)
    {
        var catalog = WorkflowCatalog.Load(folder);
        var errors = catalog.Validate().Where(e => e.Severity == DefinitionSeverity.Error).ToArray();
        return errors.Length == 0 ? catalog : throw new FunctionManifestException(
            $"{errors.Length} workflow definition error(s); run ./askel validate. First: {errors[0]}");
    }

    /// <summary>Creates the runtime's tables and queues once storage answers.</summary>
    private sealed class RuntimeStorageInitializer(
        InstanceStore instances, DefinitionStore definitions, WorkQueue queue, WorkflowCatalog catalog, TableServiceClient tables,
        EngineOptions options, TimeProvider time, ILogger<RuntimeStorageInitializer> logger) : StorageInitializer(time, logger)
    {
        protected override void CheckBeforeStart() => _ = catalog; // resolving it validates every definition before the app starts

        protected override async Task CreateAsync(CancellationToken cancellationToken)
        {
            await instances.CreateAsync(cancellationToken);
            await definitions.CreateAsync(cancellationToken);
            await tables.CreateTableIfNotExistsAsync(options.TasksTable, cancellationToken);
            await queue.CreateAsync(cancellationToken);
        }
    }
}
