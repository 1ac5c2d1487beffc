using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Askel.App.Audit;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Summaries.Rendering;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Askel.App.Tests.Coordinator.CoordinatorBrowser;

namespace Askel.App.Tests.Coordinator;

/// <summary>
/// Importing a project's existing participants: a preview with each row's problems in the user's language, nothing
/// written until confirmed, only the valid rows enrolled, and the same file imported again enrols nobody twice.
/// </summary>
public sealed class ImportTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    static ImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public async Task AThousandRowCsvFromExcel_WithBrokenRows_PreviewsThenEnrolsTheValidOnesOnce()
    {
        // Finnish Excel's "CSV (semicolon separated)": Windows-1252, ';', CRLF. Row i is on line i + 1 (after the header);
        // six rows are broken, one is in the project already.
        var broken = new Dictionary<int, string>
        {
            [10] = "Testi;Virhe;12ab;;fi;;", // a number that is not one
            [20] = "Testi;Kaksonen;040 100 0018;;fi;;", // the number of row 19
            [30] = "Testi;Kieli;040 100 0029;;xx;;", // a language Askel does not speak
            [40] = "=SUM(A1);Kaava;040 100 0039;;fi;;", // would run as a formula
            [50] = "Testi;Päivä;040 100 0049;;fi;31.2.2026;", // no such day
            [60] = "Testi;Tuntematon;040 100 0059;;fi;;someone@else.fi", // not a coordinator of the project
            [70] = "Testi;Jo mukana;040 100 0069;;fi;;", // enrolled before the import
        };
        var csv = new StringBuilder("Etunimi;Sukunimi;Puhelin;Sähköposti;Kieli;Aloituspäivä;Koordinaattori\r\n");
        for (var i = 1; i <= 1000; i++)
        {
            csv.Append(broken.GetValueOrDefault(i, $"Äijä{i};Järvinen;040 100 {i - 1:D4};;{(i % 3 == 0 ? "ruotsi" : "fi")};3.11.2026;coordinator@askel.local")).Append("\r\n");
        }

        var file = Encoding.GetEncoding(1252).GetBytes(csv.ToString());
        var service = App.Services.GetRequiredService<ParticipantService>();
        var demo = App.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        await service.EnrolAsync(demo, new Enrolment("Jo", "Mukana", "fi", null, "040 100 0069", IntakeInPerson: true), "coordinator@askel.local", CancellationToken.None);
        using var client = await SignInAsync("coordinator@askel.local");

        using var preview = await UploadAsync(client, file, "osallistujat.csv");
        var page = WebUtility.HtmlDecode(await preview.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("Tiedostossa on 1000 riviä: 993 lisätään, 7 ei lisätä. Mitään ei ole vielä tallennettu.", page, StringComparison.Ordinal);
        Assert.Contains("<td>11</td><td>Testi Virhe</td><td>Matkapuhelinnumero ei ole kelvollinen", page, StringComparison.Ordinal);
        Assert.Contains("<td>21</td><td>Testi Kaksonen</td><td>Sama sähköposti tai numero on jo aiemmalla rivillä.", page, StringComparison.Ordinal);
        Assert.Contains("<td>31</td><td>Testi Kieli</td><td>Tuntematon kieli", page, StringComparison.Ordinal);
        Assert.Contains("<td>41</td><td>=SUM(A1) Kaava</td><td>Teksti alkaa merkillä", page, StringComparison.Ordinal);
        Assert.Contains("<td>51</td><td>Testi Päivä</td><td>Aloituspäivä ei ole päivämäärä", page, StringComparison.Ordinal);
        Assert.Contains("<td>61</td><td>Testi Tuntematon</td><td>Koordinaattori ei ole", page, StringComparison.Ordinal);
        Assert.Contains("<td>71</td><td>Testi Jo mukana</td><td>Sama sähköposti tai numero on jo projektissa.", page, StringComparison.Ordinal);
        Assert.Contains("Äijä1 Järvinen", page, StringComparison.Ordinal); // Windows-1252 read as such
        Assert.Single(await service.ListAsync("demo", "test", CancellationToken.None)); // nothing written yet

        var confirm = System.Text.RegularExpressions.Regex.Match(page, "action=\"(/coordinator/projects/demo/import/[0-9a-f]{32})\"").Groups[1].Value;
        using var confirmed = await PostAsync(client, "/coordinator/projects/demo", confirm); // sendIntake unticked: shown in a meeting, no SMS
        Assert.Equal(HttpStatusCode.SeeOther, confirmed.StatusCode);
        Assert.Contains("importing=993&skipped=7", confirmed.Headers.Location!.ToString(), StringComparison.Ordinal);
        await App.Services.SettleAsync(); // the import runs as a Durable orchestration, fifty rows an activity
        var enrolled = await service.ListAsync("demo", "test", CancellationToken.None);

        Assert.Equal(994, enrolled.Count);
        var third = enrolled.Single(p => p.FirstName == "Äijä3");
        Assert.Equal(("sv", "in-person", new DateOnly(2026, 11, 3)), (third.Language, third.Intake, third.JoinedOn()));
        var audit = await App.Services.GetRequiredService<AuditLog>().ReadAsync("demo", null, 2000, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "import" && a.Detail == "993 enrolled");

        // The same file again: every valid row is in the project already.
        using var again = await UploadAsync(client, file, "osallistujat.csv");
        Assert.Contains("Tiedostossa on 1000 riviä: 0 lisätään, 1000 ei lisätä.", WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        using var replay = await PostAsync(client, "/coordinator/projects/demo", confirm);
        await App.Services.SettleAsync();
        Assert.Equal(994, (await service.ListAsync("demo", "test", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task AnXlsxWorkbook_IsReadFromItsFirstSheet_AndAFileWithoutTheColumnsIsRefused()
    {
        var table = new SummaryTable("p", "Osallistujat", ["First name", "Last name", "Email", "Language"],
            [[SummaryCell.Of("Aino"), SummaryCell.Of("Virtanen"), SummaryCell.Of("aino@example.org"), SummaryCell.Of("en")]]);
        using var client = await SignInAsync("coordinator@askel.local");

        using var xlsx = await UploadAsync(client, SummaryWorkbook.Xlsx(table, "en"), "list.xlsx");
        using var noColumns = await UploadAsync(client, Encoding.UTF8.GetBytes("Nimi;Osoite\r\nAino;Kotikatu 1\r\n"), "list.csv");
        using var notAFile = await UploadAsync(client, [0x50, 0x4B, 0x03, 0x04, 0x00, 0x01], "broken.xlsx");

        Assert.Contains("Tiedostossa on 1 riviä: 1 lisätään, 0 ei lisätä.", WebUtility.HtmlDecode(await xlsx.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noColumns.StatusCode);
        Assert.Contains("Tiedostosta puuttuu sarakkeita: etunimi, sukunimi, puhelin tai sähköposti.", WebUtility.HtmlDecode(await noColumns.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notAFile.StatusCode);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] file, string name)
    {
        var form = await client.GetStringAsync("/coordinator/projects/demo/import");
        var token = WebUtility.HtmlDecode(TokenField().Match(form).Groups[1].Value);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__af" },
            { new ByteArrayContent(file) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, "file", name },
        };
        return await client.PostAsync("/coordinator/projects/demo/import", content);
    }
}
