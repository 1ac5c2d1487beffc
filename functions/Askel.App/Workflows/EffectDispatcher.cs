using Askel.App.Messaging;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Azure.Data.Tables;

namespace Askel.App.Workflows;

/// <summary>
/// Carries out the runtime's effects for the app: messages go to the outbox (providers come later
/// behind the same call), coordinator tasks become rows in the open-tasks table.
/// </summary>
internal sealed class EffectDispatcher(FileOutbox outbox, TableClient tasks) : IEffectHandler
{
    public async Task<EffectResult> HandleAsync(Effect effect, CancellationToken cancellationToken)
    {
        switch (effect.Kind)
        {
            case "message":
                await outbox.WriteAsync(effect, cancellationToken);
                return EffectResult.Done;
            case "task":
                // Upsert by effect id: a retried dispatch leaves one task, not two.
                await tasks.UpsertEntityAsync(
                    new TableEntity("open", effect.Id)
                    {
                        ["InstanceId"] = effect.InstanceId,
                        ["Step"] = effect.Payload["step"]?.GetValue<string>(),
                        ["Task"] = effect.Payload.ToJsonString(),
                    },
                    TableUpdateMode.Replace,
                    cancellationToken);
                return EffectResult.Done;
            default:
                return new EffectResult(EffectOutcome.Failed, $"Askel does not know how to carry out a '{effect.Kind}' effect.");
        }
    }
}
