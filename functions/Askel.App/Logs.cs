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

    [LoggerMessage(1100, LogLevel.Warning, "Invocation of {Function} rejected: {Reason}")]
    public static partial void InvocationRejected(this ILogger logger, string function, string reason);

    [LoggerMessage(1101, LogLevel.Error, "Invocation of {Function} failed")]
    public static partial void InvocationFailed(this ILogger logger, Exception exception, string function);

    [LoggerMessage(1200, LogLevel.Information, "Local triggers: {Timers} timer(s) and {Queues} queue(s) run in this process, calling {Address}")]
    public static partial void LocalTriggersStarted(this ILogger logger, int timers, int queues, string address);

    [LoggerMessage(1201, LogLevel.Information, "Local triggers are off: {Reason}")]
    public static partial void LocalTriggersOff(this ILogger logger, string reason);

    [LoggerMessage(1202, LogLevel.Debug, "Timer {Function} fired for {Scheduled:o} (past due: {PastDue})")]
    public static partial void TimerFired(this ILogger logger, string function, DateTimeOffset scheduled, bool pastDue);

    [LoggerMessage(1203, LogLevel.Warning, "Function {Function} failed with {Status}: {Detail}")]
    public static partial void FunctionFailed(this ILogger logger, string function, int status, string detail);

    [LoggerMessage(1204, LogLevel.Warning, "Queue message {MessageId} on {Queue} failed {DequeueCount} time(s) and moved to {PoisonQueue}")]
    public static partial void MovedToPoison(this ILogger logger, string messageId, string queue, long dequeueCount, string poisonQueue);

    [LoggerMessage(1205, LogLevel.Error, "Local trigger for {Function} stopped on an error; it restarts on the next poll")]
    public static partial void TriggerLoopFailed(this ILogger logger, Exception exception, string function);

    [LoggerMessage(1206, LogLevel.Information, "{Function}: {Line}")]
    public static partial void FunctionLog(this ILogger logger, string function, string line);

    [LoggerMessage(1302, LogLevel.Warning, "Storage did not answer while creating the runtime's tables and queues; trying again in {Seconds} s")]
    public static partial void StorageNotReady(ILogger logger, double seconds);

    [LoggerMessage(1400, LogLevel.Warning, "The summary of project {ProjectId} for {Month} has warnings: {Warnings}")]
    public static partial void SummaryWarnings(ILogger logger, string projectId, string month, string warnings);
}
