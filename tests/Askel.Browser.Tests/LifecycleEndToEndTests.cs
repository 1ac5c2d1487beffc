using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Client;
using Askel.Testing;
using Askel.Runtime.Engine;
using Askel.Runtime.Forms;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.Browser.Tests;

/// <summary>
/// A participant's whole way through the demo project on the virtual clock, against Azurite, every form
/// answered in Chromium through the link in the message that carried it.
/// </summary>
public sealed partial class LifecycleEndToEndTests(ChromiumFixture chromium, ITestOutputHelper output) : BrowserTest(chromium, output)
{
    private const string Language = "uk";
    private const string Phone = "+358401234567";
    private const string Email = "oksana.kovalenko@example.org";

    private AskelKestrelFactory _app = null!;
    private readonly HashSet<string> _seenMessages = new(StringComparer.Ordinal);

    [Fact]
    public async Task Participant_AnswersEntryExitAndSixMonthForms_InUkrainian_AndTheWorkflowIsFollowedUp()
    {
        await using var app = await AskelKestrelFactory.StartAsync(Output);
        _app = app;
        var workflows = Service<IWorkflowClient>();
        var participants = Service<ParticipantService>();
        var links = Service<FormLinks>();
        var texts = Service<PageTexts>();
        var project = Service<ProjectCatalog>().Find("demo")!;

        // Enrolment: the intake link goes out by SMS, in Ukrainian.
        var participant = await participants.EnrolAsync(
            project, new Enrolment("Оксана", "Коваленко", Language, Email, "040 123 4567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
        var intake = Assert.Single(NewMessages(participant.InstanceId), m => m.EndsWith(".sms.json", StringComparison.Ordinal));
        var sms = JsonNode.Parse(await File.ReadAllTextAsync(intake))!;
        Assert.Equal(Phone, sms["to"]!.GetValue<string>());
        Assert.Equal(Language, sms["language"]!.GetValue<string>());
        var smsText = sms["text"]!.GetValue<string>();
        Output.WriteLine($"intake SMS: {smsText}");
        Assert.Contains("Оксана", smsText, StringComparison.Ordinal);
        Assert.DoesNotContain("Коваленко", smsText, StringComparison.Ordinal);
        Assert.Matches(Cyrillic(), smsText.Replace("Оксана", "", StringComparison.Ordinal));
        var entryToken = ParticipantPages.TokenIn(smsText);
        Assert.NotNull(entryToken);

        // The entry form: one mistake first, then every page.
        var entry = Service<FormCatalog>().Find("esf-entry")!;
        var opened = await Page.GotoAsync(_app.Url($"f/{entryToken}"));
        Assert.Equal(200, opened!.Status);
        await ParticipantPages.AssertFrameAsync(Page, Language);
        Assert.Equal(entry.Title.For(Language), await ParticipantPages.HeadingAsync(Page));

        await Page.Locator("#q-birthDate-day").FillAsync("5");
        await Page.Locator("#q-birthDate-month").FillAsync("6");
        await Page.Locator("#q-birthDate-year").FillAsync("1990");
        var refused = await ParticipantPages.PressAsync(Page);
        Assert.Equal(422, refused.Status);
        Assert.True(await Page.Locator(".summary").IsVisibleAsync());
        Assert.Equal(texts.Get("errors-title", Language), (await Page.Locator(".summary h2").InnerTextAsync()).Trim());
        var summary = Assert.Single(await Page.Locator(".summary li a").AllAsync());
        Assert.StartsWith(entry.Question("gender")!.Label.For(Language) + ":", (await summary.InnerTextAsync()).Trim(), StringComparison.Ordinal);
        Assert.Equal("#q-gender-error", "#" + (await Page.Locator(".err").GetAttributeAsync("id")));
        Assert.Equal("5", await Page.Locator("#q-birthDate-day").InputValueAsync());
        Assert.Equal("6", await Page.Locator("#q-birthDate-month").InputValueAsync());
        Assert.Equal("1990", await Page.Locator("#q-birthDate-year").InputValueAsync());
        await ParticipantPages.AssertFrameAsync(Page, Language);
        await Axe.AssertNoAxeViolationsAsync(Page);

        await ChooseAsync(entry, "gender", "woman");
        await NextAsync(entry, "work");
        await ChooseAsync(entry, "labourStatus", "employed");
        await NextAsync(entry, "education");
        await ChooseAsync(entry, "education", "vocational");
        await NextAsync(entry, "background");
        await ChooseAsync(entry, "citizenship", "non-eu");
        await ChooseAsync(entry, "foreignBackground", "yes");
        await ChooseAsync(entry, "homeless", FormLoader.Declined);
        await NextAsync(entry, "consent");
        await Page.Locator("label[for='q-privacy']").ClickAsync();
        Assert.True(await Page.Locator("#q-privacy").IsCheckedAsync());
        await SendAsync(entryToken, entry);

        await _app.Services.SettleAsync();

        var instance = await workflows.StatusAsync(participant.InstanceId, CancellationToken.None);
        Assert.Equal("coaching", instance!.Step);
        var row = await participants.FindAsync("demo", participant.Id, CancellationToken.None);
        Assert.Equal("employed", row!.StatusAtEntry);
        Assert.NotNull(row.EntryReceivedAt);

        // The same link again: already answered, said kindly.
        var again = await Page.GotoAsync(_app.Url($"f/{entryToken}"));
        Assert.Equal(200, again!.Status);
        Assert.Equal(texts.Get("link-used-title", Language), await ParticipantPages.HeadingAsync(Page));
        Assert.Equal(0, await Page.Locator("form").CountAsync());

        // Leaving: the exit form goes out by email.
        await participants.MarkLeftAsync(row, DateOnly.FromDateTime(_app.Time.GetUtcNow().UtcDateTime), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
        var exitMail = Assert.Single(NewMessages(participant.InstanceId));
        Assert.EndsWith(".eml", exitMail, StringComparison.Ordinal);
        var mail = await File.ReadAllTextAsync(exitMail);
        Assert.Contains($"To: {Email}", mail, StringComparison.Ordinal);
        Assert.Contains($"Content-Language: {Language}", mail, StringComparison.Ordinal);
        var exitToken = ParticipantPages.TokenIn(mail);
        Assert.NotNull(exitToken);

        // A newer link replaces it: the old one says so (410), the new one opens the form.
        var replacement = await links.CurrentAsync(row, "form:esf-exit", _app.Time.GetUtcNow().AddDays(28), replace: true, CancellationToken.None);
        Assert.NotEqual(exitToken, replacement);
        var superseded = await Page.GotoAsync(_app.Url($"f/{exitToken}"));
        Assert.Equal(410, superseded!.Status);
        Assert.Equal(texts.Get("link-superseded-title", Language), await ParticipantPages.HeadingAsync(Page));
        await ParticipantPages.AssertFrameAsync(Page, Language);
        await Axe.AssertNoAxeViolationsAsync(Page);

        var exit = Service<FormCatalog>().Find("esf-exit")!;
        Assert.Equal(200, (await Page.GotoAsync(_app.Url($"f/{replacement}")))!.Status);
        Assert.Equal(exit.Title.For(Language), await ParticipantPages.HeadingAsync(Page));
        await ChooseAsync(exit, "working", "employee");
        await ChooseAsync(exit, "studying", "no");
        await ChooseAsync(exit, "qualification", "yes");
        await NextAsync(exit, "feedback");
        await ChooseAsync(exit, "satisfaction", "4");
        await Page.Locator("#q-feedback").FillAsync("Дякую, все було добре.");
        await SendAsync(replacement, exit);

        await _app.Services.SettleAsync();

        instance = await workflows.StatusAsync(participant.InstanceId, CancellationToken.None);
        Assert.Equal("six-month-wait", instance!.Step);
        Assert.Equal(InstanceStatus.Waiting, instance.Status);

        // Six months (181 days) and a day later, before its first reminder is due: the follow-up survey by SMS.
        _app.Time.Advance(TimeSpan.FromDays(182));
        await _app.Services.SettleAsync();
        instance = await workflows.StatusAsync(participant.InstanceId, CancellationToken.None);
        Assert.Equal("six-month", instance!.Step);
        var sixMonthSms = Assert.Single(NewMessages(participant.InstanceId));
        Assert.EndsWith(".sms.json", sixMonthSms, StringComparison.Ordinal);
        var sixMonthText = JsonNode.Parse(await File.ReadAllTextAsync(sixMonthSms))!["text"]!.GetValue<string>();
        Output.WriteLine($"six-month SMS: {sixMonthText}");
        var sixMonthToken = ParticipantPages.TokenIn(sixMonthText);
        Assert.NotNull(sixMonthToken);

        var sixMonth = Service<FormCatalog>().Find("esf-six-month")!;
        Assert.Equal(200, (await Page.GotoAsync(_app.Url($"f/{sixMonthToken}")))!.Status);
        Assert.Equal(sixMonth.Title.For(Language), await ParticipantPages.HeadingAsync(Page));
        await ChooseAsync(sixMonth, "working", "employee");
        await ChooseAsync(sixMonth, "improved", "yes");
        await ChooseAsync(sixMonth, "studying", "no");
        await SendAsync(sixMonthToken, sixMonth);

        await _app.Services.SettleAsync();

        instance = await workflows.StatusAsync(participant.InstanceId, CancellationToken.None);
        Assert.Equal(InstanceStatus.Completed, instance!.Status);
        Assert.Equal("followed-up", instance.Outcome);
        row = await participants.FindAsync("demo", participant.Id, CancellationToken.None);
        Assert.NotNull(row!.ExitReceivedAt);
        Assert.NotNull(row.SixMonthReceivedAt);

        // A link whose time runs out while it is unanswered: it opens the form until then, the expired page after.
        var feedbackToken = await links.CurrentAsync(row, "form:example-feedback", _app.Time.GetUtcNow().AddDays(1), replace: false, CancellationToken.None);
        Assert.Equal(200, (await Page.GotoAsync(_app.Url($"f/{feedbackToken}")))!.Status);
        Assert.Equal(1, await Page.Locator("input[name='q.satisfaction']").First.CountAsync());
        _app.Time.Advance(TimeSpan.FromDays(2));
        await _app.Services.SettleAsync();
        var expired = await Page.GotoAsync(_app.Url($"f/{feedbackToken}"));
        Assert.Equal(410, expired!.Status);
        Assert.Equal(texts.Get("link-expired-title", Language), await ParticipantPages.HeadingAsync(Page));
        await ParticipantPages.AssertFrameAsync(Page, Language);
        await Axe.AssertNoAxeViolationsAsync(Page);
    }

    private T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>
    /// The participant's messages written to the outbox since the last look, oldest name first (the managers' monthly
    /// summary, which the virtual clock may bring on the way, is not theirs).
    /// </summary>
    private List<string> NewMessages(string instanceId)
    {
        var folder = Path.Combine(_app.DataPath, "outbox");
        var all = Directory.Exists(folder)
            ? Directory.GetFiles(folder)
                .Where(f => Path.GetFileName(f).StartsWith(instanceId + ".", StringComparison.Ordinal))
                .Where(f => f.EndsWith(".eml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [];
        var fresh = all.Where(_seenMessages.Add).ToList();
        foreach (var file in fresh)
        {
            Output.WriteLine($"outbox: {Path.GetFileName(file)}");
        }

        return fresh;
    }

    /// <summary>Chooses an answer by clicking its label, as a person would.</summary>
    private async Task ChooseAsync(FormDefinition form, string questionId, string value)
    {
        var question = form.Question(questionId)!;
        var values = question.Type switch
        {
            QuestionType.YesNo => ["yes", "no"],
            QuestionType.Scale => ["1", "2", "3", "4", "5"],
            _ => question.Options.Select(o => o.Value).ToList(),
        };
        if (question.PreferNotToAnswer)
        {
            values.Add(FormLoader.Declined);
        }

        var index = values.IndexOf(value);
        Assert.True(index >= 0, $"{questionId} has no option {value}.");
        var label = Page.Locator($"label[for='q-{questionId}-{index}']");
        if (question.Type == QuestionType.Choice && question.Options.FirstOrDefault(o => o.Value == value) is { } option)
        {
            Assert.Equal(option.Label.For(Language), (await label.InnerTextAsync()).Trim());
        }

        await label.ClickAsync();
        Assert.True(await Page.Locator($"#q-{questionId}-{index}").IsCheckedAsync(), $"Clicking the label of {questionId}={value} did not choose it.");
    }

    /// <summary>Presses Next and expects <paramref name="pageId"/>.</summary>
    private async Task NextAsync(FormDefinition form, string pageId)
    {
        var response = await ParticipantPages.PressAsync(Page);
        Assert.True(response.Status == 200, $"Next gave {response.Status} on {Page.Url}: {await Page.Locator(".summary").AllInnerTextsAsync().ContinueWith(t => string.Join(" | ", t.Result), TaskScheduler.Default)}");
        Assert.Contains($"page={pageId}", Page.Url, StringComparison.Ordinal);
        Assert.Equal(form.Pages.Single(p => p.Id == pageId).Title.For(Language), (await Page.Locator("form h2").InnerTextAsync()).Trim());
    }

    /// <summary>Presses Send and expects the thank-you page.</summary>
    private async Task SendAsync(string token, FormDefinition form)
    {
        Assert.Equal("send", await Page.Locator("button.primary").GetAttributeAsync("value"));
        var response = await ParticipantPages.PressAsync(Page);
        Assert.True(response.Status == 200, $"Send gave {response.Status} on {Page.Url}.");
        Assert.EndsWith($"/f/{token}/done?lang={Language}", Page.Url, StringComparison.Ordinal);
        Assert.Equal(Service<PageTexts>().Get("thanks-title", Language), await ParticipantPages.HeadingAsync(Page));
        if (form.Thanks is { } thanks)
        {
            var firstLine = thanks.For(Language).Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Split(". ")[0].Trim();
            Assert.Contains(firstLine.Split('!')[0], await Page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        }

        await ParticipantPages.AssertFrameAsync(Page, Language);
    }

    [GeneratedRegex(@"\p{IsCyrillic}{5,}")]
    private static partial Regex Cyrillic();
}
