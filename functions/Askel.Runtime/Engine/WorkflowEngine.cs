using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Askel.Runtime.Client;
using Askel.Runtime.Definitions;
using Askel.Runtime.Effects;
using Askel.Runtime.Store;
using Microsoft.Extensions.Logging;

namespace Askel.Runtime.Engine;

/// <summary>What happened to a request to move an instance.</summary>
public enum ApplyStatus
{
    /// <summary>The instance changed and its effects were dispatched.</summary>
    Applied,

    /// <summary>Nothing to do: a redelivered event, a stale timer, or a finished instance.</summary>
    Unchanged,

    /// <summary>There is no such instance (or workflow, for a start).</summary>
    NotFound,

    /// <summary>An instance with that id exists already (start only).</summary>
    Conflict,

    /// <summary>The request was refused; <see cref="ApplyOutcome.Reason"/> says why.</summary>
    Rejected,
}

/// <summary>The result of start, raise-event, timer or terminate.</summary>
public sealed record ApplyOutcome(ApplyStatus Status, InstanceState? State = null, string? Reason = null);

/// <summary>
/// Runs workflow instances: applies a trigger to an instance with optimistic concurrency, commits
/// state, history, timers and effects in one transaction, then dispatches the effects. Idle
/// instances hold no memory: every call loads what it needs from storage.
/// </summary>
public sealed partial class WorkflowEngine(
    InstanceStore store, IWorkflowDefinitions definitions, IEffectHandler effects, TimeProvider time, EngineOptions options, ILogger<WorkflowEngine> logger)
{
    private const int MaxConflictRetries = 20;

    /// <summary>The instance store.</summary>
    public InstanceStore Store => store;

    /// <summary>Starts an instance of the current version of <paramref name="workflow"/>.</summary>
    public async Task<ApplyOutcome> StartAsync(string workflow, string? instanceId, JsonObject input, CancellationToken cancellationToken)
    {
        if (definitions.Current(workflow) is not { } definition)
        {
            return new ApplyOutcome(ApplyStatus.NotFound, Reason: $"There is no workflow '{workflow}'.");
        }

        instanceId ??= Guid.NewGuid().ToString("N");
        if (!IsValidInstanceId(instanceId))
        {
            return new ApplyOutcome(ApplyStatus.Rejected, Reason: "An instance id is 1–100 letters, digits, '.', '-' or '_', starting with a letter or digit.");
        }

        await definitions.PinAsync(definition, cancellationToken);
        var now = time.GetUtcNow();
        var state = new InstanceState { Id = instanceId, Workflow = definition.Name, Version = definition.Version, CreatedAt = now, UpdatedAt = now };
        var transition = Interpreter.Apply(state, definition, new StartTrigger(input), now);
        try
        {
            await store.CommitAsync(null, [], state, transition, now + options.EffectLease, cancellationToken);
        }
        catch (ConcurrencyException)
        {
            return new ApplyOutcome(ApplyStatus.Conflict, Reason: $"Instance {instanceId} exists already.");
        }

        Log.Started(logger, instanceId, workflow, definition.Version);
        await DispatchAsync(transition.Effects, cancellationToken);
        return new ApplyOutcome(ApplyStatus.Applied, state);
    }

    /// <summary>Delivers a named event. Redelivery with the same <paramref name="eventId"/> is applied once.</summary>
    public Task<ApplyOutcome> RaiseEventAsync(string instanceId, string name, JsonNode? payload, string? eventId, CancellationToken cancellationToken) =>
        ApplyAsync(instanceId, new EventTrigger(name, payload, eventId ?? Guid.NewGuid().ToString("N")), cancellationToken);

    /// <summary>Stops an instance with a reason.</summary>
    public Task<ApplyOutcome> TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken) =>
        ApplyAsync(instanceId, new TerminateTrigger(reason), cancellationToken);

    /// <summary>Fires every timer due and retries every effect whose lease ran out, in every shard.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken)
    {
        var counts = await Task.WhenAll(Shards.All.Select(shard => ProcessShardAsync(shard, cancellationToken)));
        return counts.Sum();
    }

    /// <summary>Fires the timers due in one shard and retries its unconfirmed effects; returns how many items it handled.</summary>
    public async Task<int> ProcessShardAsync(string shard, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var handled = 0;
        await foreach (var work in store.DueAsync(shard, now, options.ShardBatch, cancellationToken))
        {
            switch (work)
            {
                case DueTimer timer:
                    var outcome = await ApplyAsync(timer.InstanceId, new TimerTrigger(timer.TimerId), cancellationToken);
                    if (outcome.Status is ApplyStatus.Unchanged or ApplyStatus.NotFound)
                    {
                        // No state refers to it any more: it must never act, so remove it.
                        await store.DeleteStaleTimerAsync(timer, cancellationToken);
                    }

                    break;
                case DueEffect effect when await store.ClaimEffectAsync(effect, now + options.EffectLease, cancellationToken):
                    Log.EffectRetried(logger, effect.Effect.Id);
                    await DispatchAsync([effect.Effect], cancellationToken);
                    break;
            }

            handled++;
        }

        return handled;
    }

    /// <summary>True when work is due in <paramref name="shard"/> (one query that reads at most one row).</summary>
    public async Task<bool> HasDueWorkAsync(string shard, CancellationToken cancellationToken)
    {
        await foreach (var _ in store.DueAsync(shard, time.GetUtcNow(), 1, cancellationToken))
        {
            return true;
        }

        return false;
    }

    private async Task<ApplyOutcome> ApplyAsync(string instanceId, Trigger trigger, CancellationToken cancellationToken)
    {
        if (!IsValidInstanceId(instanceId))
        {
            return new ApplyOutcome(ApplyStatus.NotFound);
        }

        var fromStorage = false;
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            var loaded = fromStorage
                ? await store.LoadAsync(instanceId, cancellationToken)
                : await store.LoadForUpdateAsync(instanceId, cancellationToken);
            if (loaded is null)
            {
                return new ApplyOutcome(ApplyStatus.NotFound, Reason: $"There is no instance {instanceId}.");
            }

            var state = loaded.State;
            var definition = await definitions.PinnedAsync(state.Workflow, state.Version, cancellationToken);
            var timersBefore = state.Timers.ToArray();
            var now = time.GetUtcNow();
            var transition = Interpreter.Apply(state, definition, trigger, now);
            if (loaded.FromCache && (transition.Rejection is not null || !transition.Changed))
            {
                // Why: only a commit checks a cached state against storage (its ETag). A rejection or
                // "nothing to do" (which may delete a timer row) must come from the stored state.
                store.Forget(instanceId);
                fromStorage = true;
                continue;
            }

            if (transition.Rejection is not null)
            {
                return new ApplyOutcome(ApplyStatus.Rejected, state, transition.Rejection);
            }

            if (!transition.Changed)
            {
                return new ApplyOutcome(ApplyStatus.Unchanged, state);
            }

            try
            {
                await store.CommitAsync(loaded, timersBefore, state, transition, now + options.EffectLease, cancellationToken);
            }
            catch (ConcurrencyException)
            {
                fromStorage = true; // the store dropped its cached copy; read what won
                continue;
            }

            if (state.Status == InstanceStatus.Failed)
            {
                Log.InstanceFailed(logger, instanceId, state.Error ?? "");
            }

            await DispatchAsync(transition.Effects, cancellationToken);
            return new ApplyOutcome(ApplyStatus.Applied, state);
        }

        throw new InvalidOperationException($"Instance {instanceId} kept changing under {MaxConflictRetries} attempts to apply {trigger.GetType().Name}.");
    }

    /// <summary>
    /// Carries out committed effects. The committing worker holds their lease, so no other worker
    /// sends them meanwhile; if this process dies here, the lease runs out and a shard pass retries.
    /// </summary>
    private async Task DispatchAsync(IReadOnlyList<Effect> committed, CancellationToken cancellationToken)
    {
        foreach (var effect in committed)
        {
            EffectResult result;
            try
            {
                result = await effects.HandleAsync(effect, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.EffectThrew(logger, e, effect.Id);
                continue; // stays pending; retried when its lease runs out
            }

            switch (result.Outcome)
            {
                case EffectOutcome.Done:
                    await store.CompleteEffectAsync(effect, cancellationToken);
                    break;
                case EffectOutcome.Failed:
                    await store.CompleteEffectAsync(effect, cancellationToken);
                    if (effect.Kind == "message")
                    {
                        var failed = new DeliveryFailed(
                            effect.Id, effect.Payload["channel"]?.GetValue<string>() ?? "", result.Reason ?? "failed", result.Permanent, (JsonObject)effect.Payload.DeepClone());
                        await RaiseEventAsync(effect.InstanceId, failed.Name, failed.Payload(), failed.Id, cancellationToken);
                    }

                    break;
                case EffectOutcome.RetryLater:
                    Log.EffectDeferred(logger, effect.Id, result.Reason ?? "");
                    break;
            }
        }
    }

    /// <summary>1–100 characters: letters, digits, '.', '-', '_' (safe in row keys and URLs).</summary>
    public static bool IsValidInstanceId(string id) => InstanceIdPattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex InstanceIdPattern();

    private static partial class Log
    {
        [LoggerMessage(2001, LogLevel.Information, "Started instance {InstanceId} of {Workflow} version {Version}")]
        public static partial void Started(ILogger logger, string instanceId, string workflow, string version);

        [LoggerMessage(2002, LogLevel.Warning, "Instance {InstanceId} failed: {Reason}")]
        public static partial void InstanceFailed(ILogger logger, string instanceId, string reason);

        [LoggerMessage(2003, LogLevel.Warning, "Effect {EffectId} threw; it stays pending and is retried when its lease runs out")]
        public static partial void EffectThrew(ILogger logger, Exception exception, string effectId);

        [LoggerMessage(2004, LogLevel.Information, "Effect {EffectId} deferred: {Reason}")]
        public static partial void EffectDeferred(ILogger logger, string effectId, string reason);

        [LoggerMessage(2005, LogLevel.Information, "Effect {EffectId} was still pending after its lease; dispatching again")]
        public static partial void EffectRetried(ILogger logger, string effectId);
    }
}
