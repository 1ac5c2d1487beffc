using Askel.Runtime.Client;
using Askel.Runtime.Definitions;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Askel.Runtime.Durable;

/// <summary>
/// The one orchestrator every workflow runs on. It interprets the instance's pinned definition with the pure
/// step function (<see cref="Interpreter"/>): each execution first applies what waits in the instance's
/// <see cref="SignalInbox"/>, then waits for the next timer or signal and applies it, again and again; it carries out
/// the effects as activities and records what the steps established about the participant (<see cref="WorkflowFact"/>)
/// through one more activity. Before each wait its custom status says why it waits and what it has applied since its
/// input (<see cref="WorkflowProgress"/>), which is all a status read needs besides the input. After
/// <see cref="DurableWorkflowOptions.StepsPerExecution"/> steps it continues as new with the changed state, so its
/// history holds a few steps at a time. When the instance ends, its last run is the output.
/// </summary>
/// <remarks>
/// Deterministic on replay: the step function's clock is the trigger's own time (a timer's due time, a signal's
/// sending time, a start's request time), all recorded in the orchestration's history; pinned definitions are
/// immutable, so loading one (cached after the first read) gives the same definition on every replay.
/// </remarks>
public sealed partial class WorkflowOrchestrator(IWorkflowDefinitions definitions, DurableWorkflowOptions options) : TaskOrchestrator<WorkflowRun, WorkflowRun?>
{
    /// <summary>The orchestration's name.</summary>
    public const string Name = "workflow";

    /// <summary>
    /// The version of this code, Durable's orchestration version: instances start on it (host.json's
    /// <c>defaultVersion</c> in Azure says the same) and move to it when they continue as new, since each execution
    /// hands its whole state to the next in its input. A change to the order of durable calls within an execution
    /// raises it and keeps the old order for <c>context.Version</c> below it, until every instance has continued as new.
    /// </summary>
    public const string CurrentVersion = "1";

    /// <summary>The one external event name every signal travels under.</summary>
    public const string SignalEvent = "signal";

    /// <inheritdoc/>
    public override async Task<WorkflowRun?> RunAsync(TaskOrchestrationContext context, WorkflowRun input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var state = input.State;
        // Why blocking: awaiting a non-durable task inside an orchestration breaks its replay; a pinned definition is immutable and cached.
        var definition = definitions.PinnedAsync(state.Workflow, state.Version, CancellationToken.None).GetAwaiter().GetResult();
        var history = new List<HistoryEntry>(input.History);
        var told = new List<string>();
        var facts = new List<WorkflowFact>(input.Unrecorded ?? []);
        var applied = new List<AppliedTrigger>(); // what this execution applied since its input, for status reads
        var steps = 0;

        // After each round of steps, before the next wait: clear the inbox of an instance that ended (no next execution
        // will), and record the facts. In this order, so that an execution begun on the code that continued as new at
        // every wait replays its durable calls in their order.
        async Task AfterStepsAsync()
        {
            if (state.IsFinished && told.Count > 0)
            {
                await TakeInboxAsync(context, told);
            }

            facts = await RecordFactsAsync(context, facts);
        }

        if (input.Start is { } start)
        {
            await StepAsync(context, state, definition, history, facts, applied, new StartTrigger(start.Input), start.At);
            steps++;
            await AfterStepsAsync();
        }

        if (!state.IsFinished && !WorkflowProgress.IsFull(applied))
        {
            // Why it waits, from the first episode of this execution on (a new execution starts with none).
            context.SetCustomStatus(ProgressOf(state, definition, input, applied));
            // What was told while no execution was listening (or was dropped on the way) waits in the inbox. Read twice
            // when empty: the first read's result can reach the backend before this new execution's history is stored,
            // and an event arriving with it is then dropped (durabletask#1399); by the second read its row is there.
            var waiting = await TakeInboxAsync(context, input.Applied ?? []);
            if (waiting.Count == 0)
            {
                waiting = await TakeInboxAsync(context, []);
            }

            foreach (var signal in waiting.TakeWhile(_ => !state.IsFinished))
            {
                await StepAsync(context, state, definition, history, facts, applied, TriggerOf(signal), AtOf(signal, state));
                told.Add(signal.Id);
                steps++;
            }

            if (waiting.Count > 0)
            {
                await AfterStepsAsync();
            }
        }

        // Then it waits and steps until this execution's share of steps is taken, or until what it applied is too much to
        // carry in its custom status. An event raised while an execution runs is kept for it by the backend, so only a
        // new execution needs the inbox.
        while (!state.IsFinished && steps < options.StepsPerExecution && !WorkflowProgress.IsFull(applied))
        {
            context.SetCustomStatus(ProgressOf(state, definition, input, applied));
            if (await NextSignalOrTimerAsync(context, state) is { } signal)
            {
                await StepAsync(context, state, definition, history, facts, applied, TriggerOf(signal), AtOf(signal, state));
                told.Add(signal.Id);
            }
            else
            {
                var timer = state.NextTimer!;
                await StepAsync(context, state, definition, history, facts, applied, new TimerTrigger(timer.Id), timer.Due);
            }

            steps++;
            await AfterStepsAsync();
        }

        // Where it ends up is in its output or the next execution's input: nothing applied to carry.
        context.SetCustomStatus(ProgressOf(state, definition, input, []));
        var next = new WorkflowRun(
            state, history.Count > WorkflowRun.HistoryLimit ? history[^WorkflowRun.HistoryLimit..] : history, Applied: told,
            Unrecorded: facts.Count > 0 ? facts : null, Execution: input.Execution + 1);
        if (state.IsFinished)
        {
            return next; // its output is where it ended and what it did
        }

        // The next execution runs on this code's version: history and the version change together here.
        context.ContinueAsNew(new ContinueAsNewOptions { NewInput = next, PreserveUnprocessedEvents = true, NewVersion = options.Version });
        return null;
    }

