using Askel.App.Hosting;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.App.Workflows;
using Askel.Runtime.Storage;
using Microsoft.Extensions.Options;

namespace Askel.App.Commands;

/// <summary>
/// <c>askel summary rebuild &lt;project&gt; | --all</c>: rebuilds projects' monthly-summary counts from their
/// participants' rows, against the storage the app itself uses — the same settings as <c>./askel run</c>
/// (<c>AzureWebJobsStorage</c>, <c>Askel__Runtime__StoragePrefix</c>, <c>local.settings.json</c> in the working
/// folder). With no storage account set, it starts the local Azurite (data under <c>.askel/azurite</c>) or uses
/// the one a running <c>./askel run</c> has started.
/// </summary>
public static class SummaryCommand
{
    /// <summary>The usage text.</summary>
    public const string Usage = "usage: askel summary rebuild <project> | --all";

    /// <summary>Runs the command: 0 when done, 1 when storage or the project files fail, 2 for bad usage or an unknown project.</summary>
    /// <param name="args">The arguments after <c>summary</c>.</param>
    /// <param name="output">Where the counts read go.</param>
    /// <param name="error">Where problems go.</param>
    /// <param name="settings">Settings over the environment's and <c>local.settings.json</c>'s (tests).</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args is not ["rebuild", var target] || (target.StartsWith('-') && target != "--all"))
        {
            await error.WriteLineAsync($"askel summary: {(args.Count == 0 ? "say what to do" : $"'{string.Join(' ', args)}' is not a summary command")}\n{Usage}");
            return 2;
        }

        // The app's own composition, without serving: the same settings, storage, tables and project files.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddAskelDefaults();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddAskelStorage();
        builder.AddWorkflowRuntime();
        builder.AddParticipants();
        await using var app = builder.Build();

        AzuriteServer? azurite = null;
        try
        {
            var account = app.Services.GetRequiredService<StorageAccount>();
            if (account.IsLocalEmulator)
            {
                var dataPath = Path.GetFullPath(Path.Combine(app.Services.GetRequiredService<IOptions<AskelOptions>>().Value.DataPath, "azurite"));
                azurite = await AzuriteServer.StartAsync(AzuritePorts.Default, dataPath, [Directory.GetCurrentDirectory(), AppContext.BaseDirectory], CancellationToken.None);
            }

            return await RebuildAsync(app.Services, target == "--all" ? null : target, output, error, CancellationToken.None);
        }
        catch (Exception e) when (e is AzuriteStartException or SettingException or Azure.RequestFailedException or AggregateException or HttpRequestException)
        {
            await error.WriteLineAsync($"askel summary: {e.Message}");
            return 1;
        }
        finally
        {
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The command's work: rebuilds the project <paramref name="projectId"/> (or every project, when null) from the
    /// participants' rows and prints, per project, the participants and summary events read.
    /// </summary>
    public static async Task<int> RebuildAsync(IServiceProvider services, string? projectId, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var catalog = services.GetRequiredService<ProjectCatalog>();
        var settings = services.GetRequiredService<ProjectSettings>();
        await settings.CreateAsync(cancellationToken);
        await settings.RefreshAsync(cancellationToken); // projects created in the app are rebuilt too
        IReadOnlyList<Project> projects;
        if (projectId is null)
        {
            projects = [.. catalog.All];
        }
        else if (catalog.Find(projectId) is { } project)
        {
            projects = [project];
        }
        else
        {
            await error.WriteLineAsync($"askel summary: there is no project '{projectId}' (projects: {string.Join(", ", catalog.All.Select(p => p.Id).Order(StringComparer.Ordinal))}; or --all)\n{Usage}");
            return 2;
        }

        await services.GetRequiredService<ParticipantTables>().CreateAsync(cancellationToken);
        // Read by the rebuild, perhaps never written yet.
        await services.GetRequiredService<Guidance.GuidanceTally>().CreateAsync(cancellationToken);
        await services.GetRequiredService<Cooperation.CooperationRegister>().CreateAsync(cancellationToken);
        await services.GetRequiredService<Cooperation.Participations>().CreateAsync(cancellationToken);
        var summaries = services.GetRequiredService<SummaryService>();
        int participants = 0, events = 0;
        foreach (var project in projects)
        {
            var (read, applied) = await summaries.RebuildAsync(project, cancellationToken);
            participants += read;
            events += applied;
            await output.WriteLineAsync($"{project.Id}: rebuilt from {read} participant(s), {applied} event(s)");
        }

        await output.WriteLineAsync($"{projects.Count} project(s) rebuilt: {participants} participant(s) and {events} event(s) read");
        return 0;
    }
}
