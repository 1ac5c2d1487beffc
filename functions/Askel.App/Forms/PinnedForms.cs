using System.Collections.Concurrent;
using Askel.Runtime.Definitions;
using Askel.Runtime.Forms;

namespace Askel.App.Forms;

/// <summary>
/// A form as the participant's workflow version pinned it, so a form edited after their instance started does not change
/// under them mid-way; the current file's for a link made before forms were pinned. Each pinned text is parsed once.
/// </summary>
public sealed class PinnedForms(FormCatalog current, IWorkflowDefinitions definitions)
{
    private readonly ConcurrentDictionary<string, FormDefinition> _parsed = new(StringComparer.Ordinal);

    /// <summary>Form <paramref name="name"/> of <paramref name="version"/> (null: the current file's), or null when there is none.</summary>
    public async Task<FormDefinition?> FindAsync(string name, WorkflowVersion? version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (await definitions.PinnedTextAsync(version, WorkflowDefinition.FormKey(name), cancellationToken) is not { } text)
        {
            return current.Find(name);
        }

        return _parsed.GetOrAdd(text, pinned => FormLoader.Load(pinned, WorkflowDefinition.FormKey(name), []).Form
            ?? throw new InvalidOperationException($"The form {name} pinned with {version!.Workflow} {version.Version} does not load."));
    }
}
