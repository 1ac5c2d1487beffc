using Microsoft.DurableTask;

namespace Askel.Runtime.Durable;

/// <summary>How the orchestrator treats effects that do not succeed at once, and which version of its code runs.</summary>
public sealed class DurableWorkflowOptions
{
    /// <summary>
    /// The orchestrator code's version (<see cref="WorkflowOrchestrator.CurrentVersion"/>): an instance moves to it at its
    /// next wait. Only a test runs another, to stand for the next release of the code.
    /// </summary>
    public string Version { get; init; } = WorkflowOrchestrator.CurrentVersion;

    /// <summary>How long to wait before an effect that failed passingly (a provider's 429 or 5xx) is first tried again; each later wait doubles.</summary>
    public TimeSpan RetryLaterDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Retries of an activity that threw: five tries, 10 s apart and doubling.</summary>
    public TaskOptions ActivityRetry { get; init; } = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(10), backoffCoefficient: 2));
}
