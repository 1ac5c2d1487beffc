using Askel.App.Forms;
using Askel.App.Projects;
using Askel.Runtime.Definitions;

namespace Askel.App.Commands;

/// <summary>
/// <c>askel validate [folder]</c>: checks every workflow in a workflows folder (default <c>workflows</c>),
/// with the forms and messages it uses, and prints each problem as <c>file:line:col: error|warning: …</c>.
/// </summary>
public static class ValidateCommand
{
    /// <summary>Runs the check. Exit code 0 when there are no errors, 1 when there are, 2 for bad usage or a missing folder.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Count > 1 || args.Any(a => a.StartsWith('-')))
        {
            error.WriteLine("usage: askel validate [workflows-folder]   (default: workflows)");
            return 2;
        }

        var folder = args.Count == 1 ? args[0] : "workflows";
        if (!Directory.Exists(folder))
        {
            error.WriteLine($"askel validate: there is no folder '{folder}' (looked in {Path.GetFullPath(folder)})");
            return 2;
        }

        var catalog = WorkflowCatalog.Load(folder);
        var problems = catalog.Validate();
        foreach (var problem in problems)
        {
            output.WriteLine(problem.ToString());
        }

        // The project files and the page texts around the forms.
        var projects = ProjectCatalog.Load(folder, name => catalog.TryGet(name, out _));
        var others = projects.Errors.Concat(projects.WorkflowProblems(catalog)).ToList();
        _ = PageTexts.Load(Path.Combine(folder, "pages", "texts.yaml"), others);
        foreach (var problem in others)
        {
            var colon = problem.IndexOf(": ", StringComparison.Ordinal);
            output.WriteLine(colon < 0 ? problem : $"{problem[..colon]}: error: {problem[(colon + 2)..]}");
        }

        var errors = problems.Count(p => p.IsError) + others.Count;
        var warnings = problems.Count(p => !p.IsError);
        output.WriteLine($"{catalog.Files.Count} workflow(s) checked, {errors} error(s), {warnings} warning(s)");
        return errors > 0 ? 1 : 0;
    }
}
