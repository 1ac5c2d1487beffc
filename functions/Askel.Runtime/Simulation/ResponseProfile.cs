namespace Askel.Runtime.Simulation;

/// <summary>
/// How likely one message is to be answered: per channel, attempt number and language, as a share of the messages
/// sent that were answered before the next one went. A later attempt reaches only those who have not answered yet, so
/// its rate is the chance that this message, not an earlier one, is the one they answer.
/// </summary>
/// <param name="Rates">The rates known, from the most to the least specific; a rate with no attempt or no language covers them all.</param>
public sealed record ResponseProfile(IReadOnlyList<ResponseRate> Rates)
{
    /// <summary>A cell of the history counts on its own only with at least this many messages; a thinner one falls back to a wider one.</summary>
    public const int MinimumMessages = 10;

    /// <summary>The same rate for every attempt and language of each channel (a profile chosen by hand).</summary>
    public static ResponseProfile PerChannel(IReadOnlyDictionary<string, double> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        return new([.. rates.Select(r => new ResponseRate(r.Key, null, null, Math.Clamp(r.Value, 0, 1), 0))]);
    }

    /// <summary>
    /// The profile of a history: for each channel, attempt and language with at least <see cref="MinimumMessages"/>
    /// messages its own rate; thinner cells take the rate of their channel and attempt over every language, then of
    /// their channel, then <paramref name="fallback"/>'s.
    /// </summary>
    /// <param name="history">What became of the messages sent so far (only those whose outcome is known).</param>
    /// <param name="fallback">The rates for what the history has too little of.</param>
    public static ResponseProfile FromHistory(IEnumerable<ObservedMessage> history, ResponseProfile fallback)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(fallback);
        var messages = history.ToArray();
        IEnumerable<ResponseRate> Cells<TKey>(Func<ObservedMessage, TKey> key, Func<TKey, string, ResponseRate> rate) =>
            messages.GroupBy(m => (m.Channel, Key: key(m)))
                .Where(g => g.Count() >= MinimumMessages)
                .Select(g => rate(g.Key.Key, g.Key.Channel) with { Rate = (double)g.Count(m => m.Answered) / g.Count(), Messages = g.Count() });
        var rates = Cells(m => (m.Attempt, m.Language), (k, c) => new ResponseRate(c, k.Attempt, k.Language, 0, 0))
            .Concat(Cells(m => m.Attempt, (a, c) => new ResponseRate(c, a, null, 0, 0)))
            .Concat(Cells(_ => 0, (_, c) => new ResponseRate(c, null, null, 0, 0)))
            .OrderBy(r => r.Channel, StringComparer.Ordinal).ThenBy(r => r.Attempt ?? int.MaxValue).ThenBy(r => r.Language ?? "\uffff", StringComparer.Ordinal);
        return new([.. rates, .. fallback.Rates]);
    }

    /// <summary>The chance that message number <paramref name="attempt"/> of a step, on <paramref name="channel"/> in <paramref name="language"/>, is answered (0 for a channel it knows nothing of).</summary>
    public double RateOf(string channel, int attempt, string language) =>
        Find(channel, attempt, language) ?? Find(channel, attempt, null) ?? Find(channel, null, null) ?? 0;

    /// <summary>How many messages of history the profile rests on.</summary>
    public int Messages => Rates.Where(r => r.Attempt is null && r.Language is null).Sum(r => r.Messages);

    private double? Find(string channel, int? attempt, string? language) =>
        Rates.FirstOrDefault(r => r.Channel == channel && r.Attempt == attempt && r.Language == language)?.Rate;
}

/// <summary>One rate of a <see cref="ResponseProfile"/>.</summary>
/// <param name="Channel">sms or email.</param>
/// <param name="Attempt">The attempt number within a step (1 = the first message), or null for every attempt.</param>
/// <param name="Language">The participant's language, or null for every language.</param>
/// <param name="Rate">The share answered, 0–1.</param>
/// <param name="Messages">How many messages of history it rests on (0 for a rate chosen by hand).</param>
public sealed record ResponseRate(string Channel, int? Attempt, string? Language, double Rate, int Messages);

/// <summary>A message of a project's history whose outcome is known: answered before the next message of its step went, or not.</summary>
/// <param name="Channel">sms or email.</param>
/// <param name="Attempt">Its number within the step (1 = the first).</param>
/// <param name="Language">The participant's language.</param>
/// <param name="Answered">Whether the form it carried was sent in before the step's next message (or, for the last, at all).</param>
public sealed record ObservedMessage(string Channel, int Attempt, string Language, bool Answered);
