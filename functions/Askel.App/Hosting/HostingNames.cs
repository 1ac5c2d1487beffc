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

    /// <summary>True when the command line is the Functions host's start of its isolated worker.</summary>
    public static bool StartedByFunctionsHost(IReadOnlyList<string> args) =>
        args?.Contains("--functions-uri", StringComparer.Ordinal) == true;
}
