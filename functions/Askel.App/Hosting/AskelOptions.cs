namespace Askel.App.Hosting;

/// <summary>Settings of the process itself (section <c>Askel</c>, e.g. <c>Askel__Port</c>).</summary>
public sealed class AskelOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Askel";

    /// <summary>The loopback port the local host listens on (under the Functions host, the host chooses).</summary>
    public int Port { get; set; } = 7071;

    /// <summary>Where local state lives: Azurite's data and the file outbox. Relative to the working folder.</summary>
    public string DataPath { get; set; } = ".askel";

    /// <summary>The folder of workflow definitions, forms and message templates; relative paths are beside the executable.</summary>
    public string WorkflowsPath { get; set; } = "workflows";

    /// <summary>The folder whose functions.metadata the local host serves; empty means beside the executable.</summary>
    public string FunctionAppRoot { get; set; } = "";

    /// <summary>The address participants' links start with (the app's public URL).</summary>
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:7071/");

    /// <summary>
    /// The secret form-link tokens are derived with (base64, at least 32 bytes; a Key Vault reference in Azure).
    /// Empty locally: one is generated and kept in the data folder.
    /// </summary>
    public string LinkSecret { get; set; } = "";

    /// <summary>Whether the development sign-in page is offered (never in Azure: App Service authentication signs users in there).</summary>
    public bool LocalSignIn { get; set; }
}
