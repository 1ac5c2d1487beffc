using Askel.App.Audit;
using Askel.App.Forms;
using Askel.App.Hosting;
using Askel.App.Messaging;
using Askel.App.Projects;
using Askel.Runtime.Definitions;
using Microsoft.Extensions.Options;

namespace Askel.App.Participants;

/// <summary>Composition of the participant domain: projects, participants, forms and their links, pages and messages.</summary>
public static class ParticipantSetup
{
    /// <summary>Registers the participant domain's services.</summary>
    public static IHostApplicationBuilder AddParticipants(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ParticipantTables>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ParticipantService>();
        services.AddSingleton<Summaries.SummaryStore>();
        services.AddSingleton<Summaries.SummaryService>();
        services.AddSingleton<Summaries.ParticipantFacts>();
        services.AddSingleton<ContactChannels>();
        services.AddSingleton<ContactAttempts>();
        services.AddSingleton<Guidance.GuidanceTally>();
        services.AddSingleton<Guidance.SatisfactionVotes>();
        services.AddSingleton<Cooperation.CooperationRegister>();
        services.AddSingleton<Cooperation.Participations>();
        services.AddSingleton<Consents>();
        services.AddSingleton<Plans>();
        services.AddSingleton<Coordinator.WorkQueue>();
        services.AddSingleton<Coordinator.DailyDigest>();
        services.AddSingleton<Import.ParticipantImport>();
        services.AddSingleton<FormResponses>();
        services.AddSingleton<FormFlow>();
        services.AddSingleton(sp =>
        {
            // In Azure a sign-in name decides no access: people are matched by their Entra object id only.
            var inAzure = HostingNames.InAzure(sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>());
            var catalog = ProjectCatalog.Load(WorkflowsFolder(sp), name => sp.GetRequiredService<WorkflowCatalog>().TryGet(name, out _), objectIdsOnly: inAzure);
            var problems = catalog.Errors.Concat(catalog.WorkflowProblems(sp.GetRequiredService<WorkflowCatalog>())).ToList();
            if (problems.Count > 0)
            {
                throw new SettingException($"A project file has a problem; run ./askel validate. First: {problems[0]}");
            }

            foreach (var project in inAzure ? catalog.All : [])
            {
                var withoutId = project.Coordinators.Concat(project.Managers).Count(entry => project.ObjectIdOf(entry) is null);
                if (withoutId > 0)
                {
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger("Askel").PeopleWithoutObjectId(project.Id, withoutId);
                }
            }

            return catalog;
        });
        services.AddSingleton<ProjectSettings>();
        services.AddHostedService<ProjectSettingsRefresh>();
        services.AddSingleton(sp => FormCatalog.Load(WorkflowsFolder(sp)));
        services.AddSingleton<PinnedForms>();
        services.AddSingleton(sp =>
        {
            var problems = new List<string>();
            var texts = PageTexts.Load(Path.Combine(WorkflowsFolder(sp), "pages", "texts.yaml"), problems);
            return problems.Count == 0 ? texts : throw new SettingException($"The page texts have {problems.Count} problem(s); run ./askel validate. First: {problems[0]}");
        });
        services.AddSingleton(sp => new MessageTemplates(Path.Combine(WorkflowsFolder(sp), "messages")));
        services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.Section);
        services.AddSingleton<IMessageProvider>(sp => sp.GetRequiredService<FileOutbox>());
        services.AddSingleton<MessageLog>();
        services.AddSingleton<InboundMessages>();
        services.AddSingleton<MessageSender>();
        services.AddSingleton(sp => new ParticipantMessages(
            sp.GetRequiredService<FormLinks>(), sp.GetRequiredService<ProjectCatalog>(), sp.GetRequiredService<MessageTemplates>(),
            sp.GetRequiredService<Askel.Runtime.Definitions.IWorkflowDefinitions>(), sp.GetRequiredService<IOptions<AskelOptions>>().Value.PublicBaseUrl));
        services.AddSingleton<DeliveryReports>();
        services.AddSingleton(Security.LinkSecret.Load);
        services.AddSingleton<FormLinks>();
        services.AddHostedService<ParticipantStorageInitializer>();
        return builder;
    }

    /// <summary>The folder of workflows, forms, messages, page texts and projects.</summary>
    public static string WorkflowsFolder(IServiceProvider services) =>
        Path.Combine(AppContext.BaseDirectory, services.GetRequiredService<IOptions<AskelOptions>>().Value.WorkflowsPath);

    /// <summary>Creates the participant tables once storage answers.</summary>
    private sealed class ParticipantStorageInitializer(
        ParticipantTables tables, Summaries.SummaryStore summaries, Guidance.GuidanceTally guidance, Cooperation.CooperationRegister cooperation, Cooperation.Participations participations, MessageLog messages, InboundMessages inbound, MessageSender sender, ProjectCatalog projects, ProjectSettings settings, FormCatalog forms, PageTexts texts, FormLinks links,
        TimeProvider time, ILogger<ParticipantStorageInitializer> logger)
        : StorageInitializer(time, logger)
    {
        // Resolving them checks the project files, forms, page texts and link secret before the app starts.
        protected override void CheckBeforeStart()
        {
            _ = (projects, forms, texts, links);
            sender.CheckSettings();
        }

        protected override async Task CreateAsync(CancellationToken cancellationToken)
        {
            await tables.CreateAsync(cancellationToken);
            await summaries.CreateAsync(cancellationToken);
            await guidance.CreateAsync(cancellationToken);
            await cooperation.CreateAsync(cancellationToken);
            await participations.CreateAsync(cancellationToken);
            await messages.Table.CreateIfNotExistsAsync(cancellationToken);
            await inbound.Table.CreateIfNotExistsAsync(cancellationToken);
            await settings.CreateAsync(cancellationToken);
            await settings.RefreshAsync(cancellationToken); // before the first request: the projects as admins saved them
        }
    }
}
