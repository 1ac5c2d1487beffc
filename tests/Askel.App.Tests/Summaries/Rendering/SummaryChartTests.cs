using System.Buffers.Binary;
using Askel.App.Summaries.Rendering;
using SkiaSharp;

namespace Askel.App.Tests.Summaries.Rendering;

public sealed class SummaryChartTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Png_IsAPngOfTwiceTheShownSize()
    {
        var png = SummaryChart.Png(SampleSummary.October2026(), "fi");

        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(1200, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(640, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.InRange(png.Length, 10_000, 300_000);
    }

    [Fact]
    public void Png_DrawsBothBarColoursTheLineAndText()
    {
        using var bitmap = SKBitmap.Decode(SummaryChart.Png(SampleSummary.October2026(), "en"));

        Assert.Equal(1200, bitmap.Width);
        var pixels = bitmap.Pixels;
        Assert.True(pixels.Count(p => Near(p, 0x00, 0x72, 0xB2)) > 5_000, "the starts bars are missing");
        Assert.True(pixels.Count(p => Near(p, 0xE6, 0x9F, 0x00)) > 5_000, "the exits bars are missing");
        Assert.True(pixels.Count(p => Near(p, 0x22, 0x22, 0x22)) > 1_000, "the line is missing");

        // The title sits in the top band, where no bar or line reaches: dark pixels there are glyphs.
        var titleInk = 0;
        for (var y = 0; y < 60; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var p = bitmap.GetPixel(x, y);
                titleInk += p.Red < 100 && p.Green < 100 && p.Blue < 100 ? 1 : 0;
            }
        }

        Assert.True(titleInk > 500, $"the title has {titleInk} dark pixels: text did not render");
    }

    [Fact]
    public void Png_IsTheSameEveryTime_AndTheEmbeddedFontSurvivesRepeatedUse()
    {
        var summary = SampleSummary.October2026();

        var first = SummaryChart.Png(summary, "fi");
        var second = SummaryChart.Png(summary, "fi");

        Assert.Equal(first, second);
        Assert.Equal("DejaVu Sans", SummaryChart.Typeface.FamilyName);
        Assert.True(SummaryChart.Typeface.GlyphCount > 1000);
        Assert.NotEqual(0, SummaryChart.Typeface.GetGlyph('ä'));
    }

    [Fact]
    public void Png_WithNoTrend_StillRenders()
    {
        var png = SummaryChart.Png(SampleSummary.October2026() with { Trend = [] }, "fi");

        Assert.Equal(PngSignature, png[..8]);
    }

    [Fact]
    public void AltText_GivesEveryMonthsNumbers()
    {
        var alt = SummaryChart.AltText(SampleSummary.October2026(), "fi");

        Assert.StartsWith("Kaavio:", alt, StringComparison.Ordinal);
        Assert.Contains("marraskuu 2025: aloitti 9, lähti 2, töihin tai koulutukseen 1", alt, StringComparison.Ordinal);
        Assert.Contains("lokakuu 2026: aloitti 7, lähti 5, töihin tai koulutukseen 3", alt, StringComparison.Ordinal);
        Assert.Contains("October 2026: 7 started, 5 left, 3 to work or education", SummaryChart.AltText(SampleSummary.October2026(), "en"), StringComparison.Ordinal);
    }

    private static bool Near(SKColor p, byte r, byte g, byte b) =>
        Math.Abs(p.Red - r) < 12 && Math.Abs(p.Green - g) < 12 && Math.Abs(p.Blue - b) < 12;
}
