using System.Text;

namespace Askel.Runtime.Simulation;

/// <summary>
/// How synthetic participants and coordinators behave in a <see cref="Simulator"/> run. Every draw is a pure
/// function of <see cref="Seed"/> and what it is about (participant and channel, or the effect's id), so a run
/// is the same whatever order the runtime dispatches effects in.
/// </summary>
public sealed record ParticipantBehaviour
{
    /// <summary>Per channel, the probability (0–1) that a participant never answers messages sent on it. Unlisted channels: 0.</summary>
    public IReadOnlyDictionary<string, double> NeverAnswer { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>
    /// The chance that each message is answered, per channel, attempt and language; null: every message to a participant who
    /// answers on its channel (see <see cref="NeverAnswer"/>) is answered.
    /// </summary>
    public ResponseProfile? Responses { get; init; }

    /// <summary>The shortest time from a message to the participant's answer.</summary>
    public TimeSpan AnswerDelayMin { get; init; } = TimeSpan.Zero;

    /// <summary>The longest time from a message to the participant's answer (drawn uniformly between min and max).</summary>
    public TimeSpan AnswerDelayMax { get; init; } = TimeSpan.FromHours(48);

    /// <summary>
    /// How coordinators resolve tasks: outcome name and probability (0–1), in order. Empty: every task is
    /// resolved with its first outcome. When the probabilities of a task's outcomes add up to less than 1,
    /// the rest of its tasks are never resolved.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, double>> TaskOutcomes { get; init; } = [];

    /// <summary>How long after a task is opened a coordinator resolves it.</summary>
    public TimeSpan TaskDelay { get; init; } = TimeSpan.FromDays(2);

    /// <summary>The seed of every draw.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>True when participant <paramref name="participant"/> ever answers messages on <paramref name="channel"/>.</summary>
    public bool AnswersOn(int participant, string channel) =>
        Draw($"never-answer|{participant}|{channel}") >= NeverAnswer.GetValueOrDefault(channel);

    /// <summary>Whether the message <paramref name="effectId"/>, attempt <paramref name="attempt"/> on <paramref name="channel"/> in <paramref name="language"/>, is answered (see <see cref="Responses"/>).</summary>
    public bool Answers(string effectId, string channel, int attempt, string language) =>
        Responses is null || Draw($"answer|{effectId}") < Responses.RateOf(channel, attempt, language);

    /// <summary>How long after the message <paramref name="effectId"/> its participant answers.</summary>
    public TimeSpan AnswerDelay(string effectId) =>
        AnswerDelayMin + ((AnswerDelayMax - AnswerDelayMin) * Draw($"answer-delay|{effectId}"));

    /// <summary>The outcome a coordinator gives the task <paramref name="effectId"/>, or null when it is never resolved.</summary>
    /// <param name="effectId">The task effect's id.</param>
    /// <param name="outcomes">The task's outcomes, in definition order.</param>
    public string? TaskOutcome(string effectId, IReadOnlyList<string> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var applicable = TaskOutcomes.Where(o => outcomes.Contains(o.Key)).ToArray();
        if (applicable.Length == 0)
        {
            return outcomes.Count > 0 ? outcomes[0] : null;
        }

        var draw = Draw($"task-outcome|{effectId}");
        var cumulative = 0.0;
        foreach (var (outcome, probability) in applicable)
        {
            cumulative += probability;
            if (draw < cumulative)
            {
                return outcome;
            }
        }

        return null;
    }

    /// <summary>A number in [0, 1) fixed by the seed and <paramref name="key"/> (FNV-1a, then a SplitMix64 finaliser).</summary>
    public double Draw(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        var x = hash ^ ((ulong)(uint)Seed * 0x9E3779B97F4A7C15UL);
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (x >> 11) * (1.0 / (1UL << 53));
    }
}
