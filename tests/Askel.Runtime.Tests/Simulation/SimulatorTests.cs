using System.Text.Json;
using Askel.Runtime.Definitions;
using Askel.Runtime.Engine;
using Askel.Runtime.Simulation;
using Askel.Testing;

namespace Askel.Runtime.Tests.Simulation;

public sealed class SimulatorTests
{
    private const int Participants = 24;

    private static readonly Dictionary<string, double> NobodyAnswers = new(StringComparer.Ordinal) { ["sms"] = 1.0, ["email"] = 1.0 };

    private static WorkflowDefinition Example { get; } = WorkflowCatalog.Load(Repository.Path("workflows")).Get("form-chase-example");

    [Fact]
    public void Run_EveryoneAnswers_CapturesEveryFormWithTheFirstAttemptOnly()
    {
        var report = Run(new ParticipantBehaviour());

        var form = Assert.Single(report.Forms);
        Assert.Equal(("example-feedback", Participants, Participants), (form.Form, form.Asked, form.Answered));
        Assert.Equal(100.0, form.RatePercent);
        Assert.All(report.Sends, s => Assert.EndsWith(".a1", s.EffectId, StringComparison.Ordinal));
        Assert.Equal(Participants, report.TotalMessages);
        var day = Assert.Single(report.SendsPerDay);
        Assert.Equal([KeyValuePair.Create("sms", Participants), KeyValuePair.Create("email", 0)], day.ByChannel);
        Assert.Equal(0, report.TasksOpened);
        var final = Assert.Single(report.FinalStates);
        Assert.Equal((InstanceStatus.Completed, "answered", Participants), (final.Status, final.Detail, final.Count));
        Assert.NotNull(report.AllFinishedOnDay);
    }

    [Fact]
    public void Run_NobodyAnswersOnAnyChannel_SendsEveryAttemptAndATaskPerParticipant()
    {
        var report = Run(new ParticipantBehaviour { NeverAnswer = NobodyAnswers });

        var form = Assert.Single(report.Forms);
        Assert.Equal((Participants, 0), (form.Asked, form.Answered));
        Assert.Equal(0.0, form.RatePercent);
        Assert.Equal(3 * Participants, report.TotalMessages);
        Assert.Equal([KeyValuePair.Create("sms", 2 * Participants), KeyValuePair.Create("email", Participants)], report.Totals);
        Assert.All(report.Sends.GroupBy(s => s.InstanceId), g => Assert.Equal(["a1", "a2", "a3"], g.Select(s => s.EffectId.Split('.')[^1]).Order(StringComparer.Ordinal)));
        Assert.Equal(Participants, report.TasksOpened);
        // The default coordinator resolves every task with its first outcome.
        var final = Assert.Single(report.FinalStates);
        Assert.Equal((InstanceStatus.Completed, "answered-by-phone", Participants), (final.Status, final.Detail, final.Count));
    }

    [Fact]
    public void Run_SameSeedTwice_GivesTheSameReport()
    {
        var behaviour = new ParticipantBehaviour
        {
            NeverAnswer = new Dictionary<string, double>(StringComparer.Ordinal) { ["sms"] = 0.5, ["email"] = 0.3 },
            AnswerDelayMin = TimeSpan.FromHours(1),
            AnswerDelayMax = TimeSpan.FromDays(4),
            TaskOutcomes = [KeyValuePair.Create("answered-by-phone", 0.5), KeyValuePair.Create("unreachable", 0.3)],
            Seed = 7,
        };
        var missing = new Dictionary<string, double>(StringComparer.Ordinal) { ["email"] = 0.25 };

        var first = Run(behaviour, missing: missing);
        var second = Run(behaviour, missing: missing);

        Assert.Equal(JsonSerializer.Serialize(first), JsonSerializer.Serialize(second));
        Assert.True(first.FinalStates.Count > 1, "the behaviour should give mixed outcomes");
        var other = Run(behaviour with { Seed = 8 }, missing: missing);
        Assert.NotEqual(JsonSerializer.Serialize(first.Sends), JsonSerializer.Serialize(other.Sends));
    }

