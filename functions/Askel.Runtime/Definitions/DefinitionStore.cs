using System.Collections.Concurrent;
using Askel.Runtime.Storage;
using Azure.Data.Tables;

namespace Askel.Runtime.Definitions;

/// <summary>
/// Pins definitions in Table Storage (partition = workflow, row = version, the YAML source as text),
/// so an instance always continues with the exact definition it started with, whatever happens to
/// the files. Pinned definitions are immutable, so they are cached for the life of the process.
/// </summary>
public sealed class DefinitionStore(
    TableClient table, Func<string, WorkflowDefinition?> current, Func<string, string, WorkflowDefinition> loadPinned) : IWorkflowDefinitions
{
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

        // The file name must be the workflow's own: the loader checks that the two agree.
        return loadPinned(ChunkedText.Read(found.Value!, "Source"), $"{workflow}.yaml");
    }
}
