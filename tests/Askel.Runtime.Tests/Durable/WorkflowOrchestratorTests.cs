using System.Text.Json;
using System.Text.Json.Nodes;
using Askel.Runtime.Client;
using Askel.Runtime.Durable;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Askel.Runtime.Tests.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Askel.Runtime.Tests.Durable;

/// <summary>The generic orchestrator on the real Durable Task Framework backend (Azure Storage on Azurite).</summary>
public sealed class WorkflowOrchestratorTests
{
    // Every timer of an instance started this long ago is due at once, so it fires right away, in order.
    private static readonly DateTimeOffset LongAgo = new(2025, 3, 3, 10, 0, 0, TimeSpan.Zero);

    // No timer of an instance started this far ahead fires while a test runs.
    private static readonly DateTimeOffset FarAhead = new(2090, 3, 3, 10, 0, 0, TimeSpan.Zero);

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task NoAnswer_EveryAttemptOnItsDay_ThenTheTask_EndsWithTheTasksOutcome()
    {
        await using var f = await DurableFixture.StartAsync(LongAgo, TestWorkflows.FormChase());
        Assert.Equal(StartStatus.Started, await f.Workflows.StartAsync("chase", "p-1", new JsonObject { ["language"] = "en" }, None));
        var waiting = await f.StatusAsync("p-1", s => s.Step == "reach");
        Assert.Equal(new AwaitingTask("reach"), waiting.Waiting);
        var why = (await f.Client.GetInstanceAsync("p-1", None))!.ReadCustomStatusAs<WorkflowProgress>()!.Waiting;
        Assert.Equal(new WaitingStatus(InstanceStatus.Waiting, "reach", "task:reach", null, 0, 0), why);
        Assert.Equal(RaiseStatus.Rejected, (await f.Workflows.RaiseAsync("p-1", new TaskCompleted("reach", "no-such-outcome", "coordinator", "t-0"), None)).Status);
        Assert.Equal(RaiseStatus.Accepted, (await f.Workflows.RaiseAsync("p-1", new TaskCompleted("reach", "unreachable", "coordinator", "t-1"), None)).Status);
        var done = await f.Client.WaitForInstanceCompletionAsync("p-1", getInputsAndOutputs: true);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(["p-1.1.a1", "p-1.1.a2", "p-1.1.a3", "p-1.1.a4", "p-1.2.task"], f.Effects.Ids("p-1"));
        var status = await f.Workflows.StatusAsync("p-1", None);
        Assert.Equal((InstanceStatus.Completed, "not-collected"), (status!.Status, status.Outcome));
        var history = await f.Workflows.HistoryAsync("p-1", None);
        Assert.Equal([LongAgo, LongAgo.AddDays(3), LongAgo.AddDays(7), LongAgo.AddDays(14)], history.Where(h => h.Kind == "message").Select(h => h.At));
        Assert.Equal(LongAgo.AddDays(21), Assert.Single(history, h => h.Kind == "expired").At);
        Assert.Equal(new WaitingStatus(InstanceStatus.Completed, "lost", null, null, 0, 0), done.ReadCustomStatusAs<WorkflowProgress>()!.Waiting);
    }

    [Fact]
    public async Task FormArrives_BeforeAnyReminder_EndsCollectedAfterOneMessage()
    {
        await using var f = await DurableFixture.StartAsync(FarAhead, TestWorkflows.FormChase());
        var sent = f.Effects.WaitForAsync(e => e.Id == "p-1.1.a1");
        await f.Workflows.StartAsync("chase", "p-1", [], None);
        await sent;

        await f.Workflows.RaiseAsync("p-1", new FormSubmitted("exit-form", "participant", "v1", FormSubmitted.IdFor("exit-form")), None);
        var done = await f.Client.WaitForInstanceCompletionAsync("p-1", getInputsAndOutputs: true);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(["p-1.1.a1"], f.Effects.Ids("p-1"));
        Assert.Equal("collected", (await f.Workflows.StatusAsync("p-1", None))!.Outcome);
    }

