using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Microsoft.DurableTask;

namespace Askel.Runtime.Durable;

/// <summary>
/// Carries out one effect (a message, a task) for the orchestrator through the app's handler. Activities run
/// at least once, so the handler is idempotent by the effect's deterministic id.
/// </summary>
public sealed class EffectActivity(IEffectHandler handler) : TaskActivity<Effect, EffectResult>
{
    /// <summary>The activity's name.</summary>
    public const string Name = "workflow-effect";

    /// <inheritdoc/>
    public override Task<EffectResult> RunAsync(TaskActivityContext context, Effect input) =>
        handler.HandleAsync(input, CancellationToken.None);
}
