using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace Askel.App.Summaries.Rendering;

/// <summary>
/// The summary's one trend chart: starts and exits per month as bars and those who left to work or education as
/// a line, over the twelve months of <see cref="MonthlySummary.Trend"/>, as a PNG for the email.
/// </summary>
/// <remarks>
/// Drawn with ScottPlot on SkiaSharp (native assets without system dependencies). The font is DejaVu Sans, embedded
/// in the assembly and handed to ScottPlot by a font resolver, so text renders on a host with no fonts at all
/// (Flex Consumption's Linux image promises none). The image is drawn at twice its shown size
/// (<see cref="PixelWidth"/> × <see cref="PixelHeight"/>, shown at <see cref="Width"/> × <see cref="Height"/>) so it
/// stays sharp on phones and high-density screens. The line is a count on the same axis as the bars, not a second
/// axis: how many of the month's leavers went to work or education reads straight against the exits bar.
/// </remarks>
public static class SummaryChart
{
    /// <summary>The width the email shows the chart at, in CSS pixels.</summary>
    public const int Width = 600;

    /// <summary>The height the email shows the chart at, in CSS pixels.</summary>
    public const int Height = 320;

    /// <summary>The PNG's width in pixels.</summary>
    public const int PixelWidth = Width * Scale;

    /// <summary>The PNG's height in pixels.</summary>
    public const int PixelHeight = Height * Scale;

    /// <summary>The media type of the image.</summary>
    public const string ContentType = "image/png";

    private const int Scale = 2;
    private const string FontName = "Askel DejaVu Sans";
    private const string FontResource = "Askel.App.Summaries.Rendering.Fonts.DejaVuSans.ttf";

    // Okabe–Ito colours: told apart with every common colour vision deficiency.
    private static readonly Color StartsColour = Color.FromHex("#0072B2");
    private static readonly Color ExitsColour = Color.FromHex("#E69F00");
    private static readonly Color LineColour = Color.FromHex("#222222");

    private static readonly Lazy<SKTypeface> EmbeddedTypeface = new(LoadTypeface);
    private static readonly Lock Registration = new();
    private static bool registered;

    /// <summary>The chart as PNG bytes, labelled in <paramref name="language"/>.</summary>
    public static byte[] Png(MonthlySummary summary, string language)
    {
        ArgumentNullException.ThrowIfNull(summary);
        RegisterFont();
        string T(string key) => SummaryTexts.Get(key, language);

        var plot = new Plot { ScaleFactor = Scale };
        plot.Font.Set(FontName);
        var points = summary.Trend;
        var positions = Enumerable.Range(0, points.Count).Select(i => (double)i).ToArray();

        var bars = new List<Bar>(points.Count * 2);
        for (var i = 0; i < points.Count; i++)
        {
            bars.Add(new Bar { Position = i - 0.2, Value = points[i].Starts, Size = 0.38, FillColor = StartsColour, LineWidth = 0 });
            bars.Add(new Bar { Position = i + 0.2, Value = points[i].Exits, Size = 0.38, FillColor = ExitsColour, LineWidth = 0 });
        }

        plot.Add.Bars(bars);
        if (points.Count > 0)
        {
            var line = plot.Add.Scatter(positions, [.. points.Select(p => (double)p.ToWorkOrEducation)]);
            line.Color = LineColour;
            line.LineWidth = 2;
            line.MarkerSize = 6;
        }

        plot.Legend.ManualItems.Add(new LegendItem { LabelText = T("starts"), FillColor = StartsColour });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = T("exits"), FillColor = ExitsColour });
        plot.Legend.ManualItems.Add(new LegendItem
        {
            LabelText = T("col-work-or-education"),
            LineColor = LineColour,
            LineWidth = 2,
            MarkerShape = MarkerShape.FilledCircle,
            MarkerFillColor = LineColour,
            MarkerSize = 6,
        });
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.OutlineWidth = 0;
        plot.Legend.ShadowColor = Colors.Transparent;

        plot.Axes.Bottom.SetTicks(positions, [.. points.Select((p, i) => MonthLabel(p.Month, first: i == 0, language))]);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        var highest = points.Count == 0 ? 0 : points.Max(p => Math.Max(Math.Max(p.Starts, p.Exits), p.ToWorkOrEducation));
        plot.Axes.SetLimits(-0.6, Math.Max(points.Count, 1) - 0.4, 0, Math.Max(4, highest * 1.12));
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        plot.Title(T("table-trend"));

        // Larger than ScottPlot's defaults: on a phone the 600 px image shows at about half size.
        plot.Axes.Title.Label.FontSize = 18;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Legend.FontSize = 14;

        return plot.GetImageBytes(PixelWidth, PixelHeight, ImageFormat.Png);
    }

    /// <summary>
    /// What the chart shows, for its <c>alt</c> text: every month's starts, exits and leavers to work or education,
    /// so a screen reader (or a client that blocks images) loses nothing.
    /// </summary>
    public static string AltText(MonthlySummary summary, string language)
    {
        ArgumentNullException.ThrowIfNull(summary);
        string T(string key) => SummaryTexts.Get(key, language);
        var culture = SummaryTexts.Culture(language);
        var months = summary.Trend.Select(p => string.Format(
            culture, T("chart-alt-month"), SummaryTexts.MonthName(p.Month, language), p.Starts, p.Exits, p.ToWorkOrEducation));
        return string.Format(culture, T("chart-alt"), string.Join("; ", months));
    }

    private static string MonthLabel(string month, bool first, string language)
    {
        if (!DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return month;
        }

        var name = day.ToString("MMM", SummaryTexts.Culture(language)).TrimEnd('.');
        return first || day.Month == 1 ? name + "\n" + day.Year.ToString(CultureInfo.InvariantCulture) : name;
    }

    private static void RegisterFont()
    {
        lock (Registration)
        {
            if (!registered)
            {
                Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver());
                registered = true;
            }
        }
    }

    private static SKTypeface LoadTypeface()
    {
        using var stream = typeof(SummaryChart).Assembly.GetManifestResourceStream(FontResource)
            ?? throw new InvalidOperationException($"The chart font {FontResource} is not embedded in the assembly.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);

        // A typeface may read its data lazily, so it gets its own copy rather than the resource stream.
        return SKTypeface.FromData(SKData.CreateCopy(bytes.ToArray()))
            ?? throw new InvalidOperationException($"The chart font {FontResource} could not be read.");
    }

    /// <summary>The embedded font for every weight and slant of <see cref="FontName"/>; other names fall through to ScottPlot's resolvers.</summary>
    private sealed class EmbeddedFontResolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            fontName == FontName ? EmbeddedTypeface.Value : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            fontName == FontName ? EmbeddedTypeface.Value : null;
    }

    /// <summary>The embedded typeface (tests check it loads without system fonts).</summary>
    internal static SKTypeface Typeface => EmbeddedTypeface.Value;
}
