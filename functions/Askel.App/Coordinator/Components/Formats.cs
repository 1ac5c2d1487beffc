using System.Globalization;

namespace Askel.App.Coordinator.Components;

/// <summary>How the coordinator pages write times, days, counts and language names: in Helsinki time, ISO-like, the same in every language.</summary>
public static class Formats
{
    private static readonly TimeZoneInfo Zone = Askel.Runtime.Calendar.CalendarPolicy.Default.TimeZone; // the runtime's zone: Europe/Helsinki

    /// <summary>A moment in Helsinki time, e.g. 2027-03-17 09:00.</summary>
    public static string Time(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A day, e.g. 2027-03-17.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The Helsinki day of a moment.</summary>
    public static string Day(DateTimeOffset at) => Day(DayOf(at));

    /// <summary>The day <paramref name="at"/> falls on in Helsinki.</summary>
    public static DateOnly DayOf(DateTimeOffset at) => Askel.Runtime.Calendar.CalendarPolicy.Default.DayOf(at);

    /// <summary>A whole number.</summary>
    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A language's own name with its code, e.g. "suomi (fi)".</summary>
    public static string LanguageName(string language) => language switch
    {
        "fi" => "suomi (fi)",
        "sv" => "svenska (sv)",
        "en" => "English (en)",
        "uk" => "українська (uk)",
        "ru" => "русский (ru)",
        "ar" => "العربية (ar)",
        "so" => "Soomaali (so)",
        "fa" => "فارسی (fa)",
        _ => language,
    };
}
