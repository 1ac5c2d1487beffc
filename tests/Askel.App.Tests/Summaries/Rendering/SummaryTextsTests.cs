using System.Text.RegularExpressions;
using Askel.App.Summaries.Rendering;

namespace Askel.App.Tests.Summaries.Rendering;

public sealed partial class SummaryTextsTests
{
    [Fact]
    public void EveryKey_HasFinnishAndEnglish_WithTheSamePlaceholders()
    {
        Assert.NotEmpty(SummaryTexts.Keys);
        Assert.All(SummaryTexts.Keys, key =>
        {
            var fi = SummaryTexts.Get(key, "fi");
            var en = SummaryTexts.Get(key, "en");
            Assert.False(string.IsNullOrWhiteSpace(fi), $"{key} has no Finnish text");
            Assert.False(string.IsNullOrWhiteSpace(en), $"{key} has no English text");
            Assert.NotEqual(key, fi);
            Assert.Equal(Placeholders(fi), Placeholders(en));
        });
    }

    [Fact]
    public void EveryKey_HasSwedish_WithTheSamePlaceholders()
    {
        Assert.Equal(SummaryTexts.Keys.Order(StringComparer.Ordinal), SummaryTexts.SwedishKeys.Order(StringComparer.Ordinal)); // no key falls back to Finnish, none is left over
        Assert.All(SummaryTexts.Keys, key =>
        {
            var fi = SummaryTexts.Get(key, "fi");
            var sv = SummaryTexts.Get(key, "sv");
            Assert.False(string.IsNullOrWhiteSpace(sv), $"{key} has no Swedish text");
            Assert.NotEqual(key, sv);
            Assert.Equal(Placeholders(fi), Placeholders(sv));
        });
        Assert.Equal("Mål och utfall", SummaryTexts.Get("table-targets", "sv"));
        Assert.Equal("ESF+-outputindikatorer efter kön", SummaryTexts.Get("table-indicators", "sv"));
    }

    [Theory]
    [InlineData("fi", "fi-FI", "lokakuu 2026")]
    [InlineData("sv", "sv-FI", "oktober 2026")]
    [InlineData("en", "en-GB", "October 2026")]
    public void CultureAndMonthName_FollowTheLanguage(string language, string culture, string month)
    {
        Assert.Equal(culture, SummaryTexts.Culture(language).Name);
        Assert.Equal(month, SummaryTexts.MonthName("2026-10", language));
    }

    [Theory]
    [InlineData("fi", "45 %|3,5|\u22122")]
    [InlineData("sv", "45 %|3,5|\u22122")]
    [InlineData("en", "45%|3.5|\u22122")]
    public void Cells_ReadAsTheLanguageWritesNumbers(string language, string expected)
    {
        string[] cells =
        [
            SummaryCell.Of(0.45, CellFormat.Percent).Display(language),
            SummaryCell.Of(3.5, CellFormat.Decimal).Display(language),
            SummaryCell.Of(-2, CellFormat.Signed).Display(language),
        ];

        Assert.Equal(expected, string.Join('|', cells));
    }

    [Theory]
    [InlineData("fi")]
    [InlineData("sv")]
    [InlineData("en")]
    public void SummaryTables_UseNoKeyWithoutText(string language)
    {
        var tables = SummaryTables.Of(SampleSummary.October2026(), language);

        var words = tables.SelectMany(t => t.Columns.Append(t.Title).Concat(t.Rows.SelectMany(r => r.Select(c => c.Text ?? ""))));
        Assert.All(words, w => Assert.DoesNotMatch(KeyLike(), w));
    }

    private static string[] Placeholders(string text) =>
        [.. Regex.Matches(text, @"\{\d+\}").Select(m => m.Value).Distinct().Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"^(table|col|form|outcome|six|status|indicator|target|warning|headline|mail|chart|about|sheet)-")]
    private static partial Regex KeyLike();
}
