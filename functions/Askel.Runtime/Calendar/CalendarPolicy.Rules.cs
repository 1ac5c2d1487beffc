using System.Globalization;

namespace Askel.Runtime.Calendar;

public sealed partial record CalendarPolicy
{
    /// <summary>How many days <see cref="NextAllowed"/> looks ahead before it gives up.</summary>
    private const int LookAheadDays = 40;

    /// <summary>
    /// Reads a policy as written in a workflow definition.
    /// </summary>
    /// <param name="timeZoneId">An IANA time zone id such as <c>Europe/Helsinki</c>.</param>
    /// <param name="quietHours"><c>"21:00-08:00"</c> (may wrap over midnight), or empty for no quiet hours.</param>
    /// <param name="skipHolidays">True to hold messages on Finnish holidays.</param>
    /// <exception cref="FormatException">The zone is unknown or the quiet hours are not <c>HH:mm-HH:mm</c>.</exception>
    public static CalendarPolicy Parse(string timeZoneId, string quietHours, bool skipHolidays)
    {
        var zone = FindZone(timeZoneId);
        if (string.IsNullOrWhiteSpace(quietHours))
        {
            return new CalendarPolicy(zone, TimeOnly.MinValue, TimeOnly.MinValue, skipHolidays);
        }

        var parts = quietHours.Split('-');
        if (parts.Length != 2 || !TryParseTime(parts[0], out var start) || !TryParseTime(parts[1], out var end))
        {
            throw new FormatException(
                $"Quiet hours '{quietHours}' are not in the form HH:mm-HH:mm: write e.g. 21:00-08:00, or leave them empty for none.");
        }

        if (start == end)
        {
            throw new FormatException(
                $"Quiet hours '{quietHours}' start and end at the same time: leave them empty for no quiet hours.");
        }

        return new CalendarPolicy(zone, start, end, skipHolidays);
    }

    /// <summary>
    /// True when the local time of <paramref name="instant"/> in <see cref="TimeZone"/> is within
    /// [<see cref="QuietStart"/>, <see cref="QuietEnd"/>), wrapping over midnight when the end is earlier.
    /// Never true when the start equals the end.
    /// </summary>
    public bool IsQuiet(DateTimeOffset instant)
    {
        if (QuietStart == QuietEnd)
        {
            return false;
        }

        var time = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);
        return QuietStart < QuietEnd
            ? time >= QuietStart && time < QuietEnd
            : time >= QuietStart || time < QuietEnd;
    }

    /// <summary>
    /// The earliest instant at or after <paramref name="instant"/> when a message may go out: not in quiet
    /// hours and, when <see cref="SkipHolidays"/>, not on a Finnish holiday (<see cref="FinnishHolidays.IsHoliday"/>).
    /// When it has to move, it lands exactly at <see cref="QuietEnd"/> local time of the first allowed day
    /// (past a daylight-saving gap if that time does not exist that day).
    /// </summary>
    /// <exception cref="InvalidOperationException">No allowed time within 40 days (cannot happen with Finnish holidays).</exception>
    public DateTimeOffset NextAllowed(DateTimeOffset instant)
    {
        if (IsAllowed(instant))
        {
            return instant;
        }

        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);
        for (var i = 0; i <= LookAheadDays; i++)
        {
            var candidate = IsoDuration.FromLocal(day.AddDays(i).ToDateTime(QuietEnd), TimeZone);
            if (candidate >= instant && IsAllowed(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"No time within {LookAheadDays} days after {instant.ToString("o", CultureInfo.InvariantCulture)} is outside quiet hours and holidays.");
    }

    private bool IsAllowed(DateTimeOffset instant) =>
        !IsQuiet(instant)
        && !(SkipHolidays && FinnishHolidays.IsHoliday(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime)));

    private static TimeZoneInfo FindZone(string timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId))
        {
            throw new FormatException("The time zone is empty: write an IANA time zone id such as Europe/Helsinki.");
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZoneId.Trim());
        }
        catch (Exception error) when (error is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new FormatException($"Unknown time zone '{timeZoneId}': write an IANA time zone id such as Europe/Helsinki.", error);
        }
    }

    private static bool TryParseTime(string text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
}
