using Askel.Runtime.Definitions;

namespace Askel.Runtime.Simulation;

/// <summary>
/// The chance that one participant answers a chased step (an <see cref="AskStep"/> or an <see cref="ExternalStep"/>)
/// under a <see cref="ResponseProfile"/>: the model the simulation draws from, worked out for one person instead of drawn.
/// Each message still to come goes on the channel the workflow would choose for them, and is missed with one minus its rate.
/// </summary>
public static class AnswerChance
{
    /// <summary>The chance, 0–1, that the participant answers one of the step's messages from number <paramref name="fromAttempt"/> on.</summary>
    /// <param name="definition">The workflow.</param>
    /// <param name="step">The chased step.</param>
    /// <param name="profile">The rates.</param>
    /// <param name="language">The participant's language.</param>
    /// <param name="usable">Whether a channel reaches them (an address, and not bounced, failing or opted out).</param>
    /// <param name="fromAttempt">The first message still to come (1: the step has not begun).</param>
    /// <exception cref="ArgumentException">The step is not chased.</exception>
    public static double Of(WorkflowDefinition definition, Step step, ResponseProfile profile, string language, Func<string, bool> usable, int fromAttempt = 1)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(profile);
        var attempts = step is ChasedStep chased
            ? chased.Attempts
            : throw new ArgumentException($"The step {step?.Id} sends no form to chase.", nameof(step));
        var missed = 1.0;
        for (var n = Math.Max(fromAttempt, 1); n <= attempts.Count; n++)
        {
            if (definition.ChannelFor(attempts[n - 1].Via, usable) is { } channel)
            {
                missed *= 1 - profile.RateOf(channel, n, language);
            }
        }

        return 1 - missed;
    }
}
