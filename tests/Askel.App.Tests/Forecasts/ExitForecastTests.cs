using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Askel.App.Summaries;
using Askel.App.Summaries.Rendering;
using Askel.App.Forecasts;
using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Tests.Coordinator;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Forecasts;

/// <summary>
/// Calibration and the early warning on a seeded history whose outcome is known: 50 participants who left in June were
/// sent the exit form as the lifecycle sends it (email, SMS, email, SMS); 10 answered the first email, 20 the first SMS,
/// 20 never. Counted by hand, the project's rates and the seven participants whose exit forms are still to come.
/// </summary>
public sealed class ExitForecastTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    // 102 days before the demo project's end (2027-12-31): 15 weeks, inside the warning's 26.
    private static readonly DateTimeOffset Now = new(2027, 9, 20, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LeftInJune = new(2027, 6, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TheProfile_IsTheProjectsOwn_PerChannelAttemptAndLanguage()
    {
        await SeedAsync();

        var calibration = await Get<ResponseHistory>().CalibrateAsync(Demo, "manager@askel.local", CancellationToken.None);

        // 50 × a1 + 40 × a2 + 20 × a3 + 20 × a4. Left out: the message still open, the retried one, the failed one, and the
        // feedback form's (its arrival is not kept). h00's first message was logged before effects named their attempt: its id says it.
        Assert.Equal(130, calibration.Messages);
        Assert.Equal(59, calibration.Participants);
        var profile = calibration.Profile;
        Assert.Equal(10 / 50.0, profile.RateOf("email", 1, "fi"));
        Assert.Equal(20 / 40.0, profile.RateOf("sms", 2, "fi"));
        Assert.Equal(0, profile.RateOf("email", 3, "fi"));
        Assert.Equal(0, profile.RateOf("sms", 4, "fi"));
        Assert.Equal(10 / 70.0, profile.RateOf("email", 2, "fi"), 10); // never seen: the channel's rate over every attempt
        Assert.Equal(20 / 60.0, profile.RateOf("sms", 1, "fi"), 10);
        Assert.Equal(0.2, profile.RateOf("email", 1, "sv")); // no Swedish history: the attempt's rate over every language
    }

    [Fact]
    public async Task TheWarning_CountsTheExitFormsStillToCome_AndThoseAtRisk()
    {
        await SeedAsync();
        var participants = await Get<ParticipantService>().ListAsync("demo", "test", CancellationToken.None);

        var warning = await Get<ExitForecasts>().WarnAsync(Demo, participants, "manager@askel.local", CancellationToken.None);

        // Still to come: c1–c6 and h50. At risk: c2 (email only: 1 − 0.8 × 6/7 × 1 × 6/7 ≈ 41 %), c4 and c5 (no channel), and c6, who
        // left three days ago and has only the third and fourth messages to come, which nobody has answered.
        // Not at risk: c1 (both channels, 60 %), c3 (SMS only, 78 %) and h50 (left two days ago: the first SMS still to come, 50 %).
        Assert.NotNull(warning);
        Assert.Equal((new DateOnly(2027, 12, 31), 15, 7, 4, 2), (warning.EndDate, warning.WeeksLeft, warning.Pending, warning.AtRisk, warning.NoChannel));

        Factory.Time.SetUtcNow(new DateTimeOffset(2027, 6, 1, 8, 0, 0, TimeSpan.Zero).AddYears(1)); // past the end: no warning
        Assert.Null(await Get<ExitForecasts>().WarnAsync(Demo, participants, "manager@askel.local", CancellationToken.None));
    }

    [Fact]
    public async Task TheWorkQueue_AndTheMonthlySummary_SayIt()
    {
        await SeedAsync();
        const string Sentence = "Askel demo project ends on 2027-12-31, in 15 weeks: 4 of the 7 exit forms still to come are at risk; 2 of them have no working channel.";

        using var coordinator = await SignInAsync("coordinator@askel.local");
        var today = WebUtility.HtmlDecode(await coordinator.GetStringAsync("/coordinator?lang=en"));
        Assert.Contains("Exit forms at risk", today, StringComparison.Ordinal);
        Assert.Contains(Sentence, today, StringComparison.Ordinal);

        using var manager = await SignInAsync("manager@askel.local");
        var summary = WebUtility.HtmlDecode(await manager.GetStringAsync("/coordinator/projects/demo/summary?month=2027-08&lang=en"));
        Assert.Contains(Sentence, summary, StringComparison.Ordinal);
        Assert.Contains("/coordinator/simulate?project=demo&lang=en", summary, StringComparison.Ordinal);
        // The email says it too, in Finnish.
        var built = await Get<SummaryService>().BuildAsync(Demo, "2027-08", CancellationToken.None) with
        {
            ExitForecast = await Get<ExitForecasts>().ForSummaryAsync(Demo, "2027-08", SummaryDelivery.Actor, CancellationToken.None),
        };
        Assert.Contains(
            "Projekti päättyy 31.12.2027, 15 viikon päästä: 4/7 vielä tulevasta lähtölomakkeesta on vaarassa jäädä saamatta; 2 heistä ei tavoita mikään toimiva kanava.",
            SummaryEmail.Render(built, "fi", "https://askel.example/s").Text, StringComparison.Ordinal);

        // An older month's summary says how things stood then, not now.
        var older = WebUtility.HtmlDecode(await manager.GetStringAsync("/coordinator/projects/demo/summary?month=2027-06&lang=en"));
        Assert.DoesNotContain(Sentence, older, StringComparison.Ordinal);
    }

    private Project Demo => Get<ProjectCatalog>().Find("demo")!;

    private T Get<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    private async Task SeedAsync()
    {
        Factory.Time.SetUtcNow(Now);
        var rows = Get<ParticipantTables>().Participants;
        var log = Get<MessageLog>();

        // History: left on 1 June; h00–h09 answered the first email, h10–h29 the first SMS, h30–h49 never.
        for (var i = 0; i < 50; i++)
        {
            var answered = i < 10 ? LeftInJune.AddDays(1) : i < 30 ? LeftInJune.AddDays(4) : (DateTimeOffset?)null;
            var participant = await AddAsync(rows, $"h{i:D2}", email: true, phone: true, left: LeftInJune, exitReceived: answered);
            var sent = i < 10 ? 1 : i < 30 ? 2 : 4;
            for (var attempt = 1; attempt <= sent; attempt++)
            {
                await SendAsync(log, participant, attempt, LeftInJune.AddDays(new[] { 0, 3, 7, 12 }[attempt - 1]), LeftInJune.AddDays(28));
            }
        }

        // A retry still in progress and a failed message never reached them; a form that reports nothing has no known arrival;
        // a link still open has no outcome yet.
        var h01 = (await Get<ParticipantService>().FindAsync("demo", "h01", CancellationToken.None))!;
        await SendAsync(log, h01, 1, LeftInJune, LeftInJune.AddDays(28), "retrying", "exit2");
        await SendAsync(log, h01, 1, LeftInJune, LeftInJune.AddDays(28), "failed", "exit3");
        await SendAsync(log, h01, 1, LeftInJune, LeftInJune.AddDays(28), entry: "feedback1", form: "example-feedback");
        var open = await AddAsync(rows, "h50", email: true, phone: true, left: Now.AddDays(-2), exitReceived: null);
        await SendAsync(log, open, 1, Now.AddDays(-2), Now.AddDays(26));

        // Now: c1–c5 still in coaching, c6 left 3½ days ago, c7 has sent the exit form in, c8's link expired.
        await AddAsync(rows, "c1", email: true, phone: true);
        await AddAsync(rows, "c2", email: true, phone: false);
        await AddAsync(rows, "c3", email: false, phone: true);
        await AddAsync(rows, "c4", email: true, phone: false, change: p => p.EmailState = ContactChannels.Invalid);
        await AddAsync(rows, "c5", email: false, phone: true, change: p => p.SmsState = ContactChannels.OptedOut);
        await AddAsync(rows, "c6", email: true, phone: true, left: Now.AddDays(-3.5));
        await AddAsync(rows, "c7", email: true, phone: true, left: Now.AddDays(-5), exitReceived: Now.AddDays(-4));
        await AddAsync(rows, "c8", email: true, phone: true, left: Now.AddDays(-40));
    }

    private static async Task<Participant> AddAsync(
        Azure.Data.Tables.TableClient rows, string id, bool email, bool phone, DateTimeOffset? left = null, DateTimeOffset? exitReceived = null, Action<Participant>? change = null)
    {
        var participant = new Participant
        {
            PartitionKey = "demo", RowKey = id, FirstName = id, Language = "fi", EnrolledBy = "coordinator@askel.local", EnrolledAt = LeftInJune.AddMonths(-3),
            Email = email ? $"{id}@example.org" : null, Phone = phone ? "+358401234567" : null, LeftAt = left, ExitReceivedAt = exitReceived, LastContactAt = Now,
        };
        change?.Invoke(participant);
        await rows.AddEntityAsync(participant);
        return participant;
    }

    // An exit-form message of the lifecycle, as the workflow's effect names it.
    private static Task SendAsync(
        MessageLog log, Participant participant, int attempt, DateTimeOffset at, DateTimeOffset expires, string status = "sent", string entry = "exit1", string form = "esf-exit")
    {
        var channel = attempt % 2 == 1 ? "email" : "sms";
        var effect = new JsonObject
        {
            ["form"] = form, ["attempt"] = attempt, ["channel"] = channel, ["language"] = "fi", ["step"] = "exit",
            ["expiresAt"] = expires.ToString("o", CultureInfo.InvariantCulture),
        };
        if (participant.Id == "h00")
        {
            effect.Remove("attempt");
        }

        var result = status switch
        {
            "sent" => new DeliveryResult(DeliveryOutcome.Accepted, "x", null),
            "failed" => new DeliveryResult(DeliveryOutcome.Permanent, null, "no such address"),
            _ => new DeliveryResult(DeliveryOutcome.Transient, null, "busy"),
        };
        return log.RecordSendAsync($"{participant.InstanceId}.{entry}.a{attempt}", channel, "file", result, effect, CancellationToken.None, firstAttempt: at);
    }
}
