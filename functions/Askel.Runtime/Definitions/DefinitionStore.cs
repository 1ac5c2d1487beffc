using System.Collections.Concurrent;
using System.Text.Json;
using Askel.Runtime.Storage;
using Azure.Data.Tables;

namespace Askel.Runtime.Definitions;

/// <summary>
/// Pins definitions in Table Storage (partition = workflow, row = version, the YAML source and the texts of its forms
/// and messages), so an instance always continues with the exact definition it started with, and sends the texts it
/// started with, whatever happens to the files. Pinned definitions are immutable, so they are cached for the life of the process.
/// </summary>
public sealed class DefinitionStore(
    TableClient table, Func<string, WorkflowDefinition?> current, Func<string, string, WorkflowDefinition> loadPinned) : IWorkflowDefinitions
{
    // Letters of every script as they are: escaped, Cyrillic or Arabic text would take six times the room in the row.
    private static readonly JsonSerializerOptions Stored = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ConcurrentDictionary<(string, string), Task<WorkflowDefinition>> _pinned = new();
    private readonly ConcurrentDictionary<(string, string), Task> _stored = new();

    /// <summary>Creates the table if needed.</summary>
    public Task CreateAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    /// <inheritdoc />
    public WorkflowDefinition? Current(string workflow) => current(workflow);

    /// <inheritdoc />
    public Task PinAsync(WorkflowDefinition definition, CancellationToken cancellationToken) =>
        _stored.GetOrAdd((definition.Name, definition.Version), _ => StoreAsync(definition, cancellationToken));

    /// <inheritdoc />
    public Task<WorkflowDefinition> PinnedAsync(string workflow, string version, CancellationToken cancellationToken) =>
        _pinned.GetOrAdd((workflow, version), _ => LoadAsync(workflow, version, cancellationToken));

    private async Task StoreAsync(WorkflowDefinition definition, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(definition.Name, definition.Version);
        ChunkedText.Write(entity, "Source", definition.Source);
        var resources = JsonSerializer.Serialize(definition.Resources, Stored);
        if (definition.Source.Length + resources.Length > ChunkedText.MaxChars)
        {
            throw new RowTooLargeException($"Workflow {definition.Name} with its forms and messages is {definition.Source.Length + resources.Length} characters; at most {ChunkedText.MaxChars} can be pinned.");
        }

        ChunkedText.Write(entity, "Resources", resources);
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        _pinned.TryAdd((definition.Name, definition.Version), Task.FromResult(definition));
    }

    private async Task<WorkflowDefinition> LoadAsync(string workflow, string version, CancellationToken cancellationToken)
    {
        var found = await table.GetEntityIfExistsAsync<TableEntity>(workflow, version, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            _pinned.TryRemove((workflow, version), out _);
            throw new InvalidOperationException($"Workflow {workflow} version {version} is not pinned in storage.");
        }

        // The file name must be the workflow's own: the loader checks that the two agree. The loader hashes the source
        // alone; the version stored is the one made over the forms' and messages' texts as well.
        var loaded = loadPinned(ChunkedText.Read(found.Value!, "Source"), $"{workflow}.yaml");
        var resources = ChunkedText.Read(found.Value!, "Resources") is { Length: > 0 } json
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(json)!
            : [];
        return loaded.Version == version && resources.Count == 0 ? loaded : loaded with { Version = version, Resources = resources };
    }
}
