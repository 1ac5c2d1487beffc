using System.Net;
using System.Text;
using Askel.App.Summaries.Rendering;
using DocumentFormat.OpenXml.Packaging;

namespace Askel.App.Tests.Summaries.Rendering;

public sealed class SummaryEmailTests
{
    private const string Url = "https://askel.example.fi/summaries/polku-tampere?month=2026-10&lang=fi";

    [Fact]
    public void Render_Finnish_SubjectNamesProjectAndMonth()
    {
        var mail = SummaryEmail.Render(SampleSummary.October2026(), "fi", Url);

        Assert.Equal("Askel: Polku työhön – Tampere – kuukausiyhteenveto lokakuu 2026", mail.Subject);
        Assert.Equal("Askel: Polku työhön – Tampere – monthly summary October 2026", SummaryEmail.Render(SampleSummary.October2026(), "en", Url).Subject);
    }

    [Fact]
    public void Render_Html_HasTheKeyFiguresInTheHeadline()
    {
        var html = SummaryEmail.Render(SampleSummary.October2026(), "fi", Url).Html;

        var text = WebUtility.HtmlDecode(html).Replace('\u00A0', ' ');
        Assert.Contains("Kuukauden aikana aloitti 7 ja lähti 5 osallistujaa (projektin alusta 96 ja 51).", text, StringComparison.Ordinal);
        Assert.Contains("Loppukysely on saatu 39 lähteneeltä 51:stä (76 %).", text, StringComparison.Ordinal);
        Assert.Contains("Töihin tai koulutukseen siirtyi kuukauden lähteneistä 3, projektin alusta 51 lähteneestä 27 (53 %).", text, StringComparison.Ordinal);
        Assert.Contains("Myöhässä olevia lomakkeita nyt: 5.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Html_IsAPhoneFriendlyOneColumnLayout_WithRightAlignedNumbers()
    {
        var html = SummaryEmail.Render(SampleSummary.October2026(), "fi", Url).Html;

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"fi\" dir=\"ltr\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html, StringComparison.Ordinal);
        Assert.Contains("max-width:640px", html, StringComparison.Ordinal);
        Assert.Contains("overflow-x:auto", html, StringComparison.Ordinal);
        Assert.Contains("text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;\">39</td>", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\" dir=\"ltr\">", SummaryEmail.Render(SampleSummary.October2026(), "en", Url).Html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"sv\" dir=\"ltr\">", SummaryEmail.Render(SampleSummary.October2026(), "sv", Url).Html, StringComparison.Ordinal); // the renderer can; the delivery sends Finnish
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_Html_ShowsWarningsFirst_TheChartWithDescriptiveAltText_AndTheLink()
    {
        var html = SummaryEmail.Render(SampleSummary.October2026(), "fi", Url).Html;

        var decoded = WebUtility.HtmlDecode(html);
        var warning = decoded.IndexOf("Projektilla ei ole esihenkilöitä", StringComparison.Ordinal);
        Assert.InRange(warning, 0, decoded.IndexOf("Kuukauden aikana aloitti", StringComparison.Ordinal));
        Assert.Contains("<img src=\"cid:trend\" width=\"600\" alt=\"Kaavio:", html, StringComparison.Ordinal);
        Assert.Contains("lokakuu 2026: aloitti 7, lähti 5, töihin tai koulutukseen 3", decoded, StringComparison.Ordinal);
        Assert.Contains("href=\"https://askel.example.fi/summaries/polku-tampere?month=2026-10&amp;lang=fi\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("\"><script>alert(1)</script>")]
    public void Render_Html_EncodesHostileNames(string projectName)
    {
        var mail = SummaryEmail.Render(SampleSummary.Hostile(projectName), "fi", Url);

        Assert.DoesNotContain(projectName, mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", mail.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img src=x", mail.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Single(AllIndexes(mail.Html, "<img "));
        var decoded = WebUtility.HtmlDecode(mail.Html);
        Assert.Contains(projectName, decoded, StringComparison.Ordinal);
        Assert.Contains("<script>alert(1)</script>", decoded, StringComparison.Ordinal);
        Assert.Contains(projectName, mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Subject_KeepsAHostileNameOnOneLine()
    {
        var mail = SummaryEmail.Render(SampleSummary.Hostile("Polku\r\nBcc: everyone@example.org"), "fi", Url);

        Assert.DoesNotContain('\r', mail.Subject);
        Assert.DoesNotContain('\n', mail.Subject);
        Assert.StartsWith("Askel: Polku  Bcc: everyone@example.org – ", mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Text_HasTheKeyFiguresTheWarningAndTheLink()
    {
        var text = SummaryEmail.Render(SampleSummary.October2026(), "en", Url).Text;

        Assert.Contains("In the month 7 participants started and 5 left (96 and 51 since the project began).", text, StringComparison.Ordinal);
        Assert.Contains("Exit forms received: 39 of 51 (76%).", text, StringComparison.Ordinal);
        Assert.Contains("To work or education: 3 of the month's leavers; 27 of 51 leavers since the project began (53%).", text, StringComparison.Ordinal);
        Assert.Contains("The project has no managers", text, StringComparison.Ordinal);
        Assert.Contains("Open the summary in Askel: " + Url, text, StringComparison.Ordinal);
        Assert.Contains("Exit form | 5 | 4 | 51 | 39 | 76% | 3", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Attachments_AreTheInlineChartTheWorkbookAndTheCsv()
    {
        var mail = SummaryEmail.Render(SampleSummary.October2026(), "fi", Url);

        Assert.Collection(mail.Attachments,
            png =>
            {
                Assert.Equal("askel-polku-tampere-2026-10-trend.png", png.FileName);
                Assert.Equal("image/png", png.ContentType);
                Assert.Equal("trend", png.ContentId);
                Assert.Equal(0x89, png.Content[0]);
            },
            xlsx =>
            {
                Assert.Equal("askel-polku-tampere-2026-10.xlsx", xlsx.FileName);
                Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.ContentType);
                Assert.Null(xlsx.ContentId);
                using var document = SpreadsheetDocument.Open(new MemoryStream(xlsx.Content), isEditable: false);
                Assert.Equal(17, document.WorkbookPart!.WorksheetParts.Count());
            },
            csv =>
            {
                Assert.Equal("askel-polku-tampere-2026-10.csv", csv.FileName);
                Assert.Equal("text/csv", csv.ContentType);
                Assert.Null(csv.ContentId);
                Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, csv.Content[..3]);
            });
    }

    [Fact]
    public void Render_HoldsNoParticipantId_InAnyPart()
    {
        var mail = SummaryEmail.Render(SampleSummary.October2026(), "fi", Url);

        var csv = Encoding.UTF8.GetString(mail.Attachments.Single(a => a.FileName.EndsWith(".csv", StringComparison.Ordinal)).Content);
        Assert.All(SampleSummary.ParticipantIds, id =>
        {
            Assert.DoesNotContain(id, mail.Html, StringComparison.Ordinal);
            Assert.DoesNotContain(id, mail.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(id, csv, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("/summaries/polku")]
    [InlineData("")]
    public void Render_RefusesALinkThatIsNoWebAddress(string url) =>
        Assert.Throws<ArgumentException>(() => SummaryEmail.Render(SampleSummary.October2026(), "fi", url));

    private static List<int> AllIndexes(string text, string part)
    {
        var found = new List<int>();
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            found.Add(i);
        }

        return found;
    }
}
