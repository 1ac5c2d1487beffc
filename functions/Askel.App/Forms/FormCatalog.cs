using Askel.Runtime.Forms;

namespace Askel.App.Forms;

/// <summary>Every form under <c>workflows/forms</c>, loaded once at start-up (the workflows' check has validated them).</summary>
public sealed class FormCatalog
{
    private readonly Dictionary<string, FormDefinition> _forms;

    private FormCatalog(Dictionary<string, FormDefinition> forms) => _forms = forms;

    /// <summary>The form with this name, or null.</summary>
    public FormDefinition? Find(string name) => _forms.GetValueOrDefault(name);

    /// <summary>Loads the forms folder; a form that does not load stops the start with its first problem.</summary>
    public static FormCatalog Load(string workflowsFolder)
    {
        var forms = new Dictionary<string, FormDefinition>(StringComparer.Ordinal);
        var folder = Path.Combine(workflowsFolder, "forms");
        foreach (var path in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.yaml") : [])
        {
            var loaded = FormLoader.LoadFile(path, []);
            forms[Path.GetFileNameWithoutExtension(path)] = loaded.Form
                ?? throw new InvalidOperationException($"The form {path} does not load; run ./askel validate. First: {loaded.Errors.FirstOrDefault()}");
        }

        return new FormCatalog(forms);
    }
}
