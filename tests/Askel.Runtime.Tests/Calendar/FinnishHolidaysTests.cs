using Askel.Runtime.Calendar;

namespace Askel.Runtime.Tests.Calendar;

public sealed class FinnishHolidaysTests
{
    [Theory]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2038, 4, 25)]
    [InlineData(2285, 3, 22)]
    public void Easter_KnownYears_MatchesTheChurchCalendar(int year, int month, int day)
    {
        var easter = FinnishHolidays.Easter(year);

        Assert.Equal(new DateOnly(year, month, day), easter);
        Assert.Contains(FinnishHolidays.For(year), h => h.Date == easter && h.FinnishName == "pääsiäispäivä");
    }

    [Fact]
    public void For_2026_ListsEveryHolidayInDateOrder()
    {
        var holidays = FinnishHolidays.For(2026);

        Assert.Equal(
            [
                new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 6), new DateOnly(2026, 4, 3), new DateOnly(2026, 4, 5),
                new DateOnly(2026, 4, 6), new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 14), new DateOnly(2026, 5, 24),
                new DateOnly(2026, 6, 19), new DateOnly(2026, 6, 20), new DateOnly(2026, 10, 31), new DateOnly(2026, 12, 6),
                new DateOnly(2026, 12, 24), new DateOnly(2026, 12, 25), new DateOnly(2026, 12, 26),
            ],
            holidays.Select(h => h.Date));
    }

    [Fact]
    public void For_AnyYear_MarksOnlyMidsummerEveAndChristmasEveAsDeFacto()
    {
        var deFacto = FinnishHolidays.For(2026).Where(h => !h.IsOfficialHoliday).Select(h => h.FinnishName);

        Assert.Equal(["juhannusaatto", "jouluaatto"], deFacto);
    }

    [Fact]
    public void For_AnyYear_NamesInFinnishAndEnglish()
    {
        var midsummer = Assert.Single(FinnishHolidays.For(2027), h => h.FinnishName == "juhannuspäivä");

        Assert.Equal(new Holiday(new DateOnly(2027, 6, 26), "juhannuspäivä", "Midsummer Day", true), midsummer);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10000)]
    public void For_YearOutOfRange_Throws(int year)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FinnishHolidays.For(year));
    }

    [Theory]
    [InlineData(2026, 6, 20)]
    [InlineData(2027, 6, 26)]
    public void For_MidsummerDay_IsKnownDate(int year, int month, int day)
    {
        var holiday = Assert.Single(FinnishHolidays.For(year), h => h.EnglishName == "Midsummer Day");

        Assert.Equal(new DateOnly(year, month, day), holiday.Date);
    }

    [Theory]
    [InlineData(2026, 10, 31)]
    [InlineData(2027, 11, 6)]
    public void For_AllSaintsDay_IsKnownDate(int year, int month, int day)
    {
        var holiday = Assert.Single(FinnishHolidays.For(year), h => h.FinnishName == "pyhäinpäivä");

        Assert.Equal(new DateOnly(year, month, day), holiday.Date);
    }

    [Fact]
    public void For_Years1900To2200_HaveOneMidsummerDayOnASaturdayBetween20And26June()
    {
        for (var year = 1900; year <= 2200; year++)
        {
            var midsummer = Assert.Single(FinnishHolidays.For(year), h => h.FinnishName == "juhannuspäivä");
            var eve = Assert.Single(FinnishHolidays.For(year), h => h.FinnishName == "juhannusaatto");

            Assert.Equal(DayOfWeek.Saturday, midsummer.Date.DayOfWeek);
            Assert.InRange(midsummer.Date, new DateOnly(year, 6, 20), new DateOnly(year, 6, 26));
            Assert.Equal(midsummer.Date.AddDays(-1), eve.Date);
        }
    }

    [Fact]
    public void For_Years1900To2200_HaveEasterOnASundayBetween22MarchAnd25April()
    {
        for (var year = 1900; year <= 2200; year++)
        {
            var easter = FinnishHolidays.Easter(year);

            Assert.Equal(DayOfWeek.Sunday, easter.DayOfWeek);
            Assert.InRange(easter, new DateOnly(year, 3, 22), new DateOnly(year, 4, 25));
        }
    }

    [Fact]
    public void For_Years1900To2200_HaveAllSaintsOnASaturdayBetween31OctoberAnd6November()
    {
        for (var year = 1900; year <= 2200; year++)
        {
            var allSaints = Assert.Single(FinnishHolidays.For(year), h => h.FinnishName == "pyhäinpäivä");

            Assert.Equal(DayOfWeek.Saturday, allSaints.Date.DayOfWeek);
            Assert.InRange(allSaints.Date, new DateOnly(year, 10, 31), new DateOnly(year, 11, 6));
            Assert.Equal(15, FinnishHolidays.For(year).Count);
        }
    }

    [Theory]
    [InlineData(2026, 12, 24)]
    [InlineData(2026, 6, 19)]
    [InlineData(2026, 5, 1)]
    [InlineData(2026, 4, 3)]
    [InlineData(2026, 4, 6)]
    public void IsHoliday_HolidayOrDeFactoDayOff_ReturnsTrue(int year, int month, int day)
    {
        Assert.True(FinnishHolidays.IsHoliday(new DateOnly(year, month, day)));
    }

    [Theory]
    [InlineData(2026, 12, 23)]
    [InlineData(2026, 12, 27)]
    [InlineData(2026, 6, 21)]
    public void IsHoliday_OrdinaryDay_ReturnsFalse(int year, int month, int day)
    {
        Assert.False(FinnishHolidays.IsHoliday(new DateOnly(year, month, day)));
    }

    [Theory]
    [InlineData(2026, 3, 10, true)]
    [InlineData(2026, 3, 14, false)]
    [InlineData(2026, 3, 15, false)]
    [InlineData(2026, 5, 14, false)]
    [InlineData(2026, 12, 24, false)]
    public void IsWorkingDay_Date_IsWeekdayThatIsNoHoliday(int year, int month, int day, bool expected)
    {
        Assert.Equal(expected, FinnishHolidays.IsWorkingDay(new DateOnly(year, month, day)));
    }

    [Theory]
    [InlineData(2027, 1, 2027, 1, 4)]
    [InlineData(2026, 5, 2026, 5, 4)]
    [InlineData(2026, 3, 2026, 3, 2)]
    [InlineData(2026, 6, 2026, 6, 1)]
    [InlineData(2026, 1, 2026, 1, 2)]
    public void FirstWorkingDayOfMonth_Month_SkipsWeekendsAndHolidays(int year, int month, int expectedYear, int expectedMonth, int expectedDay)
    {
        Assert.Equal(new DateOnly(expectedYear, expectedMonth, expectedDay), FinnishHolidays.FirstWorkingDayOfMonth(year, month));
    }
}
