using Askel.Runtime.Engine;

namespace Askel.Runtime.Effects;

/// <summary>
/// Records what the step function established about participants (<see cref="WorkflowFact"/>) after the step has
/// committed: the app's summary keeps them. Facts may come again after a crash, so recording is idempotent.
/// </summary>
public interface IFactRecorder
{
    /// <summary>Records <paramref name="facts"/>, in order.</summary>
    Task RecordAsync(IReadOnlyList<WorkflowFact> facts, CancellationToken cancellationToken);
}