    [Fact]
    public void Run_WorkflowWithQuietHours_NeverSendsInQuietHoursOrOnHolidays()
    {
        // 23:00 local is inside 21:00–08:00, and the second attempt falls on Epiphany (6 January).
        var start = new DateTimeOffset(2027, 1, 4, 23, 0, 0, TimeSpan.FromHours(2));

        var report = Run(new ParticipantBehaviour { NeverAnswer = NobodyAnswers }, start);

        Assert.Equal(3 * Participants, report.Sends.Count);
        Assert.All(report.Sends, s =>
        {
            Assert.False(Example.Calendar.IsQuiet(s.At), $"{s.EffectId} went out at {s.At:o}, in quiet hours");
            Assert.Equal(s.At, Example.Calendar.NextAllowed(s.At));
        });
        Assert.Equal([1, 3, 6], report.SendsPerDay.Select(d => d.Day));
    }

    [Fact]
    public void Run_WithAnswerRatesPerAttempt_AnswersOnlyTheAttemptsWhoseRateIsOne()
    {
        // Nobody answers the first SMS or the email; everyone answers the second SMS (attempt 3).
        var profile = new ResponseProfile([new ResponseRate("sms", 3, null, 1, 0)]);

        var report = Run(new ParticipantBehaviour { Responses = profile });

        Assert.Equal((Participants, Participants), (report.Forms.Single().Asked, report.Forms.Single().Answered));
        Assert.Equal(3 * Participants, report.TotalMessages);
        Assert.Equal(0, report.TasksOpened);
        Assert.Equal("answered", report.FinalStates.Single().Detail);
    }

    [Fact]
    public void Run_WithAnswerRatesPerLanguage_TakesTheLanguagesOwnRate()
    {
        // The example's eight languages go round the participants: only the Finnish (3 of 24) answer at all.
        var profile = new ResponseProfile([new ResponseRate("sms", 1, "fi", 1, 0)]);

        var report = Run(new ParticipantBehaviour { Responses = profile });

        Assert.Equal(Participants / 8, report.Forms.Single().Answered);
        Assert.Equal(Participants - (Participants / 8), report.TasksOpened);
    }

    [Fact]
    public void Run_EnrolmentOverWeeks_SpreadsTheStartsEvenly_AndCountsEachWeek()
    {
        var options = new SimulationOptions { Participants = Participants, EnrolmentWeeks = 4, Behaviour = new ParticipantBehaviour { NeverAnswer = NobodyAnswers } };

        var report = Simulator.Run(Example, options, CancellationToken.None);

        // 24 over 28 days: participant i starts on day i × 28 / 24, and its first message goes then (or after a holiday).
        var cohort = new Cohort(Example, options);
        Assert.Equal(Enumerable.Range(0, Participants).Select(i => i * 28 / Participants), Enumerable.Range(0, Participants).Select(i => (cohort.StartOf(i) - options.Start).Days));
        var firsts = report.Sends.Where(s => s.EffectId.EndsWith(".a1", StringComparison.Ordinal)).ToDictionary(s => s.InstanceId, s => s.At);
        Assert.All(Enumerable.Range(0, Participants), i => Assert.InRange(firsts[Cohort.InstanceId(i)], cohort.StartOf(i), cohort.StartOf(i).AddDays(2)));
        Assert.Equal(report.TotalMessages, report.Weeks.Sum(w => w.Messages));
        Assert.Equal(report.TasksOpened, report.Weeks.Sum(w => w.Tasks));
        Assert.Equal(report.Totals, report.Channels.Select(c => KeyValuePair.Create(c, report.Weeks.Sum(w => w.ByChannel.Single(b => b.Key == c).Value))));
        Assert.Equal(Enumerable.Range(0, report.Weeks.Count), report.Weeks.Select(w => w.Week));
    }

    [Fact]
    public void Draw_SameSeedAndKey_IsStableAndInRange()
    {
        var behaviour = new ParticipantBehaviour { Seed = 3 };

        var draws = Enumerable.Range(0, 1000).Select(i => behaviour.Draw($"k{i}")).ToArray();

        Assert.Equal(draws, Enumerable.Range(0, 1000).Select(i => new ParticipantBehaviour { Seed = 3 }.Draw($"k{i}")));
        Assert.All(draws, d => Assert.InRange(d, 0.0, 0.9999999999));
        Assert.InRange(draws.Count(d => d < 0.3), 240, 360);
    }

    private static SimulationReport Run(ParticipantBehaviour behaviour, DateTimeOffset? start = null, Dictionary<string, double>? missing = null)
    {
        var options = new SimulationOptions
        {
            Participants = Participants,
            Behaviour = behaviour,
            Start = start ?? new SimulationOptions().Start,
            Missing = missing ?? new Dictionary<string, double>(StringComparer.Ordinal),
        };
        return Simulator.Run(Example, options, CancellationToken.None);
    }
}
