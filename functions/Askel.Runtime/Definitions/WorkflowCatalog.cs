namespace Askel.Runtime.Definitions;

/// <summary>
/// Every workflow in a workflows folder: each <c>*.yaml</c> directly in it (not in <c>forms/</c>,
/// <c>messages/</c> or <c>schema/</c>), loaded and validated with its forms and messages from the same folder.
/// </summary>
public sealed class WorkflowCatalog
{
    private readonly Dictionary<string, WorkflowDefinition> _definitions;

    private WorkflowCatalog(string folder, IReadOnlyList<string> files, Dictionary<string, WorkflowDefinition> definitions, IReadOnlyList<DefinitionError> errors)
    {
        Folder = folder;
        Files = files;
        _definitions = definitions;
        Errors = errors;
    }

    /// <summary>The workflows folder, as given.</summary>
    public string Folder { get; }

    /// <summary>The workflow files found, as shown in messages.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The names of the workflows that loaded without errors.</summary>
    public IReadOnlyCollection<string> Names => _definitions.Keys;

    private IReadOnlyList<DefinitionError> Errors { get; }

    /// <summary>Loads every workflow in <paramref name="folder"/>; paths in messages start with <paramref name="folder"/> as given.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static WorkflowCatalog Load(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"There is no workflows folder '{folder}'.");
        }

        var resources = new WorkflowFolderResources(folder);
        var files = Directory.EnumerateFiles(folder, "*.yaml", SearchOption.TopDirectoryOnly)
            .Select(path => Path.Combine(folder, Path.GetFileName(path)))
            .Order(StringComparer.Ordinal)
            .ToList();
        var definitions = new Dictionary<string, WorkflowDefinition>(StringComparer.Ordinal);
        var errors = new List<DefinitionError>();
        foreach (var file in files)
        {
            var result = WorkflowLoader.LoadFile(file, resources);
            errors.AddRange(result.Errors);
            if (result.Definition is { } definition)
            {
                definitions[definition.Name] = definition;
            }
        }

        return new(folder, files, definitions, DefinitionError.Sort(errors));
    }

    /// <summary>Every error and warning of every file (workflows, and the forms and messages they use), sorted by file, line and column.</summary>
    public IReadOnlyList<DefinitionError> Validate() => Errors;

    /// <summary>The current definition of workflow <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">There is no such workflow, or it has errors (see <see cref="Validate"/>).</exception>
    public WorkflowDefinition Get(string name) =>
        TryGet(name, out var definition) ? definition
        : throw new KeyNotFoundException($"There is no valid workflow '{name}' in {Folder}; run './askel validate {Folder}' to see why.");

    /// <summary>The current definition of workflow <paramref name="name"/>, when it exists and has no errors.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out WorkflowDefinition? definition) =>
        _definitions.TryGetValue(name, out definition);
}
