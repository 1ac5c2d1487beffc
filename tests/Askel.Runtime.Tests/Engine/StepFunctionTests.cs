using System.Text.Json.Nodes;
using Askel.Runtime.Calendar;
using Askel.Runtime.Client;
using Askel.Runtime.Definitions;
using Askel.Runtime.Engine;

namespace Askel.Runtime.Tests.Engine;

/// <summary>
/// The pure step function (<see cref="Interpreter"/>): state + trigger + now → new state, history and effects.
/// What carries it out (the orchestrator, the simulator) has its own tests.
/// </summary>
public sealed class StepFunctionTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly SourceLocation Here = new("test.yaml", 1, 1);

    [Fact]
    public void Start_AskStep_SendsFirstAttemptNowAndTimesTheRest()
    {
        var walk = new Walk(TestWorkflows.FormChase());

        walk.Begin(new JsonObject { ["language"] = "en" });

        Assert.Equal((InstanceStatus.Waiting, "exit", "form:exit-form"), (walk.State.Status, walk.State.Step, walk.State.Awaiting));
        var (sent, at) = Assert.Single(walk.Effects);
        Assert.Equal(("p-1.1.a1", "sms", "en", "exit-form-link", "exit-form"), (sent.Id, Str(sent, "channel"), Str(sent, "language"), Str(sent, "template"), Str(sent, "form")));
        Assert.Equal(Start, at);
        Assert.Equal([Start.AddDays(3), Start.AddDays(21)], walk.State.Timers.Select(t => t.Due).Order());
    }

    [Fact]
    public void FormSubmitted_CompletesAndCancelsEveryTimer()
    {
        var walk = new Walk(TestWorkflows.FormChase());
        walk.Begin();

        var result = walk.Tell(new FormSubmitted("exit-form", "participant", "v1", "submission-1"));

        Assert.True(result.Changed);
        Assert.Equal((InstanceStatus.Completed, "collected"), (walk.State.Status, walk.State.Outcome));
        Assert.Equal("participant", walk.State.Data["forms"]!["exit-form"]!["filledBy"]!.GetValue<string>());
        Assert.Empty(walk.State.Timers);
        walk.RunUntil(Start.AddDays(30));
        Assert.Single(walk.Effects);
    }

    [Fact]
    public void NoAnswer_AttemptsRotateChannelsThenTaskThenOutcome()
    {
        var walk = new Walk(TestWorkflows.FormChase());
        walk.Begin();

        walk.RunUntil(Start.AddDays(22));

        Assert.Equal(["sms", "email", "sms", "email"], walk.Effects.Where(e => e.Effect.Kind == "message").Select(e => Str(e.Effect, "channel")));
        Assert.Equal([0, 3, 7, 14, 21], walk.Effects.Select(e => (e.At - Start).TotalDays));
        Assert.Equal("task", walk.Effects[^1].Effect.Kind);
        Assert.Equal("task:reach", walk.State.Awaiting);

        walk.Tell(new TaskCompleted("reach", "unreachable", "coordinator", "t-1"));

        Assert.Equal((InstanceStatus.Completed, "not-collected"), (walk.State.Status, walk.State.Outcome));
    }

    [Fact]
    public void ContactAttempt_StepCountsThem_SkipsTheNextReminder()
    {
        var chase = TestWorkflows.FormChase();
        var exit = (AskStep)chase.Steps["exit"];
        var walk = new Walk(chase with { Steps = new Dictionary<string, Step>(chase.Steps) { ["exit"] = exit with { CountsContactAttempts = true } } });
        walk.Begin();
        walk.RunUntil(Start.AddDays(1));

        walk.Tell(new ContactAttempted("phone", "reached", "call-1"));
        walk.RunUntil(Start.AddDays(22));

        // The day-3 email is skipped: the call was its attempt. The rest follow as before.
        Assert.Equal([0, 7, 14], walk.Effects.Where(e => e.Effect.Kind == "message").Select(e => (e.At - Start).TotalDays));
        Assert.Contains(walk.History, h => h.Kind == "contact-attempt" && h.Detail == "phone: reached (counted as attempt 2 of 4)");
    }

    [Fact]
    public void ContactAttempt_StepDoesNotCountThemOrWrongNumber_OnlyRecorded()
    {
        var chase = TestWorkflows.FormChase();
        var exit = (AskStep)chase.Steps["exit"];
        var counting = new Walk(chase with { Steps = new Dictionary<string, Step>(chase.Steps) { ["exit"] = exit with { CountsContactAttempts = true } } });
        var plain = new Walk(chase);
        foreach (var (walk, attempt) in new[] { (counting, new ContactAttempted("phone", "wrong-number", "call-1")), (plain, new ContactAttempted("visit", "reached", "visit-1")) })
        {
            walk.Begin();
            walk.Tell(attempt);
            walk.RunUntil(Start.AddDays(22));

            Assert.Equal([0, 3, 7, 14], walk.Effects.Where(e => e.Effect.Kind == "message").Select(e => (e.At - Start).TotalDays));
            Assert.Contains(walk.History, h => h.Kind == "contact-attempt" && h.Detail == $"{attempt.Kind}: {attempt.Outcome}");
        }
    }

    [Fact]
    public void LanguageChanged_LaterMessagesInTheNewLanguage()
    {
        var walk = new Walk(TestWorkflows.FormChase());
        walk.Begin(new JsonObject { ["language"] = "fi" });

        walk.Tell(new LanguageChanged("en", "language-1"));
        walk.RunUntil(Start.AddDays(3));

        Assert.Equal(["fi", "en"], walk.Effects.Select(e => Str(e.Effect, "language")));
    }

    [Fact]
    public void AskStep_Entered_TellsThatItsFormIsAskedOnce()
    {
        var walk = new Walk(TestWorkflows.FormChase());

        var started = walk.Begin();
        walk.RunUntil(Start.AddDays(22));

        Assert.Equal(new WorkflowFact("p-1", FactKind.FormAsked, "exit", Form: "exit-form"), Assert.Single(started.Facts));
        Assert.Single(walk.Facts); // the later attempts and the task ask nothing new
    }

    [Fact]
    public void ExternalStep_Entered_TellsWhatItReports()
    {
        var external = new ExternalStep("eura", Here, "eura-exit", new Uri("https://eura.example/exit"), "eura-link", [new Attempt(IsoDuration.Parse("P0D"), null)],
            IsoDuration.Parse("P21D"), "done", "done") { Reports = ReportedForm.Exit };
        var walk = new Walk(TestWorkflows.Build("eura", "v1", null, external, new EndStep("done", Here, "done")));

        var fact = Assert.Single(walk.Begin().Facts);

        Assert.Equal((FactKind.FormAsked, "eura", null, ReportedForm.Exit), (fact.Kind, fact.Step, fact.Form, fact.Reports));
    }

    [Fact]
    public void LeftEvent_TellsTheDateOnce_WhetherAwaitedOrKept()
    {
        var walk = new Walk(TestWorkflows.FormChase());
        walk.Begin();

        var kept = walk.Tell(NamedEvent.Left(new DateOnly(2026, 11, 30)));
        var repeated = walk.Tell(NamedEvent.Left(new DateOnly(2026, 12, 2)));
        var undated = walk.Tell(new NamedEvent("left", new JsonObject { ["leftOn"] = "2026-13-45" }, "left-again"));

        Assert.Equal(new WorkflowFact("p-1", FactKind.Left, "exit", LeftOn: new DateOnly(2026, 11, 30)), Assert.Single(kept.Facts));
        Assert.Empty(repeated.Facts); // the same event told again: the first date stands
        Assert.Empty(undated.Facts); // no valid date, nothing to record
    }

    [Fact]
    public void LeftEvent_Awaited_TellsTheDateBeforeTheExitFormItLeadsTo()
    {
        var walk = new Walk(TestWorkflows.Build("leaving", "v1", null,
            new WaitForEventStep("coaching", Here, "left", null, null, null, "exit"),
            new AskStep("exit", Here, "exit-form", "exit-form-link", [new Attempt(IsoDuration.Parse("P0D"), null)], IsoDuration.Parse("P21D"), "done", "done"),
            new EndStep("done", Here, "done")));
        walk.Begin();

        var left = walk.Tell(NamedEvent.Left(new DateOnly(2026, 11, 30)));

        Assert.Equal(
            [new WorkflowFact("p-1", FactKind.Left, "coaching", LeftOn: new DateOnly(2026, 11, 30)), new WorkflowFact("p-1", FactKind.FormAsked, "exit", Form: "exit-form")],
            left.Facts);
    }

    [Fact]
    public void TaskOutcome_NotDeclared_RejectedAndNothingChanges()
    {
        var walk = new Walk(TestWorkflows.FormChase(attempts: ["P0D"]));
        walk.Begin();
        walk.RunUntil(Start.AddDays(21));
        var before = System.Text.Json.JsonSerializer.Serialize(walk.State);

        var result = walk.Tell(new TaskCompleted("reach", "made-up", "coordinator", "t-1"));

        Assert.False(result.Changed);
        Assert.Contains("filled-together, unreachable", result.Rejection, StringComparison.Ordinal);
        Assert.Equal(before, System.Text.Json.JsonSerializer.Serialize(walk.State));
    }

    [Fact]
    public void OverdueTask_RemindsTheCoordinatorThenTheManagers_InWorkingHours()
    {
        var calendar = new CalendarPolicy(TimeZoneInfo.Utc, new TimeOnly(21, 0), new TimeOnly(8, 0), SkipHolidays: false);
        var walk = new Walk(TestWorkflows.Build("escalating", "v1", calendar,
            new TaskStep("call", Here, new LocalizedText(new Dictionary<string, string> { ["fi"] = "Soita", ["en"] = "Call" }), new Dictionary<string, string> { ["done"] = "end" })
            {
                Due = IsoDuration.Parse("P2D"),
                Escalations = [new Escalation(IsoDuration.Parse("PT12H"), EscalationTarget.Coordinator), new Escalation(IsoDuration.Parse("P3D"), EscalationTarget.Managers)],
            },
            new EndStep("end", Here, "done")));

        walk.Begin();
        walk.RunUntil(Start.AddDays(10));

        var (opened, _) = walk.Effects[0];
        Assert.Equal(("task", Start.AddDays(2).ToString("o", System.Globalization.CultureInfo.InvariantCulture), Start.ToString("o", System.Globalization.CultureInfo.InvariantCulture)),
            (opened.Kind, Str(opened, "due"), Str(opened, "openedAt")));
        var reminders = walk.Effects.Skip(1).ToList();
        // Due Wed 10:00 + 12 h is 22:00, in quiet hours: the coordinator hears at 08:00; the managers three days after the due time.
        Assert.Equal(
            [("p-1.1.e1", "escalation", "coordinator", Start.AddDays(2).Date.AddDays(1).AddHours(8)), ("p-1.1.e2", "escalation", "managers", Start.AddDays(5).UtcDateTime)],
            reminders.Select(r => (r.Effect.Id, r.Effect.Kind, Str(r.Effect, "to"), r.At.UtcDateTime)));
        Assert.All(reminders, r => Assert.Equal("Call", r.Effect.Payload["title"]!["en"]!.GetValue<string>()));
        Assert.Empty(walk.State.Timers);
        Assert.Equal("task:call", walk.State.Awaiting);
    }

    [Fact]
    public void TaskCompletedBeforeItsDue_NobodyIsReminded()
    {
        var walk = new Walk(TestWorkflows.Build("escalating", "v1", null,
            new TaskStep("call", Here, new LocalizedText(new Dictionary<string, string> { ["fi"] = "Soita", ["en"] = "Call" }), new Dictionary<string, string> { ["done"] = "end" })
            {
                Due = IsoDuration.Parse("P2D"),
                Escalations = [new Escalation(IsoDuration.Parse("P0D"), EscalationTarget.Coordinator)],
            },
            new EndStep("end", Here, "done")));
        walk.Begin();
        walk.RunUntil(Start.AddDays(1));

        walk.Tell(new TaskCompleted("call", "done", "coordinator", "t-1"));
        walk.RunUntil(Start.AddDays(10));

        Assert.Equal(["task"], walk.Effects.Select(e => e.Effect.Kind));
        Assert.Equal(InstanceStatus.Completed, walk.State.Status);
    }

    [Fact]
    public void SameEventIdTwice_AppliedOnce()
    {
        var walk = new Walk(TestWorkflows.WaitForEvent());
        walk.Begin();
        walk.Tell(new ChannelChanged("sms", "invalid", "test", "e-1"));

        var again = walk.Tell(new ChannelChanged("sms", "ok", "test", "e-1"));

        Assert.False(again.Changed);
        Assert.Equal("invalid", walk.State.Data["channels"]!["sms"]!.GetValue<string>());
    }

    [Fact]
    public void EventBeforeItsStep_KeptAndConsumedWhenTheStepIsReached()
    {
        var walk = new Walk(TestWorkflows.Build("later", "v1", TestWorkflows.NoQuietHours,
            new WaitStep("pause", Here, IsoDuration.Parse("P1D"), null, "listen"),
            new WaitForEventStep("listen", Here, "participant-left", null, null, null, "done"),
            new EndStep("done", Here, "left")));
        walk.Begin();

        walk.Tell(new NamedEvent("participant-left", new JsonObject { ["leftAt"] = "2026-11-23" }, "left-1"));
        Assert.Equal("pause", walk.State.Step);
        walk.RunUntil(Start.AddDays(1));

        Assert.Equal((InstanceStatus.Completed, "left"), (walk.State.Status, walk.State.Outcome));
        Assert.Empty(walk.State.Inbox);
    }

    [Fact]
    public void ChannelMissing_SendsThroughTheNextChannel()
    {
        var walk = new Walk(TestWorkflows.FormChase());

        walk.Begin(new JsonObject { ["channels"] = new JsonObject { ["sms"] = "missing", ["email"] = "ok" } });

        Assert.Equal("email", Str(Assert.Single(walk.Effects).Effect, "channel"));
    }

    [Fact]
    public void DeliveryFailsForGood_MarksTheChannelInvalidAndResendsThroughTheNext()
    {
        var walk = new Walk(TestWorkflows.FormChase());
        walk.Begin();
        var first = walk.Effects[0].Effect;

        walk.Tell(new DeliveryFailed(first.Id, "sms", "invalid number", Permanent: true, first.Payload));

        Assert.Equal(["p-1.1.a1", "p-1.1.a1-sms-fallback"], walk.Effects.Select(e => e.Effect.Id));
        Assert.Equal("email", Str(walk.Effects[1].Effect, "channel"));
        Assert.Equal("invalid", walk.State.Data["channels"]!["sms"]!.GetValue<string>());
    }

    [Fact]
    public void DeliveryFailsForAWhile_NextChannelNow_ThatChannelAgainInTheNextStep()
    {
        var walk = new Walk(TestWorkflows.Build("twice", "v1", null,
            new AskStep("first", Here, "f1", "f1-link", [new Attempt(IsoDuration.Parse("P0D"), "sms")], IsoDuration.Parse("P1D"), "second", "done"),
            new AskStep("second", Here, "f2", "f2-link", [new Attempt(IsoDuration.Parse("P0D"), "sms")], IsoDuration.Parse("P1D"), "done", "done"),
            new EndStep("done", Here, "done")));
        walk.Begin();
        var first = walk.Effects[0].Effect;

        walk.Tell(new DeliveryFailed(first.Id, "sms", "provider down for 30 minutes", Permanent: false, first.Payload));
        Assert.Equal("failing", walk.State.Data["channels"]!["sms"]!.GetValue<string>());
        walk.RunUntil(Start.AddDays(1));

        Assert.Equal(["sms", "email", "sms"], walk.Effects.Select(e => Str(e.Effect, "channel")));
    }

    [Fact]
    public void Terminate_StopsWithTheReasonAndCancelsTimers()
    {
        var walk = new Walk(TestWorkflows.FormChase());
        walk.Begin();

        walk.Apply(new TerminateTrigger("enrolled by mistake"));
        walk.RunUntil(Start.AddDays(30));

        Assert.Equal((InstanceStatus.Terminated, "enrolled by mistake"), (walk.State.Status, walk.State.Error));
        Assert.Empty(walk.State.Timers);
        Assert.Single(walk.Effects);
    }

    [Fact]
    public void Replayed_SameStateTriggerAndTime_GiveTheSameResult()
    {
        // The orchestrator relies on it: a replay applies the same trigger at the same time to the same state.
        static string Run()
        {
            var walk = new Walk(TestWorkflows.FormChase());
            walk.Begin(new JsonObject { ["language"] = "fi" });
            walk.RunUntil(Start.AddDays(8));
            walk.Tell(new FormSubmitted("exit-form", "participant", "v1", "s-1"));
            return System.Text.Json.JsonSerializer.Serialize(new { walk.State, Effects = walk.Effects.Select(e => (e.Effect.Id, e.At)), walk.History });
        }

        Assert.Equal(Run(), Run());
    }

    private static string? Str(Effect effect, string name) => effect.Payload[name]?.GetValue<string>();

    /// <summary>One instance walked through time by hand: its timers fire in order, events are told at the walk's time.</summary>
    private sealed class Walk(WorkflowDefinition definition)
    {
        public InstanceState State { get; } = new()
        {
            Id = "p-1", Workflow = definition.Name, Version = definition.Version, CreatedAt = Start, UpdatedAt = Start,
        };

        public DateTimeOffset Now { get; private set; } = Start;

        public List<(Effect Effect, DateTimeOffset At)> Effects { get; } = [];

        public List<HistoryEntry> History { get; } = [];

        public List<WorkflowFact> Facts { get; } = [];

        public TransitionResult Begin(JsonObject? input = null) => Apply(new StartTrigger(input ?? []));

        public TransitionResult Tell(WorkflowEvent e) => Apply(new EventTrigger(e.Name, e.Payload(), e.Id));

        public TransitionResult Apply(Trigger trigger)
        {
            var result = Interpreter.Apply(State, definition, trigger, Now);
            History.AddRange(result.History);
            Effects.AddRange(result.Effects.Select(e => (e, Now)));
            Facts.AddRange(result.Facts);
            return result;
        }

        /// <summary>Fires every timer due up to <paramref name="until"/>, each at its due time.</summary>
        public void RunUntil(DateTimeOffset until)
        {
            while (State.NextTimer is { } timer && timer.Due <= until)
            {
                Now = timer.Due;
                Apply(new TimerTrigger(timer.Id));
            }

            Now = until;
        }
    }
}
