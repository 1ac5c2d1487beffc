using System.Globalization;
using Askel.App.Forms;

namespace Askel.App.Cooperation;

/// <summary>
/// An event the project held or took part in (an info session, a recruitment event, a job fair…) and how many attended.
/// Recorded under the form's key and edited in place (attendance is often counted after the day).
/// </summary>
/// <param name="ProjectId">The project.</param>
/// <param name="Id">The event's key.</param>
/// <param name="Date">The day of the event: the month the summary counts it in.</param>
/// <param name="Kind">One of <see cref="Kinds"/>.</param>
/// <param name="Title">What it was called.</param>
/// <param name="Organiser">Who organised it (the project, a partner, an employer).</param>
/// <param name="Attendance">How many attended.</param>
/// <param name="Version">1 when recorded, one more at each change: names the change's summary event.</param>
/// <param name="RecordedBy">Who saved it last, as the project names them.</param>
public sealed record CooperationEvent(string ProjectId, string Id, DateOnly Date, string Kind, string Title, string Organiser, int Attendance, int Version, string RecordedBy)
{
    /// <summary>Kinds of event.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["info-session", "recruitment", "job-fair", "workplace-visit", "training", "other"];

    /// <summary>The most attendees an event can be recorded with: a typo guard, not a venue's limit.</summary>
    public const int MaxAttendance = 100_000;

    /// <summary>Whether the two say the same (who saved it and its version aside): saving the same again changes nothing.</summary>
    public bool SaysSameAs(CooperationEvent other) =>
        other is not null && (Date, Kind, Title, Organiser, Attendance) == (other.Date, other.Kind, other.Title, other.Organiser, other.Attendance);
}

/// <summary>An event as the events form posts it: every field as text, checked by <see cref="Check"/>.</summary>
/// <param name="Key">The event's key: the form's for a new event, the event's own when editing.</param>
public sealed record EventEntry(string Key, string Date, string Kind, string Title, string Organiser, string Attendance)
{
    /// <summary>How far back an event can be dated.</summary>
    public const int YearsBack = 2;

    /// <summary>
    /// What is wrong with the entry, by field: a day from <see cref="YearsBack"/> years ago to today (an event is recorded
    /// once it has happened), a kind from the list, a title and an organiser as short plain texts that no spreadsheet
    /// would run as a formula, and an attendance from 0 to <see cref="CooperationEvent.MaxAttendance"/>.
    /// </summary>
    public IReadOnlyList<(string Field, string Problem)> Check(DateOnly today)
    {
        var problems = new List<(string, string)>();
        if (!DateOnly.TryParseExact(Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) || day > today || day < today.AddYears(-YearsBack))
        {
            problems.Add(("date", "event-date-invalid"));
        }

        if (!CooperationEvent.Kinds.Contains(Kind, StringComparer.Ordinal))
        {
            problems.Add(("kind", "event-kind-invalid"));
        }

        foreach (var (field, value, problem) in new[] { ("title", Title, "event-title-invalid"), ("organiser", Organiser, "event-organiser-invalid") })
        {
            if (!PlainText.IsShort(value.Trim(), 120) || PlainText.LooksLikeFormula(value.Trim()))
            {
                problems.Add((field, problem));
            }
        }

        if (!int.TryParse(Attendance.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > CooperationEvent.MaxAttendance)
        {
            problems.Add(("attendance", "event-attendance-invalid"));
        }

        return problems;
    }

    /// <summary>The event this checked entry describes, as <paramref name="recordedBy"/> saves it as version <paramref name="version"/>.</summary>
    public CooperationEvent ToEvent(string projectId, int version, string recordedBy) => new(
        projectId, Key, DateOnly.ParseExact(Date, "yyyy-MM-dd", CultureInfo.InvariantCulture), Kind, Title.Trim(), Organiser.Trim(),
        int.Parse(Attendance.Trim(), NumberStyles.None, CultureInfo.InvariantCulture), version, recordedBy);
}
