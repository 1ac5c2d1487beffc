namespace Askel.Runtime.Definitions;

/// <summary>How serious a <see cref="DefinitionError"/> is.</summary>
public enum DefinitionSeverity
{
    /// <summary>The workflow cannot be used until it is fixed.</summary>
    Error,

    /// <summary>The workflow works, but something is probably not what was meant (e.g. a missing translation).</summary>
    Warning,
}

/// <summary>
/// One problem in a workflow, form or message file: where it is, what is wrong, and how to fix it.
/// Written for the person editing the YAML, not for a developer.
/// </summary>
/// <param name="Location">The file, line and column the problem is at.</param>
/// <param name="Message">What is wrong, in plain words.</param>
/// <param name="Fix">What to write instead.</param>
/// <param name="Severity">An error (the workflow is rejected) or a warning.</param>
public sealed record DefinitionError(SourceLocation Location, string Message, string Fix, DefinitionSeverity Severity = DefinitionSeverity.Error)
{
    /// <summary>True for <see cref="DefinitionSeverity.Error"/>.</summary>
    public bool IsError => Severity == DefinitionSeverity.Error;

    /// <summary>The compiler-style line: <c>file:line:col: error: message (fix: …)</c>.</summary>
    public override string ToString() =>
        $"{Location}: {(IsError ? "error" : "warning")}: {Message} (fix: {Fix})";

    /// <summary>Orders problems by file, then line, then column.</summary>
    public static IReadOnlyList<DefinitionError> Sort(IEnumerable<DefinitionError> errors) =>
        [.. errors.Distinct()
            .OrderBy(e => e.Location.File, StringComparer.Ordinal)
            .ThenBy(e => e.Location.Line)
            .ThenBy(e => e.Location.Column)
            .ThenBy(e => e.Message, StringComparer.Ordinal)];
}

/// <summary>The result of loading one workflow: the definition when it has no errors, and every problem found.</summary>
/// <param name="Definition">The definition, or null when any <see cref="DefinitionSeverity.Error"/> was found.</param>
/// <param name="Errors">Errors and warnings, sorted by position.</param>
public sealed record WorkflowLoadResult(WorkflowDefinition? Definition, IReadOnlyList<DefinitionError> Errors)
{
    /// <summary>True when the definition loaded (warnings allowed).</summary>
    public bool Succeeded => Definition is not null;
}

/// <summary>
/// Where each part of a loaded workflow was written, by path: <c>title</c>, <c>steps.exit</c> (the step's
/// key), <c>steps.exit.next</c>, <c>steps.exit.attempts[1]</c>, <c>steps.route.choose[0].when</c>, … so
/// semantic checks can point at the exact value.
/// </summary>
public sealed class DefinitionLocations
{
    private readonly Dictionary<string, SourceLocation> _locations = new(StringComparer.Ordinal);

    /// <summary>Creates an empty map for <paramref name="file"/>.</summary>
    public DefinitionLocations(string file) => File = file;

    /// <summary>The file the workflow was read from (as shown in messages).</summary>
    public string File { get; }

    /// <summary>The start of the file (line 1, column 1).</summary>
    public SourceLocation FileStart => new(File, 1, 1);

    /// <summary>Records where <paramref name="path"/> was written.</summary>
    public void Set(string path, SourceLocation location) => _locations[path] = location;

    /// <summary>Where <paramref name="path"/> was written, else where the nearest written parent path was, else the file start.</summary>
    public SourceLocation Of(string path)
    {
        for (var current = path; current.Length > 0; current = Parent(current))
        {
            if (_locations.TryGetValue(current, out var location))
            {
                return location;
            }
        }

        return FileStart;
    }

    /// <summary>True when <paramref name="path"/> itself was written.</summary>
    public bool Has(string path) => _locations.ContainsKey(path);

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }
}
