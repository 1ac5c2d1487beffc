namespace Askel.App;

/// <summary>Names of the settings the Functions platform itself defines.</summary>
public static class HostingNames
{
    /// <summary>The storage account connection (the host's and Askel's).</summary>
    public const string StorageSetting = "AzureWebJobsStorage";

    /// <summary>Set by the Functions host to the port the custom handler must listen on.</summary>
    public const string CustomHandlerPort = "FUNCTIONS_CUSTOMHANDLER_PORT";
}
