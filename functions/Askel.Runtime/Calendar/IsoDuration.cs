using System.Globalization;
using System.Text.RegularExpressions;

namespace Askel.Runtime.Calendar;

/// <summary>
/// An ISO 8601 duration (<c>P6M</c>, <c>P2D</c>, <c>PT30M</c>, <c>P1W</c>). Years, months, weeks and days
/// are calendar units added in a time zone (six months after 15 March is 15 September, whatever
/// daylight saving did); hours, minutes and seconds are elapsed time.
/// </summary>
public sealed partial record IsoDuration(int Years, int Months, int Days, TimeSpan Time)
{
    /// <summary>Zero.</summary>
    public static IsoDuration Zero { get; } = new(0, 0, 0, TimeSpan.Zero);

    /// <summary>True when it adds nothing.</summary>
    public bool IsZero => Years == 0 && Months == 0 && Days == 0 && Time == TimeSpan.Zero;

    /// <summary>Reads an ISO 8601 duration; false for anything else (negative durations are not allowed).</summary>
    public static bool TryParse(string? text, out IsoDuration duration)
    {
        duration = Zero;
        var match = text is null ? Match.Empty : Pattern().Match(text.Trim());
        if (!match.Success || text!.Trim() is "P" or "PT" || text.Trim().EndsWith('T'))
        {
            return false;
        }

        int Part(string name) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        try
        {
            // Digits too many for an int, or a time part beyond TimeSpan, are not a duration either: never throw.
            var seconds = match.Groups["s"].Success ? double.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
            duration = new IsoDuration(
                Part("y"), Part("mo"), checked((Part("w") * 7) + Part("d")),
                TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("mi")) + TimeSpan.FromSeconds(seconds));
            return true;
        }
        catch (Exception error) when (error is OverflowException or ArgumentOutOfRangeException)
        {
            duration = Zero;
            return false;
        }
    }

    /// <summary>Reads an ISO 8601 duration.</summary>
    /// <exception cref="FormatException">It is not one; the message shows the expected form.</exception>
    public static IsoDuration Parse(string text) =>
        TryParse(text, out var duration) ? duration
        : throw new FormatException($"'{text}' is not an ISO 8601 duration: write e.g. P2D (2 days), PT30M (30 minutes), P6M (6 months), P1W (1 week).");

    /// <summary>
    /// The instant this long after <paramref name="start"/>: calendar units on the local calendar of
    /// <paramref name="zone"/>, then the time part as elapsed time.
    /// </summary>
    public DateTimeOffset AddTo(DateTimeOffset start, TimeZoneInfo zone)
    {
        if (Years == 0 && Months == 0 && Days == 0)
        {
            return start + Time;
        }

        var local = TimeZoneInfo.ConvertTime(start, zone).DateTime;
        var shifted = local.AddYears(Years).AddMonths(Months).AddDays(Days);
        return FromLocal(shifted, zone) + Time;
    }

    /// <summary>The instant of a local wall-clock time; a time skipped by daylight saving moves forward past the gap.</summary>
    public static DateTimeOffset FromLocal(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var text = "P";
        text += Years != 0 ? $"{Years}Y" : "";
        text += Months != 0 ? $"{Months}M" : "";
        text += Days != 0 ? $"{Days}D" : "";
        if (Time != TimeSpan.Zero)
        {
            text += "T";
            text += Time.Hours + (Time.Days * 24) != 0 ? $"{Time.Hours + (Time.Days * 24)}H" : "";
            text += Time.Minutes != 0 ? $"{Time.Minutes}M" : "";
            text += Time.Seconds != 0 ? $"{Time.Seconds}S" : "";
        }

        return text == "P" ? "P0D" : text;
    }

    [GeneratedRegex(@"^P(?:(?<y>\d+)Y)?(?:(?<mo>\d+)M)?(?:(?<w>\d+)W)?(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<mi>\d+)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
