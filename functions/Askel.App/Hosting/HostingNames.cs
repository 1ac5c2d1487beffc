namespace Askel.App;

/// <summary>Names of the settings the Functions platform itself defines.</summary>
public static class HostingNames
{
    /// <summary>The storage account connection (the host's and Askel's).</summary>
    public const string StorageSetting = "AzureWebJobsStorage";

    /// <summary>
    /// The Functions host's gRPC address, which it gives the isolated worker it starts (<c>--functions-uri</c>):
    /// set only when a Functions host runs this process.
    /// </summary>
    public const string WorkerHostEndpoint = "Functions:Worker:HostEndpoint";

    /// <summary>True when a Functions host started this process.</summary>
    public static bool UnderFunctionsHost(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration?[WorkerHostEndpoint]);

    /// <summary>The App Service platform's instance id: set on every instance in Azure, never by a local run.</summary>
    public const string PlatformInstance = "WEBSITE_INSTANCE_ID";

    /// <summary>True when this process runs on an Azure instance.</summary>
    public static bool InAzure(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration?[PlatformInstance]);

    /// <summary>True when the command line is the Functions host's start of its isolated worker.</summary>
    public static bool StartedByFunctionsHost(IReadOnlyList<string> args) =>
        args?.Contains("--functions-uri", StringComparer.Ordinal) == true;
}