    /// <summary>Removes the signals this instance has applied from its inbox and returns what still waits there.</summary>
    private Task<IReadOnlyList<WorkflowSignal>> TakeInboxAsync(TaskOrchestrationContext context, IReadOnlyList<string> applied) =>
        context.CallActivityAsync<IReadOnlyList<WorkflowSignal>>(InboxActivity.Name, new InboxRequest(context.InstanceId, applied), options.ActivityRetry);

    /// <summary>
    /// Records the facts the steps have established so far. When the recorder keeps failing (storage gone for
    /// minutes), returns them to be tried again after the next steps (or by the next execution), so none is lost; else none.
    /// </summary>
    private async Task<List<WorkflowFact>> RecordFactsAsync(TaskOrchestrationContext context, List<WorkflowFact> facts)
    {
        if (facts.Count == 0)
        {
            return facts;
        }

        try
        {
            await context.CallActivityAsync<bool>(FactsActivity.Name, facts, options.ActivityRetry);
            return [];
        }
        catch (TaskFailedException e)
        {
            Log.FactsNotRecorded(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), context.InstanceId, facts.Count, e.FailureDetails.ErrorType);
            return facts;
        }
    }

    /// <summary>Applies one trigger at <paramref name="now"/> and carries out its effects (and the fallbacks of failed messages).</summary>
    private async Task StepAsync(
        TaskOrchestrationContext context, InstanceState state, WorkflowDefinition definition, List<HistoryEntry> history, List<WorkflowFact> facts,
        List<AppliedTrigger> applied, Trigger trigger, DateTimeOffset now)
    {
        var transition = Interpreter.Apply(state, definition, trigger, now);
        history.AddRange(transition.History);
        facts.AddRange(transition.Facts);
        if (transition.Changed)
        {
            applied.Add(new AppliedTrigger(trigger, now)); // one that changed nothing (a repeat) need not be applied again
            Log.Applied(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), context.InstanceId, trigger.GetType().Name, state.Status.ToString(), state.Step ?? "");
        }

        var effects = new Queue<Effect>(transition.Effects);
        while (effects.TryDequeue(out var effect))
        {
            var (result, at) = await CarryOutAsync(context, effect, now);
            if (result.Outcome == EffectOutcome.Failed && effect.Kind == "message")
            {
                // The message did not go: the step sends it again through its next channel.
                var failed = new DeliveryFailed(effect.Id, effect.Payload["channel"]?.GetValue<string>() ?? "", result.Reason ?? "failed", result.Permanent, effect.Payload);
                var fallbackTrigger = new EventTrigger(failed.Name, failed.Payload(), failed.Id);
                var fallback = Interpreter.Apply(state, definition, fallbackTrigger, at);
                if (fallback.Changed)
                {
                    applied.Add(new AppliedTrigger(fallbackTrigger, at));
                }

                history.AddRange(fallback.History);
                facts.AddRange(fallback.Facts);
                foreach (var resend in fallback.Effects)
                {
                    effects.Enqueue(resend);
                }
            }
        }
    }

    /// <summary>Waits for the next signal or the earliest timer, whichever comes first; null when the timer fired.</summary>
    private async Task<WorkflowSignal?> NextSignalOrTimerAsync(TaskOrchestrationContext context, InstanceState state)
    {
        using var cancelSignal = new CancellationTokenSource();
        var signal = context.WaitForExternalEvent<WorkflowSignal>(SignalEvent, cancelSignal.Token);
        if (state.NextTimer is { } timer)
        {
            using var cancelTimer = new CancellationTokenSource();
            var fired = options.WaitOutEarlyTimers
                ? context.WhenDueAsync(timer.Due.UtcDateTime, cancelTimer.Token)
                : context.CreateTimer(timer.Due.UtcDateTime, cancelTimer.Token);
            if (await Task.WhenAny(signal, fired) == fired)
            {
                // The SDK hands an event to its newest waiter that still listens: a waiter left here would take a signal
                // arriving while the timer's step runs, and that signal would then wait for the next execution's inbox
                // read instead of being carried over to it.
                cancelSignal.Cancel();
                return null;
            }

            cancelTimer.Cancel();
        }

        return await signal;
    }

    private static EventTrigger TriggerOf(WorkflowSignal signal) => new(signal.Name, signal.Payload, signal.Id);

    // A signal sent before the instance's last change (clocks differ slightly) is applied at that change's time.
    private static DateTimeOffset AtOf(WorkflowSignal signal, InstanceState state) => signal.At > state.UpdatedAt ? signal.At : state.UpdatedAt;

    /// <summary>
    /// Runs one effect as an activity. A passing failure (a provider's 429 or 5xx) waits on a durable timer and tries
    /// again, each wait twice the last; the sender gives up by itself after its give-up time, which comes back as a
    /// failure. Returns the result and the step function's time when it came.
    /// </summary>
    private async Task<(EffectResult Result, DateTimeOffset At)> CarryOutAsync(TaskOrchestrationContext context, Effect effect, DateTimeOffset now)
    {
        var wait = options.RetryLaterDelay;
        while (true)
        {
            EffectResult result;
            try
            {
                result = await context.CallActivityAsync<EffectResult>(EffectActivity.Name, effect, options.ActivityRetry);
            }
            catch (TaskFailedException e)
            {
                // Kept failing with an exception (a defect, or storage gone for minutes): the step goes on without it.
                result = new EffectResult(EffectOutcome.Failed, $"the effect kept failing: {e.FailureDetails.ErrorType}", Permanent: false);
            }

            if (result.Outcome != EffectOutcome.RetryLater)
            {
                return (result, now);
            }

            now += wait;
            wait *= 2;
            await context.CreateTimer(now.UtcDateTime, CancellationToken.None);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2101, LogLevel.Information, "Instance {InstanceId}: {Trigger} applied; {Status} at step {Step}")]
        public static partial void Applied(ILogger logger, string instanceId, string trigger, string status, string step);

        [LoggerMessage(2102, LogLevel.Warning, "Instance {InstanceId}: {Count} facts could not be recorded ({ErrorType}); tried again after the next steps")]
        public static partial void FactsNotRecorded(ILogger logger, string instanceId, int count, string errorType);
    }

    private static WorkflowProgress ProgressOf(InstanceState state, WorkflowDefinition definition, WorkflowRun input, List<AppliedTrigger> applied) =>
        new(WaitingStatusOf(state, definition), input.Execution, [.. applied]);

    private static WaitingStatus WaitingStatusOf(InstanceState state, WorkflowDefinition definition)
    {
        var attempts = state.Step is { } step && definition.Steps.TryGetValue(step, out var current)
            ? (current as ChasedStep)?.Attempts.Count ?? 0
            : 0;
        return new WaitingStatus(state.Status, state.Step, state.IsFinished ? null : state.Awaiting, state.IsFinished ? null : state.NextTimer, state.Attempt, attempts);
    }
}
