using Askel.Runtime.Definitions;
using Askel.Runtime.Simulation;
using Askel.Testing;

namespace Askel.Runtime.Tests.Simulation;

/// <summary>Response profiles from a history (each cell its own rate when it has enough messages, else a wider one), and one person's chance from them.</summary>
public sealed class ResponseProfileTests
{
    private static readonly ResponseProfile Fallback = ResponseProfile.PerChannel(new Dictionary<string, double>(StringComparer.Ordinal) { ["email"] = 0.2, ["sms"] = 0.4 });

    [Fact]
    public void FromHistory_ACellWithEnoughMessages_HasItsOwnRate_AThinOneTakesAWiderOne()
    {
        // email attempt 1: 20 in Finnish (5 answered) and 4 in Arabic (4 answered); sms attempt 2: 10 in Finnish (6 answered).
        var history = Messages("email", 1, "fi", 20, 5).Concat(Messages("email", 1, "ar", 4, 4)).Concat(Messages("sms", 2, "fi", 10, 6));

        var profile = ResponseProfile.FromHistory(history, Fallback);

        Assert.Equal(0.25, profile.RateOf("email", 1, "fi"));
        Assert.Equal(9 / 24.0, profile.RateOf("email", 1, "ar")); // 4 Arabic messages are too few: the attempt's rate over every language
        Assert.Equal(9 / 24.0, profile.RateOf("email", 3, "fi")); // no third attempt seen: the channel's rate
        Assert.Equal(0.6, profile.RateOf("sms", 2, "fi"));
        Assert.Equal(0.6, profile.RateOf("sms", 1, "fi"));
        Assert.Equal(34, profile.Messages);
        Assert.Equal(0.4, ResponseProfile.FromHistory([], Fallback).RateOf("sms", 1, "fi"));
        Assert.Equal(0, profile.RateOf("letter", 1, "fi"));
    }

    [Fact]
    public void AnswerChance_TakesEachMessageOnTheChannelTheWorkflowWouldChoose()
    {
        var workflow = WorkflowCatalog.Load(Repository.Path("workflows")).Get("form-chase-example"); // sms, email, sms
        var feedback = workflow.Step("feedback");
        var profile = new ResponseProfile([new ResponseRate("sms", null, null, 0.5, 0), new ResponseRate("email", null, null, 0.2, 0)]);

        Assert.Equal(1 - (0.5 * 0.8 * 0.5), AnswerChance.Of(workflow, feedback, profile, "fi", _ => true), 10);
        Assert.Equal(1 - (0.8 * 0.8 * 0.8), AnswerChance.Of(workflow, feedback, profile, "fi", c => c == "email"), 10); // every message by email
        Assert.Equal(1 - 0.5, AnswerChance.Of(workflow, feedback, profile, "fi", _ => true, fromAttempt: 3), 10); // only the last is still to come
        Assert.Equal(0, AnswerChance.Of(workflow, feedback, profile, "fi", _ => false));
        Assert.Throws<ArgumentException>(() => AnswerChance.Of(workflow, workflow.Step("call-participant"), profile, "fi", _ => true));
    }

    [Fact]
    public void AnswerChance_IsWhatTheSimulationCaptures_TheSameModel()
    {
        var workflow = WorkflowCatalog.Load(Repository.Path("workflows")).Get("form-chase-example");
        var profile = new ResponseProfile([new ResponseRate("sms", 1, null, 0.3, 0), new ResponseRate("email", null, null, 0.2, 0), new ResponseRate("sms", null, null, 0.1, 0)]);
        var options = new SimulationOptions { Participants = 4000, Behaviour = new ParticipantBehaviour { Responses = profile } };

        var captured = Simulator.Run(workflow, options, CancellationToken.None).Forms.Single().RatePercent / 100;

        var expected = AnswerChance.Of(workflow, workflow.Step("feedback"), profile, "fi", _ => true); // 1 − 0.7 × 0.8 × 0.9 = 49.6 %
        Assert.Equal(0.496, expected, 10);
        Assert.InRange(captured, expected - 0.025, expected + 0.025); // 4,000 draws: two and a half standard deviations
    }

    private static IEnumerable<ObservedMessage> Messages(string channel, int attempt, string language, int sent, int answered) =>
        Enumerable.Range(0, sent).Select(i => new ObservedMessage(channel, attempt, language, i < answered));
}
