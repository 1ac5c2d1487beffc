using Askel.Runtime.Engine;

namespace Askel.Runtime.Effects;

/// <summary>How carrying out an effect went.</summary>
public enum EffectOutcome
{
    /// <summary>Done: the effect is no longer pending.</summary>
    Done,

    /// <summary>A passing failure (a provider's 429 or 5xx): try again after the lease runs out.</summary>
    RetryLater,

    /// <summary>It cannot be done this way (an invalid address, a provider's 400): the workflow falls back.</summary>
    Failed,
}

/// <summary>The result of one dispatch.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Reason">Why it failed, for the coordinator (no personal data).</param>
/// <param name="Permanent">For a failed message: true when the channel does not work for this participant
/// (marked <c>invalid</c>), false when it failed for too long but may work later (marked <c>failing</c>).</param>
public sealed record EffectResult(EffectOutcome Outcome, string? Reason = null, bool Permanent = true)
{
    /// <summary>Done.</summary>
    public static EffectResult Done { get; } = new(EffectOutcome.Done);
}

/// <summary>
/// Carries out effects — sends a message, opens a task — for the runtime, which knows nothing of
/// participants. Must be idempotent by <see cref="Effect.Id"/> where the provider allows it: the
/// runtime may call it again for the same effect after a crash.
/// </summary>
public interface IEffectHandler
{
    /// <summary>Carries out one effect.</summary>
    Task<EffectResult> HandleAsync(Effect effect, CancellationToken cancellationToken);
}
