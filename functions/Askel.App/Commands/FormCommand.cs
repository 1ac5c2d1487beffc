using Askel.App.Forms;
using Askel.Runtime.Definitions;
using Askel.Runtime.Forms;
using Askel.Runtime.Forms.XlsForms;

namespace Askel.App.Commands;

/// <summary>
/// <c>askel form import|export</c>: converts between a form file (<c>workflows/forms/&lt;name&gt;.yaml</c>) and an
/// XLSForm workbook (.xlsx) as ODK and KoboToolbox write them.
/// </summary>
public static class FormCommand
{
    /// <summary>The usage text.</summary>
    public const string Usage =
        "usage: askel form import <file.xlsx> [--out workflows/forms] [--force]\n" +
        "       askel form export <form-name-or-yaml-file> [--out <name>.xlsx] [--force]";

    /// <summary>Runs the command; returns 0 on success, 1 when the form is refused or a file would be overwritten, 2 for bad usage.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Count < 2 || args[0] is not ("import" or "export"))
        {
            return Fail(error, args.Count == 0 ? "give import or export" : args[0] is "import" or "export" ? $"give the file to {args[0]}" : $"'{args[0]}' is not import or export");
        }

        string? outPath = null;
        var force = false;
        for (var i = 2; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--force":
                    force = true;
                    break;
                case "--out" when i + 1 < args.Count:
                    outPath = args[++i];
                    break;
                case "--out":
                    return Fail(error, "--out needs a value");
                default:
                    return Fail(error, $"unknown option '{args[i]}'");
            }
        }

        return args[0] == "import" ? Import(args[1], outPath ?? Path.Combine("workflows", "forms"), force, output, error) : Export(args[1], outPath, force, output, error);
    }

    private static int Import(string file, string folder, bool force, TextWriter output, TextWriter error)
    {
        if (!File.Exists(file))
        {
            return Fail(error, $"there is no file '{file}'");
        }

        if (!Directory.Exists(folder))
        {
            return Fail(error, $"there is no folder '{folder}' to write the form to (give --out <folder>)");
        }

        // Read no more than the importer accepts: a huge file is refused by its length, not loaded.
        var length = new FileInfo(file).Length;
        var result = XlsFormImport.Import(length > XlsFormImport.MaxBytes ? new byte[XlsFormImport.MaxBytes + 1] : File.ReadAllBytes(file), Path.GetFileNameWithoutExtension(file));
        if (result.Problems.Count > 0)
        {
            error.WriteLine($"askel form import: {file} cannot be imported; fix these in the workbook:");
            foreach (var problem in result.Problems)
            {
                error.WriteLine(problem.ToString());
            }

            error.WriteLine($"{result.Problems.Count} problem(s)");
            return 1;
        }

        var form = result.Form!;
        var target = Path.Combine(folder, form.Name + ".yaml");
        if (File.Exists(target) && !force)
        {
            error.WriteLine($"askel form import: {target} already exists; give --force to replace it");
            return 1;
        }

        File.WriteAllText(target, result.Yaml);
        output.WriteLine($"wrote {target}: {form.Pages.Count} page(s), {form.Questions.Count()} question(s), in {string.Join(", ", result.Languages)}");
        output.WriteLine("run ./askel validate to check it has every language of the workflows that ask it");
        return 0;
    }

    private static int Export(string name, string? outPath, bool force, TextWriter output, TextWriter error)
    {
        var path = name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.Contains('/', StringComparison.Ordinal)
            ? name
            : Path.Combine("workflows", "forms", name + ".yaml");
        if (!File.Exists(path))
        {
            return Fail(error, $"there is no form file '{path}' (give a form's name from workflows/forms, or a .yaml file)");
        }

        // The labels of yes, no and "I prefer not to answer" are the pages' own, beside the forms folder.
        var texts = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "..", "pages", "texts.yaml");
        if (!File.Exists(texts))
        {
            return Fail(error, $"there are no page texts at {Path.GetFullPath(texts)} (export a form that sits in a workflows/forms folder)");
        }

        // Every language the form has is exported; the workflows' own languages are validate's business.
        var loaded = FormLoader.LoadFile(path, [], path);
        if (loaded.Form is not { } form)
        {
            error.WriteLine($"askel form export: {path} is not a valid form; fix these first:");
            foreach (var problem in loaded.Errors.Where(e => e.IsError))
            {
                error.WriteLine(problem.ToString());
            }

            return 1;
        }

        var target = outPath ?? form.Name + ".xlsx";
        if (File.Exists(target) && !force)
        {
            error.WriteLine($"askel form export: {target} already exists; give --force to replace it");
            return 1;
        }

        var pageTexts = PageTexts.Load(texts, []);
        LocalizedText Text(string key) => new(PageTexts.Languages.ToDictionary(l => l, l => pageTexts.Get(key, l)));
        File.WriteAllBytes(target, XlsFormExport.Export(form, new XlsFormChoiceTexts(Text("yes"), Text("no"), Text("prefer-not-to-answer"))));
        output.WriteLine($"wrote {target}: {form.Pages.Count} page(s), {form.Questions.Count()} question(s)");
        return 0;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"askel form: {message}\n{Usage}");
        return 2;
    }
}
