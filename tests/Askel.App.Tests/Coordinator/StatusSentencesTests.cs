using System.Text.RegularExpressions;
using Askel.App.Coordinator;
using Askel.Runtime.Client;
using Askel.Runtime.Definitions;
using Askel.Runtime.Engine;
using Askel.Testing;

namespace Askel.App.Tests.Coordinator;

/// <summary>Statuses as sentences in the coordinator's language, from the demo workflow's step titles; and every text in Swedish.</summary>
public sealed partial class StatusSentencesTests
{
    private static readonly WorkflowDefinition Lifecycle =
        WorkflowLoader.Load(File.ReadAllText(Repository.Path("workflows", "participant-lifecycle.yaml")), "workflows/participant-lifecycle.yaml", null).Definition!;

    // 3 March 2027, 09:00 in Helsinki: the exit form went out; its attempts are P0D, P3D, P7D, P12D.
    private static readonly DateTimeOffset Sent = new(2027, 3, 3, 7, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("fi", "Loppulomake lähetetty 3.3., muistutus 2/3 tulossa 10.3. klo 9.00")]
    [InlineData("sv", "Slutblankett skickad 3.3., påminnelse 2/3 kommer 10.3. kl. 9.00")]
    [InlineData("en", "Exit form sent 3 Mar, reminder 2 of 3 due 10 Mar at 09:00")]
    public void ExitFormBetweenReminders_SaysWhenItWentAndWhatComesNext(string language, string expected)
    {
        var status = Status("exit", 2, new AwaitingForm("esf-exit"), new DurableTimer("5.attempt3", Sent.AddDays(7), "attempt"), new DurableTimer("5.expire", Sent.AddDays(28), "expire"));

        Assert.Equal(expected, Sentence(language, status, Sent.AddDays(5)));
    }

    [Fact]
    public void AllRemindersSent_SaysWhenAnswersClose()
    {
        // 28 days in Finnish time: summer time begins on the way, the link still closes at 9.
        var closes = Askel.Runtime.Calendar.IsoDuration.Parse("P28D").AddTo(Sent, Lifecycle.Calendar.TimeZone);
        var status = Status("exit", 4, new AwaitingForm("esf-exit"), new DurableTimer("5.expire", closes, "expire"));

        Assert.Equal("Loppulomake lähetetty 3.3., kaikki 3 muistutusta lähetetty, vastausaika päättyy 31.3. klo 9.00", Sentence("fi", status, Sent.AddDays(13)));
    }

    [Fact]
    public void TaskAndCoaching_UseTheTaskTitleAndTheStepTitle_WithTheYearWhenItIsAnother()
    {
        var task = Status("exit-task", 0, new AwaitingTask("exit-task"), new DurableTimer("6.escalate1", Sent.AddDays(35), "escalate"));
        var coaching = Status("coaching", 0, new AwaitingEvent("left"), new DurableTimer("4.timeout", new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero), "timeout"));

        Assert.Equal("Loppulomake puuttuu neljän yrityksen jälkeen – tehtävä koordinaattorille 3.3. alkaen", Sentence("fi", task, Sent.AddDays(30)));
        Assert.Equal("Coaching since 3 Mar, ends 1 Jan 2028 at the latest", Sentence("en", coaching, Sent.AddDays(30)));
    }

    [Fact]
    public void NoSentenceShowsAnId()
    {
        var now = Sent.AddDays(1);
        var statuses = new[]
        {
            Status("entry", 1, new AwaitingForm("esf-entry"), new DurableTimer("2.attempt2", now, "attempt")),
            Status("six-month-wait", 0, null, new DurableTimer("7.wait", now.AddMonths(6), "wait")),
            Status("done", 0, null) with { Status = InstanceStatus.Completed, Outcome = "followed-up" },
        };

        foreach (var language in CoordinatorTexts.Languages)
        {
            foreach (var status in statuses)
            {
                var sentence = Sentence(language, status, now);
                Assert.DoesNotMatch("esf-|six-month-wait|followed-up|form:|attempt|\\bentry\\b", sentence);
            }
        }
    }

    [Fact]
    public void EveryCoordinatorText_HasSwedish_WithTheSamePlaceholders()
    {
        foreach (var key in CoordinatorTexts.Keys)
        {
            var finnish = CoordinatorTexts.Get(key, "fi");
            var swedish = CoordinatorTexts.Get(key, "sv");
            Assert.False(string.IsNullOrWhiteSpace(swedish), key);
            Assert.Equal(Placeholders(finnish), Placeholders(swedish));
        }
    }

    private static string[] Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{[a-z]+\}")]
    private static partial Regex Placeholder();

    private static string Sentence(string language, WorkflowStatus status, DateTimeOffset now) =>
        StatusSentences.Of(new PageContext(language, "/coordinator", null, null), status, Lifecycle, _ => null, now);

    private static WorkflowStatus Status(string step, int attempt, Awaiting? awaiting, params DurableTimer[] timers) =>
        new("demo.p1", Lifecycle.Name, Lifecycle.Version, InstanceStatus.Waiting, step, 5, attempt, awaiting, timers, null, null, Sent.AddDays(-100), Sent, [])
        {
            StepEnteredAt = Sent,
        };
}
