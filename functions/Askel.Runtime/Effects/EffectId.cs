using System.Diagnostics.CodeAnalysis;

namespace Askel.Runtime.Effects;

/// <summary>
/// An effect's id, <c>{instance}.{step entry}.{tag}</c> (e.g. <c>demo.p-12.4.a2</c>): made from the instance's state,
/// so the same effect carried out again has the same id, which the message log and the providers' reports key on.
/// An instance id may hold dots itself; the last two dots part the id.
/// </summary>
/// <param name="Instance">The workflow instance.</param>
/// <param name="StepEntry">How many steps the instance had entered when it made the effect.</param>
/// <param name="Tag">Which effect of that step: <c>a2</c> (the second attempt), <c>a2-sms-fallback</c>, <c>task</c>, ….</param>
public sealed record EffectId(string Instance, string StepEntry, string Tag)
{
    /// <summary>The step entry's own id, <c>{instance}.{step entry}</c>: what every effect of one visit to a step shares.</summary>
    public string Entry => $"{Instance}.{StepEntry}";

    /// <inheritdoc />
    public override string ToString() => $"{Entry}.{Tag}";

    /// <summary>The parts of <paramref name="id"/>, or false when it has no instance, step entry and tag.</summary>
    public static bool TryParse(string? id, [NotNullWhen(true)] out EffectId? effectId)
    {
        var last = id?.LastIndexOf('.') ?? -1;
        var before = last > 0 ? id!.LastIndexOf('.', last - 1) : -1;
        effectId = before > 0 ? new EffectId(id![..before], id[(before + 1)..last], id[(last + 1)..]) : null;
        return effectId is not null;
    }
}
