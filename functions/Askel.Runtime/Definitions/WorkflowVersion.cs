namespace Askel.Runtime.Definitions;

/// <summary>One version of a workflow, as an instance runs it: its forms and messages are the ones pinned with it.</summary>
/// <param name="Workflow">The workflow's name.</param>
/// <param name="Version">The version (<see cref="WorkflowDefinition.Version"/>).</param>
public sealed record WorkflowVersion(string Workflow, string Version)
{
    /// <summary>The version named by both parts, or null when either is missing (a record made before versions were kept).</summary>
    public static WorkflowVersion? Of(string? workflow, string? version) => workflow is null || version is null ? null : new(workflow, version);
}

/// <summary>What the pinned definitions hold besides the workflows themselves.</summary>
public static class PinnedTexts
{
    /// <summary>
    /// A form's or message's text as <paramref name="version"/> pinned it (<see cref="WorkflowDefinition.FormKey"/>,
    /// <see cref="WorkflowDefinition.MessageKey"/>); null without a version, or for a version pinned before texts were
    /// (the current file's text is then the one to use).
    /// </summary>
    public static async Task<string?> PinnedTextAsync(this IWorkflowDefinitions definitions, WorkflowVersion? version, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        return version is null ? null : (await definitions.PinnedAsync(version.Workflow, version.Version, cancellationToken)).Resources.GetValueOrDefault(key);
    }
}
