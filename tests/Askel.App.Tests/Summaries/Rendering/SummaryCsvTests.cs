using System.Text;
using Askel.App.Summaries.Rendering;

namespace Askel.App.Tests.Summaries.Rendering;

public sealed class SummaryCsvTests
{
    private static readonly SummaryTable Hostile = new("hostile", "Vihamielinen", ["Teksti", "Luku"],
    [
        [SummaryCell.Of("=cmd|' /C calc'!A0"), SummaryCell.Of(-22, CellFormat.Signed)],
        [SummaryCell.Of("+1"), SummaryCell.Of(3.5, CellFormat.Decimal)],
        [SummaryCell.Of("-1+2"), SummaryCell.Of(0.45, CellFormat.Percent)],
        [SummaryCell.Of("@SUM(1)"), SummaryCell.Of(1234, CellFormat.Integer)],
        [SummaryCell.Of("\tx"), SummaryCell.Of(null, CellFormat.Percent)],
        [SummaryCell.Of("a;b \"c\"\r\nd"), SummaryCell.Of(-3, CellFormat.Integer)],
    ]);

    [Fact]
    public void Write_StartsWithTheUtf8ByteOrderMark()
    {
        var bytes = SummaryCsv.Write([Hostile], "fi");

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Contains("Vihamielinen", Encoding.UTF8.GetString(bytes[3..]), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_PrefixesFormulaLikeText_WithAnApostrophe()
    {
        var rows = Parse(SummaryCsv.Write([Hostile], "fi"));

        Assert.Equal(["Vihamielinen"], rows[0]);
        Assert.Equal(["Teksti", "Luku"], rows[1]);
        Assert.Equal("'=cmd|' /C calc'!A0", rows[2][0]);
        Assert.Equal("'+1", rows[3][0]);
        Assert.Equal("'-1+2", rows[4][0]);
        Assert.Equal("'@SUM(1)", rows[5][0]);
        Assert.Equal("'\tx", rows[6][0]);
    }

    [Fact]
    public void Write_QuotesSeparatorsQuotesAndLineBreaks_SoTheFieldRoundTrips()
    {
        var bytes = SummaryCsv.Write([Hostile], "fi");
        var rows = Parse(bytes);

        Assert.Equal("a;b \"c\"\r\nd", rows[7][0]);
        Assert.Contains("\"a;b \"\"c\"\"\r\nd\";-3\r\n", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Finnish_WritesNumbersFinnishExcelReadsAsNumbers()
    {
        var rows = Parse(SummaryCsv.Write([Hostile], "fi"));

        Assert.Equal("-22", rows[2][1]);
        Assert.Equal("3,5", rows[3][1]);
        Assert.Equal("45%", rows[4][1]);
        Assert.Equal("1234", rows[5][1]);
        Assert.Equal("", rows[6][1]);
    }

    [Fact]
    public void Write_English_UsesADecimalPoint()
    {
        var rows = Parse(SummaryCsv.Write([Hostile], "en"));

        Assert.Equal("3.5", rows[3][1]);
        Assert.Equal("-22", rows[2][1]);
    }

    [Fact]
    public void Write_EndsEveryLineWithCrLf_AndSeparatesTablesWithAnEmptyLine()
    {
        var second = new SummaryTable("second", "Toinen", ["A"], [[SummaryCell.Of(1, CellFormat.Integer)]]);
        var text = Encoding.UTF8.GetString(SummaryCsv.Write([new("first", "Ensimmäinen", ["A", "B"], [[SummaryCell.Of("x"), SummaryCell.Of(2, CellFormat.Integer)]]), second], "fi")[3..]);

        Assert.Equal("Ensimmäinen\r\nA;B\r\nx;2\r\n\r\nToinen\r\nA\r\n1\r\n", text);
    }

    [Fact]
    public void Write_SummaryTables_HoldsEveryTableAndNoParticipantId()
    {
        var summary = SampleSummary.October2026();
        var tables = SummaryTables.Of(summary, "fi");

        var text = Encoding.UTF8.GetString(SummaryCsv.Write(tables, "fi"));
        var rows = Parse(SummaryCsv.Write(tables, "fi"));

        Assert.All(tables, t => Assert.Contains(rows, r => r.Count == 1 && r[0] == t.Title));
        Assert.Contains(rows, r => r.SequenceEqual(["Loppukysely", "5", "4", "51", "39", "76,5%", "3", "6"]));
        Assert.Contains(rows, r => r.SequenceEqual(["Työttömät", "-3", "-22"]));
        Assert.All(SampleSummary.ParticipantIds, id => Assert.DoesNotContain(id, text, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("\r=1", "'\r=1")]
    [InlineData("\uFF1D1+1", "'\uFF1D1+1")]
    [InlineData("Tampere", "Tampere")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    public void Neutralise_PrefixesOnlyFormulaStarts(string text, string expected) =>
        Assert.Equal(expected, SummaryCsv.Neutralise(text));

    /// <summary>An RFC 4180 reader with <c>;</c> between fields, written here so the test does not trust the writer.</summary>
    private static List<List<string>> Parse(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes.AsSpan(3));
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ';')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        Assert.Empty(row);
        Assert.Equal(0, field.Length);
        return rows;
    }
}
