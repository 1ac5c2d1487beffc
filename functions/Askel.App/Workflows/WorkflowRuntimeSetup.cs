using Askel.App.Hosting;
using Askel.App.Messaging;
using Askel.Runtime.Client;
using Askel.Runtime.Definitions;
using Askel.Runtime.Effects;
using Askel.Runtime.Durable;
using Askel.Runtime.Durable.Local;
using Askel.Runtime.Engine;
using Azure.Data.Tables;
using Askel.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using DurableTask.Core;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Askel.App.Workflows;

/// <summary>Composition of the workflow runtime inside the app.</summary>
public static class WorkflowRuntimeSetup
{
    /// <summary>
    /// Workflows on Durable Task: the definitions under <c>Askel__WorkflowsPath</c> (validated at start: a
    /// definition error never reaches an instance) pinned in storage, the effect dispatcher, the task hub in the
    /// app's storage account, and the typed workflow client the app talks through. The client reaches the task hub's
    /// storage directly (the Durable Task Framework's Azure Storage client), in Azure too: the same hub the Functions
    /// host's Durable extension works, so services get it by injection rather than through a per-call binding.
    /// </summary>
    public static IHostApplicationBuilder AddWorkflowRuntime(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EngineOptions>().BindConfiguration(EngineOptions.Section);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<EngineOptions>>().Value);
        services.AddOptions<LocalTaskHubOptions>().BindConfiguration(LocalTaskHubOptions.Section);
        services.TryAddSingleton(sp => sp.GetRequiredService<StorageAccount>().CreateTableServiceClient());
        services.TryAddSingleton(sp => LoadCatalog(Path.Combine(AppContext.BaseDirectory, sp.GetRequiredService<IOptions<AskelOptions>>().Value.WorkflowsPath)));
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
            new TaskEscalations(
                sp.GetRequiredService<Projects.ProjectCatalog>(),
                sp.GetRequiredService<Participants.ParticipantTables>(),
                sp.GetRequiredService<Summaries.ManagerRecipients>(),
                sp.GetRequiredService<MessageSender>(),
                sp.GetRequiredService<IOptions<AskelOptions>>().Value.PublicBaseUrl)));
        services.TryAddSingleton<IFactRecorder>(sp => sp.GetRequiredService<Summaries.ParticipantFacts>());

        // Durable Task: the task hub in the same storage account and a client of it (the local host adds a worker).
        services.TryAddSingleton(new DurableWorkflowOptions());
        services.TryAddSingleton<IOrchestrationService>(sp => LocalTaskHub.AzureStorage(
            sp.GetRequiredService<StorageAccount>(), sp.GetRequiredService<IOptions<LocalTaskHubOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton(sp => LocalTaskHub.ClientOf(sp.GetRequiredService<IOrchestrationService>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new SignalInbox(
            sp.GetRequiredService<TableServiceClient>().GetTableClient(sp.GetRequiredService<EngineOptions>().SignalsTable)));
        services.TryAddSingleton<IWorkflowClient>(sp => new DurableWorkflowClient(
            sp.GetRequiredService<DurableTaskClient>(), sp.GetRequiredService<IWorkflowDefinitions>(), sp.GetRequiredService<SignalInbox>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<InstanceAccess>();
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
        return errors.Length == 0 ? catalog : throw new SettingException(
            $"{errors.Length} workflow definition error(s); run ./askel validate. First: {errors[0]}");
    }

    /// <summary>Creates the runtime's tables once storage answers.</summary>
    private sealed class RuntimeStorageInitializer(
        DefinitionStore definitions, SignalInbox inbox, WorkflowCatalog catalog, TableServiceClient tables,
        EngineOptions options, TimeProvider time, ILogger<RuntimeStorageInitializer> logger) : StorageInitializer(time, logger)
    {
        protected override void CheckBeforeStart() => _ = catalog; // resolving it validates every definition before the app starts

        protected override async Task CreateAsync(CancellationToken cancellationToken)
        {
            await definitions.CreateAsync(cancellationToken);
            await inbox.CreateAsync(cancellationToken);
            await tables.CreateTableIfNotExistsAsync(options.TasksTable, cancellationToken);
        }
    }
}
