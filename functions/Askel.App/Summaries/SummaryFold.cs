using Askel.App.Participants;

namespace Askel.App.Summaries;

/// <summary>
/// Every event that participants' rows and the project's own events (guidance) imply, folded in memory: what the kept rows of a project must hold.
/// The rebuild writes it; the benchmark's full-scan baseline builds a summary from it.
/// </summary>
public sealed class SummaryFold
{
    private readonly Dictionary<string, Dictionary<string, long>> _months = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Form, string ParticipantId), OutstandingForm> _outstanding = [];
    private readonly List<string> _eventIds = [];

    /// <summary>How many participants were added.</summary>
    public int Participants { get; private set; }

    /// <summary>The counts by month (<c>yyyy-MM</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Months =>
        _months.ToDictionary(m => m.Key, m => (IReadOnlyDictionary<string, long>)m.Value, StringComparer.Ordinal);

    /// <summary>The forms still owed.</summary>
    public IReadOnlyList<OutstandingForm> Outstanding => [.. _outstanding.Values.OrderBy(o => o.DueAt)];

    /// <summary>The ids of the events folded.</summary>
    public IReadOnlyList<string> EventIds => _eventIds;

    /// <summary>Folds in every event a participant's row implies.</summary>
    public void Add(Participant participant)
    {
        Participants++;
        foreach (var fact in SummaryEvents.FactsOf(participant))
        {
            if (SummaryEvents.Of(participant, fact) is { } summaryEvent)
            {
                Apply(summaryEvent);
            }
        }

        foreach (var counted in SummaryEvents.CountedOf(participant))
        {
            Apply(counted);
        }
    }

    /// <summary>Folds in an event of the project's own (a guidance contact, a satisfaction vote).</summary>
    public void Add(SummaryEvent summaryEvent)
    {
        ArgumentNullException.ThrowIfNull(summaryEvent);
        Apply(summaryEvent);
    }

    private void Apply(SummaryEvent summaryEvent)
    {
        _eventIds.Add(summaryEvent.Id);
        foreach (var count in summaryEvent.Counts)
        {
            Add(_months.TryGetValue(count.Month, out var m) ? m : _months[count.Month] = new(StringComparer.Ordinal), count);
        }

        foreach (var due in summaryEvent.Due)
        {
            _outstanding[(due.Form, due.ParticipantId)] = due;
        }

        foreach (var settled in summaryEvent.Settled)
        {
            _outstanding.Remove((settled.Form, settled.ParticipantId));
        }
    }

    /// <summary>Adds a count to a month's counts; a count that comes back to zero (an edit taken back) is dropped, as a rebuild would never write it.</summary>
    public static void Add(Dictionary<string, long> month, MonthCount count)
    {
        ArgumentNullException.ThrowIfNull(month);
        var value = month.GetValueOrDefault(count.Key) + count.Delta;
        if (value == 0)
        {
            month.Remove(count.Key);
        }
        else
        {
            month[count.Key] = value;
        }
    }
}
