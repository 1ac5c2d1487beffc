namespace Askel.App.Hosting;

/// <summary>Settings of the process itself (section <c>Askel</c>, e.g. <c>Askel__Port</c>).</summary>
public sealed class AskelOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Askel";

    /// <summary>The loopback port to listen on when no Functions host gives one.</summary>
    public int Port { get; set; } = 7071;

    /// <summary>Where local state lives: Azurite's data and the file outbox. Relative to the working folder.</summary>
    public string DataPath { get; set; } = ".askel";

    /// <summary>The folder of workflow definitions, forms and message templates; relative paths are beside the executable.</summary>
    public string WorkflowsPath { get; set; } = "workflows";

    /// <summary>The function app root (host.json and the function folders); empty means beside the executable.</summary>
    public string FunctionAppRoot { get; set; } = "";
}
