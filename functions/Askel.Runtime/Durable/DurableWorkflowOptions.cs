using Microsoft.DurableTask;

namespace Askel.Runtime.Durable;

/// <summary>How the orchestrator treats effects that do not succeed at once, and which version of its code runs.</summary>
public sealed record DurableWorkflowOptions
{
    /// <summary>
    /// The orchestrator code's version (<see cref="WorkflowOrchestrator.CurrentVersion"/>): an instance moves to it when it
    /// next continues as new. Only a test runs another, to stand for the next release of the code.
    /// </summary>
    public string Version { get; init; } = WorkflowOrchestrator.CurrentVersion;

    /// <summary>
    /// How many steps an execution takes before it continues as new with its state as input (sooner when the instance
    /// ends, or when what it applied fills its custom status). Fewer keep a replay shorter and move an instance to new
    /// code sooner; each new execution reads the signal inbox, two activities.
    /// </summary>
    public int StepsPerExecution { get; init; } = 8;

    /// <summary>How long to wait before an effect that failed passingly (a provider's 429 or 5xx) is first tried again; each later wait doubles.</summary>
    public TimeSpan RetryLaterDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A timer the backend fires before its due time (by up to a second) is waited out, so no step runs early
    /// (<see cref="PunctualTimers"/>). Off only where a test's clock passes time for the timers: there the
    /// orchestration's own clock is the machine's, not the test's.
    /// </summary>
    public bool WaitOutEarlyTimers { get; init; } = true;

    /// <summary>Retries of an activity that threw: five tries, 10 s apart and doubling.</summary>
    public TaskOptions ActivityRetry { get; init; } = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(10), backoffCoefficient: 2));
}
