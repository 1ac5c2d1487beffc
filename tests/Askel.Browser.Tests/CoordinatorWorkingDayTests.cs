using System.Text;
using Askel.App.Coordinator;
using Askel.App.LocalHost;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Client;
using Askel.Testing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Askel.Browser.Tests;

/// <summary>
/// A coordinator's working morning in Chromium, on the virtual clock against Azurite: the digest email leads to the work
/// queue; a bounced number is corrected, a phone call logged, a task done before it escalates (a colleague's task left
/// undone escalates), a caseload handed over and a 1,000-row file imported through its preview. Every page passes axe.
/// </summary>
public sealed class CoordinatorWorkingDayTests(ChromiumFixture chromium, ITestOutputHelper output) : BrowserTest(chromium, output)
{
    private const string Me = "coordinator@askel.local";
    private const string Colleague = "coach@askel.local";

    // Thursday 7 January 2027, 08:00 in Helsinki: the first working morning after the exit tasks opened (6 January is Epiphany).
    private static readonly DateTimeOffset Morning = new(2027, 1, 7, 6, 0, 0, TimeSpan.Zero);

    private AskelKestrelFactory _app = null!;

    static CoordinatorWorkingDayTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public async Task AWorkingMorning_FromTheDigestThroughTheQueue_ToAHandoverAndAnImport()
    {
        // The morning digest is run by the test, once, at the hour it chooses: the app's own schedule is switched off.
        await using var app = await AskelKestrelFactory.StartAsync(Output, new Dictionary<string, string> { ["AzureWebJobs.digest-daily.Disabled"] = "true" });
        _app = app;
        var participants = Service<ParticipantService>();
        var demo = Service<ProjectCatalog>().Find("demo")!;
        var eura = Service<ProjectCatalog>().Find("demo-eura")!;

        // Six weeks before: two participants of the demo project reach their exit forms' tasks; in the ESF+ project,
        // one with a number that bounced and one more, both in this coordinator's care.
        var aino = await participants.EnrolAsync(demo, new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", "040 123 4567", IntakeInPerson: false), Me, CancellationToken.None);
        var eero = await participants.EnrolAsync(demo, new Enrolment("Eero", "Mäkinen", "fi", "eero@example.org", "040 222 3333", IntakeInPerson: false), Me, CancellationToken.None);
        var bo = await participants.EnrolAsync(eura, new Enrolment("Bo", "Lind", "sv", null, "040 765 4321", IntakeInPerson: false), Me, CancellationToken.None);
        var celine = await participants.EnrolAsync(eura, new Enrolment("Céline", "Dubois", "en", "celine@example.org", null, IntakeInPerson: false), Me, CancellationToken.None);
        await Service<ContactChannels>().MarkAsync(bo, "sms", ContactChannels.Invalid, "gateway: unknown subscriber", CancellationToken.None);
        await AdvanceToAsync(new DateTimeOffset(2026, 12, 8, 8, 0, 0, TimeSpan.Zero)); // the entry links expired: entry tasks
        foreach (var person in new[] { aino, eero })
        {
            var row = (await participants.FindAsync("demo", person.Id, CancellationToken.None))!;
            Assert.Null(await participants.CompleteTaskAsync(demo, row, "entry-task", "answered-by-phone", null, Me, CancellationToken.None));
            await _app.Services.SettleAsync();
            await participants.MarkLeftAsync(row, new DateOnly(2026, 12, 8), Me, CancellationToken.None);
        }

        await AdvanceToAsync(Morning);
        Assert.Equal("exit-task", (await Service<IWorkflowClient>().StatusAsync(aino.InstanceId, CancellationToken.None))!.Step);

        // 08:00: the digest names the items by first name only and links to the landing page.
        await RunDigestAsync();
        var digest = await File.ReadAllTextAsync(Path.Combine(_app.DataPath, "outbox", $"digest.2027-01-07.{Uri.EscapeDataString(Me)}.eml"));
        Assert.Contains($"To: {Me}", digest, StringComparison.Ordinal);
        Assert.Contains(CoordinatorTexts.Get("today-tasks", "fi", ("count", "4")) + ": ", digest, StringComparison.Ordinal);
        Assert.Contains(CoordinatorTexts.Get("today-contacts", "fi", ("count", "1")) + ": Bo", digest, StringComparison.Ordinal);
        Assert.DoesNotContain("Virtanen", digest, StringComparison.Ordinal);
        Assert.Contains("/coordinator\n", digest.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);

        await Context.SetExtraHTTPHeadersAsync([new("X-MS-CLIENT-PRINCIPAL", SummaryAccessibilityTests.Principal(Me, "coordinator"))]);
        await OpenAsync("coordinator?lang=fi");
        var queue = await MainTextAsync();
        Assert.Contains("Loppulomake puuttuu neljän yrityksen jälkeen", queue, StringComparison.Ordinal);
        Assert.Contains("Bo Lind (Askel demo ESF+ project (EURA 2021)): puhelinnumero ei toimi", queue, StringComparison.Ordinal);

        // The bounced number: corrected from the queue's link; the number works again and leaves the queue.
        await ClickAsync($"a[href*='{bo.Id}'][href$='#details']");
        await Page.Locator("#details-phone").FillAsync("040 765 9999");
        await SubmitAsync("#details");
        var fixedBo = (await participants.FindAsync("demo-eura", bo.Id, CancellationToken.None))!;
        Assert.Equal(("+358407659999", (string?)null), (fixedBo.Phone, fixedBo.SmsState));
        await OpenAsync("coordinator?lang=fi");
        Assert.DoesNotContain(CoordinatorTexts.Get("today-contacts", "fi", ("count", "1")), await MainTextAsync(), StringComparison.Ordinal);

        // Aino's task: a call logged on her timeline, then the task done — days before it is due.
        await ClickAsync($"a[href*='{aino.Id}'][href$='#task-exit-task']");
        await Page.Locator("#attempt-kind").SelectOptionAsync("phone");
        await Page.Locator("#attempt-outcome").SelectOptionAsync("reached");
        await SubmitAsync("#log-attempt");
        Assert.Contains(CoordinatorTexts.Get("attempt-phone", "fi"), await Page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await Page.Locator("#outcome-exit-task").SelectOptionAsync("answered-by-phone");
        await SubmitAsync("#task-exit-task");
        await _app.Services.SettleAsync();
        Assert.Equal("six-month-wait", (await Service<IWorkflowClient>().StatusAsync(aino.InstanceId, CancellationToken.None))!.Step);

        // Two weeks on: Eero's task, left undone, reminded the coordinator and then the managers; Aino's reminded nobody.
        var before = Outbox();
        await AdvanceToAsync(Morning.AddDays(15));
        // Eero's instance sends nothing else from his task step but its reminders; Aino's sends nothing until six months on.
        var sent = Outbox().Except(before).Select(Path.GetFileName).ToList();
        var reminders = sent.Where(f => f!.StartsWith(eero.InstanceId + ".", StringComparison.Ordinal)).Select(f => File.ReadAllText(Path.Combine(_app.DataPath, "outbox", f!))).ToList();
        Assert.Equal(2, reminders.Count);
        Assert.Contains(reminders, r => r.Contains($"To: {Me}\r\n", StringComparison.Ordinal));
        Assert.Contains(reminders, r => r.Contains("To: manager@askel.local\r\n", StringComparison.Ordinal));
        Assert.DoesNotContain(sent, f => f!.StartsWith(aino.InstanceId + ".", StringComparison.Ordinal));

        // The ESF+ project's caseload goes to a colleague; the history keeps who did it.
        await OpenAsync("coordinator/projects/demo-eura?lang=fi");
        await Page.Locator("#handover-from").SelectOptionAsync(Me);
        await Page.Locator("#handover-to").SelectOptionAsync(Colleague);
        await SubmitAsync("#handover");
        Assert.Contains(CoordinatorTexts.Get("handover-done", "fi", ("count", "2")), await MainTextAsync(), StringComparison.Ordinal);
        foreach (var person in new[] { bo, celine })
        {
            Assert.Equal(Colleague, (await participants.FindAsync("demo-eura", person.Id, CancellationToken.None))!.Coordinator);
        }

        // A thousand rows from the coordinator's old Excel sheet: previewed with each broken row's reason, then enrolled.
        await OpenAsync("coordinator/projects/demo/import?lang=fi");
        await Page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "osallistujat.csv", MimeType = "text/csv", Buffer = ThousandRows() });
        await SubmitAsync("form[enctype='multipart/form-data']");
        var preview = await MainTextAsync();
        Assert.Contains(CoordinatorTexts.Get("import-preview-counts", "fi", ("rows", "1000"), ("valid", "995"), ("skipped", "5")), preview, StringComparison.Ordinal);
        Assert.Contains(CoordinatorTexts.Get("import-formula", "fi"), preview, StringComparison.Ordinal);
        Assert.Contains(CoordinatorTexts.Get("import-duplicate-in-file", "fi"), preview, StringComparison.Ordinal);
        Assert.Contains(CoordinatorTexts.Get("import-language-invalid", "fi"), preview, StringComparison.Ordinal);
        Assert.Equal(2, (await participants.ListAsync("demo", "test", CancellationToken.None)).Count); // nothing saved yet
        await Page.Locator("label[for='sendIntake']").ClickAsync(); // the links are shown in meetings
        await SubmitAsync($"form[action^='/coordinator/projects/demo/import/']");
        await _app.Services.SettleAsync();
        Assert.Equal(997, (await participants.ListAsync("demo", "test", CancellationToken.None)).Count);
    }

