using System.Globalization;
using Askel.App.Projects;
using Askel.Runtime.Calendar;

namespace Askel.App.Summaries;

/// <summary>
/// When a month's summary goes out: at 07:00 Europe/Helsinki on the first working day of the following month
/// (<see cref="FinnishHolidays.FirstWorkingDayOfMonth"/>: weekends, 1 January, Epiphany, Easter Monday, May Day …
/// moved past). 07:00 Helsinki is 05:00 UTC in winter and 04:00 UTC in summer, a whole hour either way, so an
/// hourly timer at minute 0 fires at the very moment. Pure: no clock, no storage.
/// </summary>
public static class SummarySchedule
{
    /// <summary>The local time of day summaries go out.</summary>
    public static readonly TimeOnly SendAt = new(7, 0);

    private static readonly TimeZoneInfo Helsinki = CalendarPolicy.Default.TimeZone; // the runtime's zone: Europe/Helsinki

    /// <summary>The moment <paramref name="month"/>'s (<c>yyyy-MM</c>) summary is due.</summary>
    public static DateTimeOffset SendTime(string month)
    {
        var next = FirstDay(month).AddMonths(1);
        var local = FinnishHolidays.FirstWorkingDayOfMonth(next.Year, next.Month).ToDateTime(SendAt);
        return new DateTimeOffset(local, Helsinki.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The latest month whose summary is due at <paramref name="now"/>: the previous month once its send time has come, else the one before.</summary>
    public static string LatestDue(DateTimeOffset now)
    {
        var previous = SummaryCalculator.PreviousMonth(now);
        return now >= SendTime(previous) ? previous : PreviousMonth(previous);
    }

    /// <summary>
    /// The latest month of <paramref name="project"/> due at <paramref name="now"/>: as <see cref="LatestDue(DateTimeOffset)"/>, but
    /// never past the month the project ends in (its last summary goes out once, then no more) — or, once it is closed, never
    /// past the last month whose summary is due by the end of <see cref="ProjectClosure.SummariesUntil"/>.
    /// </summary>
    public static string LatestDue(Project project, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(project);
        var latest = LatestDue(now);
        var last = project.EndDate.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        if (project.Closed is { } closed)
        {
            var dayAfter = closed.SummariesUntil.AddDays(1).ToDateTime(TimeOnly.MinValue); // Helsinki midnight ending the last day
            last = LatestDue(new DateTimeOffset(dayAfter, Helsinki.GetUtcOffset(dayAfter)).AddTicks(-1));
        }

        return string.CompareOrdinal(latest, last) <= 0 ? latest : last;
    }

    /// <summary>
    /// The months owed, oldest first: those after <paramref name="lastDone"/> up to <paramref name="latestDue"/>; with
    /// nothing done before (a first deployment), only <paramref name="latestDue"/> — two years of history are not mailed.
    /// </summary>
    public static IReadOnlyList<string> Owed(string? lastDone, string latestDue)
    {
        var months = new List<string>();
        for (var month = lastDone is null ? latestDue : SummaryCalculator.NextMonth(lastDone); string.CompareOrdinal(month, latestDue) <= 0; month = SummaryCalculator.NextMonth(month))
        {
            months.Add(month);
        }

        return months;
    }

    /// <summary>The month before <paramref name="month"/>.</summary>
    public static string PreviousMonth(string month) => FirstDay(month).AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static DateTime FirstDay(string month) => DateTime.ParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture);
}
