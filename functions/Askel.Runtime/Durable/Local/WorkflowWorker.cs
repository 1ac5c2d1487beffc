using Askel.Runtime.Definitions;
using Askel.Runtime.Effects;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Askel.Runtime.Durable.Local;

/// <summary>A worker of the task hub that runs workflows: the generic orchestrator, its effect, facts and inbox activities.</summary>
public static class WorkflowWorker
{
    /// <summary>Starts a worker on <paramref name="service"/> (see <see cref="LocalTaskHub.StartAsync"/>).</summary>
    /// <param name="service">The backend.</param>
    /// <param name="definitions">The pinned definitions the orchestrator interprets.</param>
    /// <param name="options">How the orchestrator retries effects.</param>
    /// <param name="effects">What carries out messages and tasks.</param>
    /// <param name="inbox">The signals told to instances.</param>
    /// <param name="facts">What records the facts the steps establish.</param>
    /// <param name="hubOptions">Timer and polling settings.</param>
    /// <param name="loggerFactory">Logging.</param>
    public static Task<LocalTaskHub> StartAsync(
        IOrchestrationService service, IWorkflowDefinitions definitions, DurableWorkflowOptions options, IEffectHandler effects, SignalInbox inbox,
        IFactRecorder facts, LocalTaskHubOptions hubOptions, ILoggerFactory loggerFactory) =>
        LocalTaskHub.StartAsync(
            service,
            new Dictionary<string, Func<ITaskOrchestrator>> { [WorkflowOrchestrator.Name] = () => new WorkflowOrchestrator(definitions, options) },
            new Dictionary<string, Func<ITaskActivity>>
            {
                [EffectActivity.Name] = () => new EffectActivity(effects),
                [InboxActivity.Name] = () => new InboxActivity(inbox),
                [FactsActivity.Name] = () => new FactsActivity(facts),
            },
            hubOptions,
            loggerFactory);
}
