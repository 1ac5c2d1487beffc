namespace Askel.Runtime.Definitions;

/// <summary>Where a workflow's forms and message templates are read from, for the file checks.</summary>
public interface IWorkflowResources
{
    /// <summary>The path of form <paramref name="name"/>, as shown in messages (e.g. <c>workflows/forms/exit-form.yaml</c>).</summary>
    string FormPath(string name);

    /// <summary>The path of message template <paramref name="name"/>, as shown in messages.</summary>
    string MessagePath(string name);

    /// <summary>The text of the file at <paramref name="path"/> (one of the paths above), or null when it does not exist.</summary>
    string? ReadText(string path);
}

/// <summary>Another's files, each read once however often it is asked for (within one load of a workflow).</summary>
internal sealed class ReadOnce(IWorkflowResources files) : IWorkflowResources
{
    private readonly Dictionary<string, string?> _texts = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string FormPath(string name) => files.FormPath(name);

    /// <inheritdoc />
    public string MessagePath(string name) => files.MessagePath(name);

    /// <inheritdoc />
    public string? ReadText(string path)
    {
        if (!_texts.TryGetValue(path, out var text))
        {
            text = files.ReadText(path);
            _texts[path] = text;
        }

        return text;
    }
}

/// <summary>Forms and messages in a workflows folder: <c>&lt;folder&gt;/forms/&lt;name&gt;.yaml</c>, <c>&lt;folder&gt;/messages/&lt;name&gt;.yaml</c>.</summary>
/// <param name="folder">The workflows folder, as it should appear in messages (relative paths stay relative).</param>
public sealed class WorkflowFolderResources(string folder) : IWorkflowResources
{
    /// <summary>The workflows folder.</summary>
    public string Folder { get; } = folder;

    /// <inheritdoc />
    public string FormPath(string name) => Path.Combine(Folder, "forms", name + ".yaml");

    /// <inheritdoc />
    public string MessagePath(string name) => Path.Combine(Folder, "messages", name + ".yaml");

    /// <inheritdoc />
    public string? ReadText(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
