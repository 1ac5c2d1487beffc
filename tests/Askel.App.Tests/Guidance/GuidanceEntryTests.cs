using Askel.App.Guidance;

namespace Askel.App.Tests.Guidance;

/// <summary>The rules of an anonymous guidance contact: a recent date, answers from their lists, age and gender optional.</summary>
public sealed class GuidanceEntryTests
{
    private static readonly DateOnly Today = new(2026, 12, 4);

    private static GuidanceEntry Valid => new(new string('a', 32), "2026-12-04", "walk-in", "work", "uk", "18-29", "woman");

    [Fact]
    public void AnEntryWithEveryAnswer_OrWithoutAgeAndGender_HasNoProblems()
    {
        Assert.Empty(Valid.Check(Today));
        Assert.Empty((Valid with { AgeGroup = "", Gender = "" }).Check(Today));
        Assert.Empty((Valid with { Date = "2026-10-03" }).Check(Today)); // 62 days back
    }

    [Theory]
    [InlineData("2026-12-05")] // tomorrow
    [InlineData("2026-10-02")] // 63 days back
    [InlineData("2026-02-30")]
    [InlineData("4.12.2026")]
    [InlineData("")]
    public void ADateInTheFuture_TooOld_OrNotADay_IsRefused(string date) =>
        Assert.Equal(new[] { ("date", "guidance-date-invalid") }, (Valid with { Date = date }).Check(Today));

    [Fact]
    public void AnAnswerNotInItsList_IsRefused_ByField()
    {
        var entry = new GuidanceEntry(new string('a', 32), "2026-12-04", "email", "=HYPERLINK(\"x\")", "de", "40", "other");

        Assert.Equal(
            new[] { ("channel", "guidance-channel-invalid"), ("topic", "guidance-topic-invalid"), ("language", "guidance-language-invalid"), ("ageGroup", "guidance-age-invalid"), ("gender", "guidance-gender-invalid") },
            entry.Check(Today));
    }

    [Fact]
    public void ChannelTopicAndLanguage_MustBeAnswered() =>
        Assert.Equal(
            new[] { "channel", "topic", "language" },
            (Valid with { Channel = "", Topic = "", Language = "" }).Check(Today).Select(p => p.Field));
}
