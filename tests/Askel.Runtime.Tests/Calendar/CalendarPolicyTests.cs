using Askel.Runtime.Calendar;

namespace Askel.Runtime.Tests.Calendar;

public sealed class CalendarPolicyTests
{
    private static readonly TimeSpan Winter = TimeSpan.FromHours(2);
    private static readonly TimeSpan Summer = TimeSpan.FromHours(3);

    private static DateTimeOffset Helsinki(int year, int month, int day, int hour, int minute, TimeSpan offset) =>
        new(year, month, day, hour, minute, 0, offset);

    [Fact]
    public void Parse_ZoneAndQuietHours_ReadsThem()
    {
        var policy = CalendarPolicy.Parse("Europe/Helsinki", "21:00-08:00", skipHolidays: true);

        Assert.Equal(CalendarPolicy.Default, policy);
    }

    [Fact]
    public void Parse_SpacesAndSingleDigitHours_ReadsThem()
    {
        var policy = CalendarPolicy.Parse(" Europe/Helsinki ", " 9:30 - 17:00 ", skipHolidays: false);

        Assert.Equal(new TimeOnly(9, 30), policy.QuietStart);
        Assert.Equal(new TimeOnly(17, 0), policy.QuietEnd);
        Assert.False(policy.SkipHolidays);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_EmptyQuietHours_MeansNeverQuiet(string quietHours)
    {
        var policy = CalendarPolicy.Parse("Europe/Helsinki", quietHours, skipHolidays: true);

        Assert.Equal(policy.QuietStart, policy.QuietEnd);
        Assert.False(policy.IsQuiet(Helsinki(2026, 3, 10, 3, 0, Winter)));
    }

    [Theory]
    [InlineData("Europe/Helsingfors")]
    [InlineData("")]
    [InlineData("Mars/Olympus")]
    public void Parse_UnknownTimeZone_ThrowsFormatExceptionNamingIt(string zone)
    {
        var error = Assert.Throws<FormatException>(() => CalendarPolicy.Parse(zone, "21:00-08:00", skipHolidays: true));

        Assert.Contains("time zone", error.Message, StringComparison.Ordinal);
        Assert.Contains("Europe/Helsinki", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("21-08")]
    [InlineData("21:00")]
    [InlineData("25:00-08:00")]
    [InlineData("21:00-08:00-09:00")]
    [InlineData("21:60-08:00")]
    [InlineData("evening")]
    public void Parse_BadQuietHours_ThrowsFormatExceptionShowingTheForm(string quietHours)
    {
        var error = Assert.Throws<FormatException>(() => CalendarPolicy.Parse("Europe/Helsinki", quietHours, skipHolidays: true));

        Assert.Contains($"'{quietHours}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("21:00-08:00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_QuietHoursStartEqualsEnd_ThrowsSayingLeaveEmpty()
    {
        var error = Assert.Throws<FormatException>(() => CalendarPolicy.Parse("Europe/Helsinki", "08:00-08:00", skipHolidays: true));

        Assert.Contains("leave them empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(21, 0, true)]
    [InlineData(23, 59, true)]
    [InlineData(0, 0, true)]
    [InlineData(7, 59, true)]
    [InlineData(8, 0, false)]
    [InlineData(12, 0, false)]
    [InlineData(20, 59, false)]
    public void IsQuiet_OverMidnight_IncludesStartExcludesEnd(int hour, int minute, bool expected)
    {
        Assert.Equal(expected, CalendarPolicy.Default.IsQuiet(Helsinki(2026, 3, 10, hour, minute, Winter)));
    }

    [Theory]
    [InlineData(11, 59, false)]
    [InlineData(12, 0, true)]
    [InlineData(12, 59, true)]
    [InlineData(13, 0, false)]
    public void IsQuiet_WithinOneDay_IncludesStartExcludesEnd(int hour, int minute, bool expected)
    {
        var policy = CalendarPolicy.Default with { QuietStart = new TimeOnly(12, 0), QuietEnd = new TimeOnly(13, 0) };

        Assert.Equal(expected, policy.IsQuiet(Helsinki(2026, 3, 10, hour, minute, Winter)));
    }

    [Fact]
    public void IsQuiet_StartEqualsEnd_NeverQuiet()
    {
        var policy = CalendarPolicy.Default with { QuietStart = new TimeOnly(8, 0), QuietEnd = new TimeOnly(8, 0) };

        Assert.False(policy.IsQuiet(Helsinki(2026, 3, 10, 8, 0, Winter)));
        Assert.False(policy.IsQuiet(Helsinki(2026, 3, 10, 2, 0, Winter)));
    }

    [Fact]
    public void IsQuiet_InstantInUtc_JudgesHelsinkiLocalTime()
    {
        var utcEvening = new DateTimeOffset(2026, 7, 15, 18, 30, 0, TimeSpan.Zero);

        Assert.True(CalendarPolicy.Default.IsQuiet(utcEvening));
    }

    [Fact]
    public void NextAllowed_LateEvening_MovesToEightNextMorning()
    {
        var next = CalendarPolicy.Default.NextAllowed(Helsinki(2026, 3, 10, 22, 30, Winter));

        Assert.Equal(Helsinki(2026, 3, 11, 8, 0, Winter), next);
        Assert.Equal(Winter, next.Offset);
    }

    [Fact]
    public void NextAllowed_JustBeforeQuietEnd_MovesToEightSameMorning()
    {
        var next = CalendarPolicy.Default.NextAllowed(Helsinki(2026, 3, 10, 7, 59, Winter));

        Assert.Equal(Helsinki(2026, 3, 10, 8, 0, Winter), next);
    }

    [Fact]
    public void NextAllowed_Noon_StaysUnchanged()
    {
        var noon = Helsinki(2026, 3, 10, 12, 0, Winter);

        var next = CalendarPolicy.Default.NextAllowed(noon);

        Assert.Equal(noon, next);
        Assert.Equal(noon.Offset, next.Offset);
    }

    [Fact]
    public void NextAllowed_ChristmasEveNoon_MovesTo27DecemberMorning()
    {
        var next = CalendarPolicy.Default.NextAllowed(Helsinki(2026, 12, 24, 12, 0, Winter));

        Assert.Equal(Helsinki(2026, 12, 27, 8, 0, Winter), next);
    }

    [Fact]
    public void NextAllowed_ChristmasEveNoonWithoutSkippingHolidays_StaysUnchanged()
    {
        var policy = CalendarPolicy.Default with { SkipHolidays = false };
        var noon = Helsinki(2026, 12, 24, 12, 0, Winter);

        Assert.Equal(noon, policy.NextAllowed(noon));
    }

    [Fact]
    public void NextAllowed_QuietNightBeforeMayDay_MovesToMorningAfterTheHoliday()
    {
        var next = CalendarPolicy.Default.NextAllowed(Helsinki(2026, 4, 30, 22, 0, Summer));

        Assert.Equal(Helsinki(2026, 5, 2, 8, 0, Summer), next);
    }

    [Fact]
    public void NextAllowed_SmallHoursOfHoliday_MovesToMorningAfterTheHoliday()
    {
        var next = CalendarPolicy.Default.NextAllowed(Helsinki(2026, 12, 6, 3, 0, Winter));

        Assert.Equal(Helsinki(2026, 12, 7, 8, 0, Winter), next);
    }

    [Fact]
    public void NextAllowed_SummerEvening_LandsAtEightWithSummerOffset()
    {
        var next = CalendarPolicy.Default.NextAllowed(Helsinki(2026, 7, 15, 22, 30, Summer));

        Assert.Equal(Summer, next.Offset);
        Assert.Equal(new DateTimeOffset(2026, 7, 16, 5, 0, 0, TimeSpan.Zero), next);
    }

    [Fact]
    public void NextAllowed_WinterEvening_LandsAtEightWithWinterOffset()
    {
        var next = CalendarPolicy.Default.NextAllowed(Helsinki(2026, 1, 15, 22, 30, Winter));

        Assert.Equal(Winter, next.Offset);
        Assert.Equal(new DateTimeOffset(2026, 1, 16, 6, 0, 0, TimeSpan.Zero), next);
    }

    [Fact]
    public void NextAllowed_NightOfSpringForward_LandsAtEightSummerTime()
    {
        var next = CalendarPolicy.Default.NextAllowed(Helsinki(2026, 3, 28, 23, 0, Winter));

        Assert.Equal(Helsinki(2026, 3, 29, 8, 0, Summer), next);
    }

    [Fact]
    public void NextAllowed_QuietEndInsideDaylightSavingGap_LandsJustAfterTheGap()
    {
        var policy = CalendarPolicy.Parse("Europe/Helsinki", "01:00-03:30", skipHolidays: false);

        var next = policy.NextAllowed(Helsinki(2027, 3, 28, 2, 0, Winter));

        Assert.Equal(Helsinki(2027, 3, 28, 4, 0, Summer), next);
    }

    [Fact]
    public void NextAllowed_NoQuietHours_OnlyHolidaysHoldMessages()
    {
        var policy = CalendarPolicy.Parse("Europe/Helsinki", "", skipHolidays: true);
        var lateNight = Helsinki(2026, 3, 10, 23, 30, Winter);

        Assert.Equal(lateNight, policy.NextAllowed(lateNight));
        Assert.Equal(Helsinki(2026, 12, 27, 0, 0, Winter), policy.NextAllowed(Helsinki(2026, 12, 25, 3, 0, Winter)));
    }

    [Fact]
    public void NextAllowed_UtcInput_ReturnsTheSameInstantAsLocalInput()
    {
        var utc = new DateTimeOffset(2026, 3, 10, 20, 30, 0, TimeSpan.Zero);

        var next = CalendarPolicy.Default.NextAllowed(utc);

        Assert.Equal(Helsinki(2026, 3, 11, 8, 0, Winter), next);
    }

    [Fact]
    public void NextAllowed_AnyInstant_IsNeverEarlierAndAlwaysAllowed()
    {
        var start = Helsinki(2026, 12, 20, 0, 0, Winter);
        for (var step = 0; step < 24 * 4 * 14; step++)
        {
            var instant = start.AddMinutes(15 * step);

            var next = CalendarPolicy.Default.NextAllowed(instant);

            Assert.True(next >= instant);
            Assert.False(CalendarPolicy.Default.IsQuiet(next));
            Assert.False(FinnishHolidays.IsHoliday(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(next, CalendarPolicy.Default.TimeZone).DateTime)));
        }
    }
}
