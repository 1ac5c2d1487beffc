using Askel.Runtime.Definitions;
using Askel.Runtime.Engine;
using Azure;
using Azure.Data.Tables;

namespace Askel.App.Projects;

/// <summary>
/// Projects' settings as admins save them in the app: one row per project in <c>{prefix}projects</c> holding the
/// project's file text (<see cref="ProjectFile"/>), checked by the rules of project files. A saved project's settings
/// win over its file, which only seeds a new installation. Every instance reads the rows at start-up and every
/// <see cref="RefreshEvery"/>; the instance that saves applies them at once.
/// </summary>
public sealed class ProjectSettings(
    TableServiceClient service, EngineOptions options, ProjectCatalog catalog, WorkflowCatalog workflows, Audit.AuditLog audit, TimeProvider time, IConfiguration configuration,
    ILogger<ProjectSettings> logger)
{
    /// <summary>The one partition: every project's row.</summary>
    public const string Partition = "project";

    /// <summary>The version a form made from a project's file carries: it has not been saved in the app yet.</summary>
    public const string FromFile = "file";

    /// <summary>
    /// The longest settings text kept (a table property holds 32,768 characters): some 400 coordinators with object ids.
    /// </summary>
    public const int MaxTextLength = 30_000;

    private readonly HashSet<string> _logged = new(StringComparer.Ordinal);

    // The last saved settings of each project that checked out: kept in use when a later read of its row does not.
    private readonly Dictionary<string, Project> _lastGood = new(StringComparer.Ordinal);

    // One refresh at a time: a slow read must not apply older rows over a save's newer ones.
    private readonly SemaphoreSlim _refreshing = new(1, 1);

    /// <summary>How often an instance reads the saved settings (the most another instance lags behind a save).</summary>
    public static TimeSpan RefreshEvery { get; } = TimeSpan.FromSeconds(15);

    /// <summary>The table of saved settings.</summary>
    public TableClient Table { get; } = service.GetTableClient(options.StoragePrefix + "projects");

    /// <summary>Creates the table when missing.</summary>
    public async Task CreateAsync(CancellationToken cancellationToken) => await Table.CreateIfNotExistsAsync(cancellationToken);

    /// <summary>Saved settings that did not check out when last read (a deployment removed their workflow): the project and the first problem.</summary>
    public IReadOnlyList<(string ProjectId, string Problem)> Refused { get; private set; } = [];

    /// <summary>Whether the saved settings have been read once: until then the projects would be their files' (fail-closed pages wait for it).</summary>
    public bool IsLoaded { get; private set; }

    /// <summary>
    /// Reads every saved project and makes those that check out the catalog's. Saved settings that do not check out are
    /// logged once and never fall back to the file: the last good ones stay in use, and without any the project is left out
    /// (a coordinator removed in the app must not come back with the file).
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            var saved = new List<Project>();
            var withheld = new List<string>();
            var refused = new List<(string, string)>();
            await foreach (var row in Table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
            {
                var errors = new List<string>();
                if (Check(row.TryGetValue("Text", out var text) && text is string settings ? settings : "", row.RowKey, errors) is { } project)
                {
                    saved.Add(_lastGood[row.RowKey] = project);
                    continue;
                }

                var problem = errors.FirstOrDefault() ?? row.RowKey;
                refused.Add((row.RowKey, problem));
                if (_lastGood.TryGetValue(row.RowKey, out var good))
                {
                    saved.Add(good);
                }
                else
                {
                    withheld.Add(row.RowKey);
                }

                if (_logged.Add($"{row.RowKey}|{row.ETag}"))
                {
                    logger.SavedSettingsRefused(row.RowKey, problem);
                }
            }

            catalog.Apply(saved, withheld);
            Refused = refused;
            IsLoaded = true;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>A project's saved settings, or null when it runs on its file's (or does not exist).</summary>
    public async Task<SavedProject?> FindAsync(string projectId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, projectId, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity ? SavedOf(entity) : null;
    }

    /// <summary>Every project's saved settings, by project (one read of the partition).</summary>
    public async Task<IReadOnlyDictionary<string, SavedProject>> AllAsync(CancellationToken cancellationToken)
    {
        var saved = new Dictionary<string, SavedProject>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            saved[row.RowKey] = SavedOf(row);
        }

        return saved;
    }

    private static SavedProject SavedOf(TableEntity row) =>
        new(row.RowKey, row.GetString("Text") ?? "", row.ETag.ToString(), row.GetString("SavedBy") ?? "", row.GetDateTimeOffset("SavedAt") ?? default);

    /// <summary>
    /// The project as its settings form starts from: its saved settings as they are now (read afresh, so the form and the
    /// version it carries agree; read without the workflow checks, so settings that stopped checking out can be mended),
    /// or its file's when never saved; null for neither.
    /// </summary>
    public async Task<(Project? Project, SavedProject? Saved)> CurrentAsync(string projectId, CancellationToken cancellationToken)
    {
        if (await FindAsync(projectId, cancellationToken) is not { } saved)
        {
            return (catalog.Find(projectId), null);
        }

        var project = ProjectCatalog.Read(saved.Text, FileName(projectId), _ => true, HostingNames.InAzure(configuration), []);
        return (project?.Id == projectId ? project : catalog.Find(projectId), saved);
    }

    /// <summary>
    /// The project the settings text declares, checked as a project file is (and as <c>./askel validate</c> checks it):
    /// its keys, its workflow, the consent gate, and that it is the project <paramref name="projectId"/>.
    /// </summary>
    /// <returns>The project, or null with the problems added to <paramref name="errors"/>.</returns>
    public Project? Check(string text, string projectId, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(errors);
        var file = FileName(projectId);
        if (text.Length > MaxTextLength)
        {
            errors.Add($"{file}: the settings are {text.Length} characters, more than {MaxTextLength} (fix: name fewer people, or a manager group instead of managers)");
            return null;
        }

        var project = ProjectCatalog.Read(text, file, name => workflows.TryGet(name, out _), HostingNames.InAzure(configuration), errors);
        if (project is not null && project.Id != projectId)
        {
            errors.Add($"{file}: the project is '{project.Id}', not '{projectId}' (fix: a project's id does not change)");
            return null;
        }

        if (project is not null && workflows.TryGet(project.Workflow, out var workflow) && project.WorkflowProblems(workflow).ToList() is { Count: > 0 } problems)
        {
            errors.AddRange(problems);
            return null;
        }

        return project;
    }

    /// <summary>
    /// Saves checked settings (<see cref="Check"/>) as the project's and applies them on this instance at once; the save is
    /// audited with <paramref name="changes"/> (the keys that changed).
    /// </summary>
    /// <param name="project">The project the text declares.</param>
    /// <param name="text">The settings, as a project file.</param>
    /// <param name="version">
    /// What the form was made from: the saved row's version, <see cref="FromFile"/>, or null for a new project; a save over
    /// settings someone else saved in between is refused.
    /// </param>
    /// <param name="user">Who saves.</param>
    /// <param name="changes">What changed, for the audit record (keys, never values).</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    public async Task<SaveOutcome> SaveAsync(Project project, string text, string? version, string user, string changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (version is null && catalog.Find(project.Id) is not null)
        {
            return SaveOutcome.Exists;
        }

        var row = new TableEntity(Partition, project.Id) { ["Text"] = text, ["SavedBy"] = user, ["SavedAt"] = time.GetUtcNow() };
        try
        {
            if (version is null or FromFile)
            {
                await Table.AddEntityAsync(row, cancellationToken);
            }
            else
            {
                await Table.UpdateEntityAsync(row, new ETag(version), TableUpdateMode.Replace, cancellationToken);
            }
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return version is null ? SaveOutcome.Exists : SaveOutcome.ChangedMeanwhile;
        }

        // Written: the audit record and this instance's refresh must follow even if the request is gone.
        await audit.RecordAsync(user, version is null ? "create-project" : "save-project-settings", project.Id, null, changes, CancellationToken.None);
        await RefreshAsync(CancellationToken.None);
        return SaveOutcome.Saved;
    }

    /// <summary>What a save's problems and the export call the settings: the file they would be.</summary>
    public static string FileName(string projectId) => $"workflows/projects/{projectId}.yaml";
}

/// <summary>A project's settings as saved in the app.</summary>
/// <param name="Id">The project.</param>
/// <param name="Text">The settings, as a project file.</param>
/// <param name="Version">The row's version (a form made from it saves only over it).</param>
/// <param name="SavedBy">Who saved them last.</param>
/// <param name="SavedAt">When.</param>
public sealed record SavedProject(string Id, string Text, string Version, string SavedBy, DateTimeOffset SavedAt);

/// <summary>How a save of settings went.</summary>
public enum SaveOutcome
{
    /// <summary>Saved and in use.</summary>
    Saved,

    /// <summary>Someone saved the project in between: nothing was saved.</summary>
    ChangedMeanwhile,

    /// <summary>A new project's id is already a project's: nothing was saved.</summary>
    Exists,
}

/// <summary>Reads the saved settings every <see cref="ProjectSettings.RefreshEvery"/>, so a save on another instance takes effect here.</summary>
internal sealed class ProjectSettingsRefresh(ProjectSettings settings, TimeProvider time, ILogger<ProjectSettingsRefresh> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(ProjectSettings.RefreshEvery, time, stoppingToken);
            try
            {
                await settings.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.SettingsNotRead(e); // the settings read last stay in use; the next read tries again
            }
        }
    }
}
