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

    [Theory]
    [InlineData("fi")]
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
