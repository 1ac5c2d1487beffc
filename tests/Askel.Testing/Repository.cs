namespace Askel.Testing;

/// <summary>Paths in the repository the tests run from.</summary>
public static class Repository
{
    /// <summary>The repository root (the folder holding Askel.slnx).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path below the root.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Askel.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The tests must run inside the repository (no Askel.slnx above " + AppContext.BaseDirectory + ").");
    }
}
