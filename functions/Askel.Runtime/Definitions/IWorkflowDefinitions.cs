namespace Askel.Runtime.Definitions;

/// <summary>Where the engine gets definitions: the current one to start with, the pinned one to continue with.</summary>
public interface IWorkflowDefinitions
{
    /// <summary>The current definition of a workflow, or null when there is no such workflow.</summary>
    WorkflowDefinition? Current(string workflow);

    /// <summary>Stores a definition's source under its version so instances pinned to it can always reload it.</summary>
    Task PinAsync(WorkflowDefinition definition, CancellationToken cancellationToken);

    /// <summary>The exact definition an instance started with.</summary>
    Task<WorkflowDefinition> PinnedAsync(string workflow, string version, CancellationToken cancellationToken);
}
