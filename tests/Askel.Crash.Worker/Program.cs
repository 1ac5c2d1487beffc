using Askel.Runtime.Definitions;
using Askel.Runtime.Durable;
using Askel.Runtime.Durable.Local;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Askel.Runtime.Storage;
using Microsoft.Extensions.Logging;

// A worker of one task hub, as the app runs it, for a test that kills it with SIGKILL and starts it again:
//   Askel.Crash.Worker <storage connection string> <task hub> <workflow.yaml> <effects file> <visibility timeout in seconds>
// Every effect it carries out is appended to the effects file (one id per line) before it counts as done.
if (args is not [var connectionString, var taskHub, var workflowFile, var effectsFile, var visibilitySeconds])
{
    Console.Error.WriteLine("usage: Askel.Crash.Worker <storage connection string> <task hub> <workflow.yaml> <effects file> <visibility timeout in seconds>");
    return 2;
}

var definition = Load(File.ReadAllText(workflowFile), Path.GetFileName(workflowFile));
var account = StorageAccount.FromSetting(connectionString);
var tables = account.CreateTableServiceClient();
var definitions = new DefinitionStore(tables.GetTableClient(taskHub + "definitions"), name => name == definition.Name ? definition : null, Load);
var inbox = new SignalInbox(tables.GetTableClient(taskHub + "signals"));
// A dead worker's messages and partitions are taken over within seconds, not Azure's minutes (CrashRun.Visibility says
// how short the messages' visibility timeout can be).
var options = new LocalTaskHubOptions
{
    TaskHub = taskHub,
    VisibilityTimeout = TimeSpan.FromSeconds(int.Parse(visibilitySeconds, System.Globalization.CultureInfo.InvariantCulture)),
    MaxPollingInterval = TimeSpan.FromMilliseconds(100),
    LeaseInterval = TimeSpan.FromSeconds(6),
    LeaseRenewInterval = TimeSpan.FromSeconds(2),
    LeaseAcquireInterval = TimeSpan.FromSeconds(2),
};
var effects = new EffectLog(effectsFile);
// The backend's warnings go to standard output, where the crash run reads them when an instance did not end.
using var loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(console => console.SingleLine = true));
await using var worker = await WorkflowWorker.StartAsync(
    LocalTaskHub.AzureStorage(account, options, loggers), definitions, new DurableWorkflowOptions(), effects, inbox, new NoFacts(), options, loggers);
Console.WriteLine("worker ready");
await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System); // until killed
return 0;

static WorkflowDefinition Load(string source, string file) =>
    WorkflowLoader.LoadPinned(source, file).Definition ?? throw new InvalidOperationException($"{file} does not load.");

/// <summary>Appends each effect's id to a file: the record of every send a provider would have received.</summary>
internal sealed class EffectLog(string path) : IEffectHandler
{
    private readonly Lock _gate = new();

    public Task<EffectResult> HandleAsync(Effect effect, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            File.AppendAllText(path, effect.Id + "\n");
        }

        return Task.FromResult(EffectResult.Done);
    }
}

/// <summary>The crash workflow asks no form and hears of no leaving, so it establishes no fact: one would be a defect.</summary>
internal sealed class NoFacts : IFactRecorder
{
    public Task RecordAsync(IReadOnlyList<WorkflowFact> facts, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"The crash workflow established {facts.Count} facts; it should establish none.");
}