    private T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private async Task AdvanceToAsync(DateTimeOffset at)
    {
        _app.Time.Advance(at - _app.Time.GetUtcNow());
        await _app.Services.SettleAsync();
    }

    private Task RunDigestAsync() =>
        LocalTimers.RunOnceAsync(Service<LocalFunctions>().Timers.Single(f => f.Name == "digest-daily"), _app.Services, new TimerInfo(), CancellationToken.None);

    private string[] Outbox() => Directory.GetFiles(Path.Combine(_app.DataPath, "outbox"));

    /// <summary>Opens a page, expects 200, and checks it with axe.</summary>
    private async Task OpenAsync(string path)
    {
        var response = await Page.GotoAsync(_app.Url(path));
        Assert.True(response!.Status == 200, $"{path}: {response.Status}");
        await Axe.AssertNoAxeViolationsAsync(Page);
    }

    private async Task ClickAsync(string selector)
    {
        await Page.Locator(selector).First.ClickAsync();
        await Page.WaitForLoadStateAsync();
        await Axe.AssertNoAxeViolationsAsync(Page);
    }

    /// <summary>Presses the submit button of the form in <paramref name="selector"/>; the answer is a page without errors.</summary>
    private async Task SubmitAsync(string selector)
    {
        var response = await ParticipantPages.PressAsync(Page, $"{selector} button[type=submit] >> nth=0");
        Assert.True(response.Status == 200, $"{selector}: {response.Status} on {Page.Url}");
        Assert.Equal(0, await Page.Locator(".err, .summary").CountAsync());
        await Axe.AssertNoAxeViolationsAsync(Page);
    }

    private async Task<string> MainTextAsync() => await Page.Locator("main").InnerTextAsync();

    // Finnish Excel's "CSV (semicolon separated)" in Windows-1252: five broken rows among a thousand.
    private static byte[] ThousandRows()
    {
        var broken = new Dictionary<int, string>
        {
            [10] = "Testi;Virhe;12ab;;fi;;",
            [20] = "Testi;Kaksonen;040 100 0018;;fi;;",
            [30] = "Testi;Kieli;040 100 0029;;xx;;",
            [40] = "=SUM(A1);Kaava;040 100 0039;;fi;;",
            [50] = "Testi;Päivä;040 100 0049;;fi;31.2.2026;",
        };
        var csv = new StringBuilder("Etunimi;Sukunimi;Puhelin;Sähköposti;Kieli;Aloituspäivä;Koordinaattori\r\n");
        for (var i = 1; i <= 1000; i++)
        {
            csv.Append(broken.GetValueOrDefault(i, $"Äijä{i};Järvinen;040 100 {i - 1:D4};;{(i % 3 == 0 ? "ruotsi" : "fi")};3.11.2026;{Me}")).Append("\r\n");
        }

        return Encoding.GetEncoding(1252).GetBytes(csv.ToString());
    }
}
