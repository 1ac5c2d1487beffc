namespace Askel.App;

/// <summary>
/// Every log line the app writes, with stable event ids. Lines carry function names, queue names
/// and ids — never a participant's name, email address, phone number or answers.
/// </summary>
internal static partial class Logs
{
    [LoggerMessage(1001, LogLevel.Information, "Askel is running at {Address}")]
    public static partial void Listening(this ILogger logger, string address);

    [LoggerMessage(1002, LogLevel.Information, "Started Azurite on 127.0.0.1 ports {Blob}, {Queue}, {Table}; data in {DataPath}")]
    public static partial void AzuriteStarted(this ILogger logger, int blob, int queue, int table, string dataPath);

    [LoggerMessage(1003, LogLevel.Information, "Using the Azurite already running on 127.0.0.1 ports {Blob}, {Queue}, {Table}")]
    public static partial void AzuriteReused(this ILogger logger, int blob, int queue, int table);

    [LoggerMessage(1004, LogLevel.Critical, "{Problem}")]
    public static partial void StartupFailed(this ILogger logger, string problem);

    [LoggerMessage(1005, LogLevel.Warning, "Project {ProjectId} names {Count} coordinator(s) or manager(s) without an Entra object id: in Azure they get no access to it (give each as '{{ name: …, id: <object id> }}')")]
    public static partial void PeopleWithoutObjectId(this ILogger logger, string projectId, int count);

    [LoggerMessage(1006, LogLevel.Error, "The settings of project {ProjectId} saved in the app do not check out ({Problem}): its file's are used until an admin saves them again")]
    public static partial void SavedSettingsRefused(this ILogger logger, string projectId, string problem);

    [LoggerMessage(1007, LogLevel.Warning, "Could not read the projects' saved settings; the ones read last stay in use")]
    public static partial void SettingsNotRead(this ILogger logger, Exception exception);

    [LoggerMessage(1200, LogLevel.Information, "Local host: {Http} HTTP, {Timers} timer, {Orchestrators} orchestrator and {Activities} activity function(s) from functions.metadata")]
    public static partial void LocalFunctionsServed(this ILogger logger, int http, int timers, int orchestrators, int activities);

    [LoggerMessage(1202, LogLevel.Debug, "Timer {Function} fired for {Scheduled:o} (past due: {PastDue})")]
    public static partial void TimerFired(this ILogger logger, string function, DateTimeOffset scheduled, bool pastDue);

    [LoggerMessage(1203, LogLevel.Error, "Timer function {Function} failed; it runs again at its next occurrence")]
    public static partial void TimerFunctionFailed(this ILogger logger, Exception exception, string function);

    [LoggerMessage(1206, LogLevel.Information, "summary-monthly: {Line} (past due: {PastDue})")]
    public static partial void SummaryRun(this ILogger logger, string line, bool pastDue);

    [LoggerMessage(1302, LogLevel.Warning, "Storage did not answer while creating the runtime's tables and queues; trying again in {Seconds} s")]
    public static partial void StorageNotReady(ILogger logger, double seconds);

    [LoggerMessage(1400, LogLevel.Warning, "The summary of project {ProjectId} for {Month} has warnings: {Warnings}")]
    public static partial void SummaryWarnings(ILogger logger, string projectId, string month, string warnings);
}