    [Fact]
    public async Task Signals_RaisedBackToBack_BeforeTheStartRan_AreEachAppliedOnce()
    {
        await using var f = await DurableFixture.StartAsync(FarAhead, TestWorkflows.FormChase());
        await f.Workflows.StartAsync("chase", "p-1", [], None);

        // Told at once, twice the same id, then the form: none may be lost across the executions, and the repeat changes nothing.
        await f.Workflows.RaiseAsync("p-1", new ChannelChanged("email", "opted-out", "test", ChannelChanged.IdFor("email", "opted-out", LongAgo)), None);
        await f.Workflows.RaiseAsync("p-1", new ChannelChanged("email", "opted-out", "test", ChannelChanged.IdFor("email", "opted-out", LongAgo)), None);
        await f.Workflows.RaiseAsync("p-1", new FormSubmitted("exit-form", "participant", "v1", FormSubmitted.IdFor("exit-form")), None);
        await f.Client.WaitForInstanceCompletionAsync("p-1", getInputsAndOutputs: true);

        var history = await f.Workflows.HistoryAsync("p-1", None);
        Assert.Single(history, h => h.Kind == "channel");
        Assert.Single(history, h => h.Kind == "form");
        var status = await f.Workflows.StatusAsync("p-1", None);
        Assert.Equal(("collected", "opted-out"), (status!.Outcome, status.Data["channels"]!["email"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DeliveryFails_ForGood_SendsTheSameAttemptThroughTheNextChannelAtOnce()
    {
        await using var f = await DurableFixture.StartAsync(FarAhead, TestWorkflows.FormChase());
        f.Effects.Behaviour = e => e.Payload["channel"]?.GetValue<string>() == "sms" ? new EffectResult(EffectOutcome.Failed, "invalid number") : EffectResult.Done;
        var fallback = f.Effects.WaitForAsync(e => e.Id == "p-1.1.a1-sms-fallback");

        await f.Workflows.StartAsync("chase", "p-1", [], None);
        await fallback;
        await f.Workflows.RaiseAsync("p-1", new FormSubmitted("exit-form", "participant", "v1", FormSubmitted.IdFor("exit-form")), None);
        await f.Client.WaitForInstanceCompletionAsync("p-1");

        Assert.Equal(["p-1.1.a1", "p-1.1.a1-sms-fallback"], f.Effects.Ids("p-1"));
        var status = await f.Workflows.StatusAsync("p-1", None);
        Assert.Equal("invalid", status!.Data["channels"]!["sms"]!.GetValue<string>());
    }

    [Fact]
    public async Task Facts_RecordedAfterTheSteps_AndWhenTheRecorderIsDown_AfterTheNextSteps()
    {
        var quickRetries = new DurableWorkflowOptions { ActivityRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(2, TimeSpan.FromMilliseconds(100))) };
        await using var f = await DurableFixture.StartAsync(FarAhead, new DurableFixtureOptions(Code: quickRetries), TestWorkflows.FormChase());
        f.Facts.Failing = true;

        await f.Workflows.StartAsync("chase", "p-1", [], None);
        await f.StatusAsync("p-1", s => s.Step == "exit"); // the start's step has run
        Assert.Equal(["p-1.1.a1"], f.Effects.Ids("p-1")); // the message went; the fact could not be recorded
        Assert.Empty(f.Facts.For("p-1"));
        f.Facts.Failing = false;
        await f.Workflows.RaiseAsync("p-1", NamedEvent.Left(new DateOnly(2090, 1, 2)), None);
        var facts = await f.Facts.WaitForAsync("p-1", 2);

        Assert.Equal(
            [new WorkflowFact("p-1", FactKind.FormAsked, "exit", Form: "exit-form"), new WorkflowFact("p-1", FactKind.Left, "exit", LeftOn: new DateOnly(2090, 1, 2))],
            facts);
    }

    [Fact]
    public async Task Status_BetweenTwoExecutions_IsWhereTheInstanceIsNow_FromTheInputAndWhatTheExecutionAppliedSince()
    {
        await using var f = await DurableFixture.StartAsync(FarAhead, TestWorkflows.FormChase());
        var sent = f.Effects.WaitForAsync(e => e.Id == "p-1.1.a1");
        await f.Workflows.StartAsync("chase", "p-1", [], None);
        await sent;

        await f.Workflows.RaiseAsync("p-1", new ChannelChanged("email", "opted-out", "test", ChannelChanged.IdFor("email", "opted-out", LongAgo)), None);
        var status = await f.StatusAsync("p-1", s => s.Data["channels"]?["email"] is not null);

        // Still the execution that started it: its input is where it began, its progress says what it applied since.
        var instance = (await f.Client.GetInstanceAsync("p-1", getInputsAndOutputs: true, None))!;
        Assert.Equal(0, instance.ReadInputAs<WorkflowRun>()!.Execution);
        Assert.Null(instance.ReadInputAs<WorkflowRun>()!.State.Step);
        Assert.Equal(["start", "event"], instance.ReadCustomStatusAs<WorkflowProgress>()!.Applied.Select(a => a.Trigger is StartTrigger ? "start" : "event"));
        Assert.Equal(("exit", new AwaitingForm("exit-form") as Awaiting), (status.Step, status.Waiting));
        Assert.Single(await f.Workflows.HistoryAsync("p-1", None), h => h.Kind == "channel");

        // Suspended, it is still where it was.
        Assert.True(await f.Workflows.SuspendAsync("p-1", "on leave", None));
        var suspended = await f.StatusAsync("p-1", s => s.Suspended);
        Assert.Equal(("exit", "opted-out"), (suspended.Step, suspended.Data["channels"]?["email"]?.GetValue<string>()));
    }

    [Fact]
    public async Task AnEventTooLargeToCarryInTheCustomStatus_EndsTheExecution_AndTheStatusStillHasIt()
    {
        await using var f = await DurableFixture.StartAsync(FarAhead, TestWorkflows.FormChase());
        var sent = f.Effects.WaitForAsync(e => e.Id == "p-1.1.a1");
        await f.Workflows.StartAsync("chase", "p-1", [], None);
        await sent;

        var note = new string('x', 7_000);
        await f.Workflows.RaiseAsync("p-1", new NamedEvent("note", new JsonObject { ["text"] = note }, "note-1"), None);
        var status = await f.StatusAsync("p-1", s => s.Data["events"]?["note"] is not null);

        Assert.Equal(note, status.Data["events"]!["note"]!["text"]!.GetValue<string>());
        var instance = (await f.Client.GetInstanceAsync("p-1", getInputsAndOutputs: true, None))!;
        Assert.Equal(1, instance.ReadInputAs<WorkflowRun>()!.Execution);
        Assert.True(JsonSerializer.Serialize(instance.ReadCustomStatusAs<WorkflowProgress>()).Length < 8_192); // Durable's 16 KB of UTF-16
    }

    [Fact]
    public void Advanced_AppliesTheProgressOfItsOwnExecution_AndLeavesAnotherExecutionsOut()
    {
        var definition = TestWorkflows.FormChase();
        var begun = new AppliedTrigger(new StartTrigger([]), LongAgo);
        var why = new WaitingStatus(InstanceStatus.Waiting, "exit", "form:exit-form", null, 1, 4);
        WorkflowRun Run() => new(new InstanceState { Id = "p-1", Workflow = definition.Name, Version = definition.Version, CreatedAt = LongAgo, UpdatedAt = LongAgo }, [], Execution: 3);

        var own = Run().Advanced(new WorkflowProgress(why, 3, [begun]), definition);
        var another = Run().Advanced(new WorkflowProgress(why, 2, [begun]), definition);

        Assert.Equal(("exit", 1), (own.State.Step, own.State.Attempt));
        Assert.Contains(own.History, h => h.Kind == "entered");
        Assert.Equal((null, 0), (another.State.Step, another.History.Count));
    }

    [Fact]
    public async Task Start_SameIdTwice_Exists_UnknownWorkflowAndBadIds_Refused()
    {
        await using var f = await DurableFixture.StartAsync(FarAhead, TestWorkflows.FormChase());

        Assert.Equal(StartStatus.Started, await f.Workflows.StartAsync("chase", "p-1", [], None));
        Assert.Equal(StartStatus.Exists, await f.Workflows.StartAsync("chase", "p-1", [], None));
        Assert.Equal(StartStatus.UnknownWorkflow, await f.Workflows.StartAsync("nope", "p-2", [], None));
        Assert.Equal(StartStatus.InvalidId, await f.Workflows.StartAsync("chase", "a/b", [], None));
        Assert.Equal(RaiseStatus.NotFound, (await f.Workflows.RaiseAsync("p-9", NamedEvent.Left(new DateOnly(2090, 1, 1)), None)).Status);
    }

    [Fact]
    public async Task Terminate_StopsIt_WithTheReason_AndPurgeForgetsIt()
    {
        await using var f = await DurableFixture.StartAsync(FarAhead, TestWorkflows.FormChase());
        var sent = f.Effects.WaitForAsync(e => e.Id == "p-1.1.a1");
        await f.Workflows.StartAsync("chase", "p-1", [], None);
        await sent;

        Assert.True(await f.Workflows.TerminateAsync("p-1", "enrolled by mistake", None));
        await f.Client.WaitForInstanceCompletionAsync("p-1");
        var status = await f.Workflows.StatusAsync("p-1", None);
        Assert.Equal((InstanceStatus.Terminated, "enrolled by mistake", null), (status!.Status, status.Error, status.Waiting));

        Assert.True(await f.Workflows.PurgeAsync("p-1", None));
        Assert.Null(await f.Workflows.StatusAsync("p-1", None));
        Assert.False(await f.Workflows.TerminateAsync("p-1", "again", None));
    }
}
