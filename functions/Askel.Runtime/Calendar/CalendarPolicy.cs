namespace Askel.Runtime.Calendar;

/// <summary>
/// When a message may go out: not in quiet hours, and (optionally) not on a Finnish public holiday,
/// both judged in <see cref="TimeZone"/> (Europe/Helsinki by default).
/// </summary>
/// <param name="TimeZone">The zone quiet hours and holidays are read in.</param>
/// <param name="QuietStart">Quiet hours start (e.g. 21:00). Equal to <paramref name="QuietEnd"/> means no quiet hours.</param>
/// <param name="QuietEnd">Quiet hours end (e.g. 08:00); may be earlier than the start (over midnight).</param>
/// <param name="SkipHolidays">True to hold messages on Finnish public holidays until the next working morning's end of quiet hours.</param>
public sealed partial record CalendarPolicy(TimeZoneInfo TimeZone, TimeOnly QuietStart, TimeOnly QuietEnd, bool SkipHolidays)
{
    /// <summary>Europe/Helsinki, quiet 21:00–08:00, Finnish public holidays skipped.</summary>
    public static CalendarPolicy Default { get; } =
        new(TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki"), new TimeOnly(21, 0), new TimeOnly(8, 0), SkipHolidays: true);

    /// <summary>The day <paramref name="moment"/> falls on in <see cref="TimeZone"/>.</summary>
    public DateOnly DayOf(DateTimeOffset moment) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(moment, TimeZone).DateTime);
}
