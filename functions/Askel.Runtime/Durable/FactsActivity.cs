using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Microsoft.DurableTask;

namespace Askel.Runtime.Durable;

/// <summary>Records an execution's facts for the orchestrator through the app's recorder, once its steps have run.</summary>
public sealed class FactsActivity(IFactRecorder recorder) : TaskActivity<IReadOnlyList<WorkflowFact>, bool>
{
    /// <summary>The activity's name.</summary>
    public const string Name = "workflow-facts";

    /// <inheritdoc/>
    public override async Task<bool> RunAsync(TaskActivityContext context, IReadOnlyList<WorkflowFact> input)
    {
        await recorder.RecordAsync(input, CancellationToken.None);
        return true;
    }
}
