using Askel.Runtime.Calendar;

namespace Askel.Runtime.Tests.Calendar;

public sealed class IsoDurationTests
{
    private static readonly TimeZoneInfo Helsinki = TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki");

    public static TheoryData<string, int, int, int, TimeSpan> Valid => new()
    {
        { "P2D", 0, 0, 2, TimeSpan.Zero },
        { "PT30M", 0, 0, 0, TimeSpan.FromMinutes(30) },
        { "P6M", 0, 6, 0, TimeSpan.Zero },
        { "P1W", 0, 0, 7, TimeSpan.Zero },
        { "P1Y2M3DT4H5M6S", 1, 2, 3, new TimeSpan(4, 5, 6) },
        { " P2D ", 0, 0, 2, TimeSpan.Zero },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parse_IsoDuration_ReadsEveryPart(string text, int years, int months, int days, TimeSpan time)
    {
        var duration = IsoDuration.Parse(text);

        Assert.Equal(new IsoDuration(years, months, days, time), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("2D")]
    [InlineData("-P1D")]
    [InlineData("P1.5D")]
    [InlineData("P1DT")]
    [InlineData("p2d")]
    [InlineData(null)]
    public void TryParse_NotADuration_ReturnsFalse(string? text)
    {
        var parsed = IsoDuration.TryParse(text, out var duration);

        Assert.False(parsed);
        Assert.Equal(IsoDuration.Zero, duration);
    }

    [Theory]
    [InlineData("P99999999999D")]
    [InlineData("P400000000W")]
    [InlineData("PT2147483647H")]
    [InlineData("PT99999999999999999999S")]
    public void TryParse_NumberTooLarge_ReturnsFalseWithoutThrowing(string text)
    {
        var parsed = IsoDuration.TryParse(text, out _);

        Assert.False(parsed);
    }

    [Fact]
    public void Parse_NotADuration_ThrowsFormatExceptionShowingTheForm()
    {
        var error = Assert.Throws<FormatException>(() => IsoDuration.Parse("2D"));

        Assert.Contains("'2D' is not an ISO 8601 duration", error.Message, StringComparison.Ordinal);
        Assert.Contains("P6M", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTo_OneDayOverSpringForward_KeepsWallClockAndElapses23Hours()
    {
        var start = new DateTimeOffset(2027, 3, 27, 12, 0, 0, TimeSpan.FromHours(2));

        var end = IsoDuration.Parse("P1D").AddTo(start, Helsinki);

        Assert.Equal(new DateTimeOffset(2027, 3, 28, 12, 0, 0, TimeSpan.FromHours(3)), end);
        Assert.Equal(TimeSpan.FromHours(3), end.Offset);
        Assert.Equal(TimeSpan.FromHours(23), end - start);
    }

    [Fact]
    public void AddTo_TimePartOverSpringForward_AddsElapsedTime()
    {
        var start = new DateTimeOffset(2027, 3, 27, 12, 0, 0, TimeSpan.FromHours(2));

        var end = IsoDuration.Parse("PT24H").AddTo(start, Helsinki);

        Assert.Equal(TimeSpan.FromHours(24), end - start);
    }

    [Theory]
    [InlineData(2026, 2027, 28)]
    [InlineData(2027, 2028, 29)]
    public void AddTo_SixMonthsFrom31August_LandsOnLastDayOfFebruary(int year, int expectedYear, int expectedDay)
    {
        var start = new DateTimeOffset(year, 8, 31, 12, 0, 0, TimeSpan.FromHours(3));

        var end = IsoDuration.Parse("P6M").AddTo(start, Helsinki);

        Assert.Equal(new DateTimeOffset(expectedYear, 2, expectedDay, 12, 0, 0, TimeSpan.FromHours(2)), end);
    }

    [Fact]
    public void FromLocal_TimeInSpringForwardGap_MovesPastTheGap()
    {
        var instant = IsoDuration.FromLocal(new DateTime(2027, 3, 28, 3, 30, 0), Helsinki);

        Assert.Equal(new DateTimeOffset(2027, 3, 28, 4, 0, 0, TimeSpan.FromHours(3)), instant);
    }

    [Theory]
    [InlineData("P2D")]
    [InlineData("PT30M")]
    [InlineData("P6M")]
    [InlineData("P1Y2M3DT4H5M6S")]
    [InlineData("PT36H")]
    public void ToString_ParsedDuration_RoundTrips(string text)
    {
        var duration = IsoDuration.Parse(text);

        Assert.Equal(text, duration.ToString());
        Assert.Equal(duration, IsoDuration.Parse(duration.ToString()));
    }

    [Fact]
    public void ToString_Weeks_WritesDays()
    {
        Assert.Equal("P7D", IsoDuration.Parse("P1W").ToString());
    }

    [Fact]
    public void ToString_Zero_WritesP0D()
    {
        Assert.Equal("P0D", IsoDuration.Zero.ToString());
        Assert.True(IsoDuration.Zero.IsZero);
    }
}
