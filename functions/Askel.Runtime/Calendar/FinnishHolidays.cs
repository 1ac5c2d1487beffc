namespace Askel.Runtime.Calendar;

/// <summary>
/// Finnish public holidays and de-facto days off, computed for any year by today's rules
/// (in force since 1992), never read from a table of years.
/// </summary>
public static class FinnishHolidays
{
    /// <summary>The holidays of <paramref name="year"/>, in date order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is outside 1–9999.</exception>
    public static IReadOnlyList<Holiday> For(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);

        var easter = Easter(year);
        Holiday[] holidays =
        [
            new(new DateOnly(year, 1, 1), "uudenvuodenpäivä", "New Year's Day", true),
            new(new DateOnly(year, 1, 6), "loppiainen", "Epiphany", true),
            new(easter.AddDays(-2), "pitkäperjantai", "Good Friday", true),
            new(easter, "pääsiäispäivä", "Easter Sunday", true),
            new(easter.AddDays(1), "2. pääsiäispäivä", "Easter Monday", true),
            new(new DateOnly(year, 5, 1), "vappu", "May Day", true),
            new(easter.AddDays(39), "helatorstai", "Ascension Day", true),
            new(easter.AddDays(49), "helluntaipäivä", "Whit Sunday", true),
            new(OnOrAfter(new DateOnly(year, 6, 19), DayOfWeek.Friday), "juhannusaatto", "Midsummer Eve", false),
            new(OnOrAfter(new DateOnly(year, 6, 20), DayOfWeek.Saturday), "juhannuspäivä", "Midsummer Day", true),
            new(OnOrAfter(new DateOnly(year, 10, 31), DayOfWeek.Saturday), "pyhäinpäivä", "All Saints' Day", true),
            new(new DateOnly(year, 12, 6), "itsenäisyyspäivä", "Independence Day", true),
            new(new DateOnly(year, 12, 24), "jouluaatto", "Christmas Eve", false),
            new(new DateOnly(year, 12, 25), "joulupäivä", "Christmas Day", true),
            new(new DateOnly(year, 12, 26), "tapaninpäivä", "St Stephen's Day", true),
        ];
        Array.Sort(holidays, (a, b) => a.Date.CompareTo(b.Date));
        return holidays;
    }

    /// <summary>True when <paramref name="date"/> is any entry of <see cref="For"/>, de-facto days off included.</summary>
    public static bool IsHoliday(DateOnly date)
    {
        foreach (var holiday in For(date.Year))
        {
            if (holiday.Date == date)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for Monday to Friday when it is not a holiday.</summary>
    public static bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsHoliday(date);

    /// <summary>The first working day of a month (the month's first "working morning").</summary>
    /// <exception cref="ArgumentOutOfRangeException">The year or month is out of range.</exception>
    public static DateOnly FirstWorkingDayOfMonth(int year, int month)
    {
        var day = new DateOnly(year, month, 1);

        // A month always has a working day within its first eight days (at most a weekend plus two holidays).
        while (!IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    /// <summary>Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).</summary>
    internal static DateOnly Easter(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    private static DateOnly OnOrAfter(DateOnly start, DayOfWeek dayOfWeek) =>
        start.AddDays(((int)dayOfWeek - (int)start.DayOfWeek + 7) % 7);
}
