using System.Text.Json.Nodes;
using Askel.Runtime.Calendar;
using Askel.Runtime.Definitions;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Azure.Data.Tables;

namespace Askel.Runtime.Tests.Engine;

public sealed class WorkflowEngineTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Start_AskStep_SendsFirstAttemptNowAndTimesTheRest()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.FormChase());
        var start = f.Time.GetUtcNow();

        var outcome = await f.Engine.StartAsync("chase", "p-1", new JsonObject { ["language"] = "en" }, None);

        Assert.Equal(ApplyStatus.Applied, outcome.Status);
        var state = (await f.Store.LoadAsync("p-1", None))!.State;
        Assert.Equal((InstanceStatus.Waiting, "exit", "form:exit-form"), (state.Status, state.Step, state.Awaiting));
        var sent = Assert.Single(f.Effects.For("p-1"));
        Assert.Equal(("p-1.1.a1", "sms", "en", "exit-form-link", "exit-form"), (sent.Id, Str(sent, "channel"), Str(sent, "language"), Str(sent, "template"), Str(sent, "form")));
        Assert.Equal([start.AddDays(3), start.AddDays(21)], state.Timers.Select(t => t.Due).Order());
        Assert.Empty(await f.Store.PendingEffectsAsync("p-1", None));
    }

    [Fact]
    public async Task Start_SameIdTwice_SecondIsConflictAndSendsNothing()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.FormChase());
        await f.Engine.StartAsync("chase", "p-1", [], None);

        var second = await f.Engine.StartAsync("chase", "p-1", [], None);

        Assert.Equal(ApplyStatus.Conflict, second.Status);
        Assert.Single(f.Effects.For("p-1"));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("-leading")]
    public async Task Start_BadInstanceId_Rejected(string id)
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.FormChase());

        Assert.Equal(ApplyStatus.Rejected, (await f.Engine.StartAsync("chase", id, [], None)).Status);
    }

    [Fact]
    public async Task Start_UnknownWorkflow_NotFound()
    {
        var f = await EngineFixture.CreateAsync();

        Assert.Equal(ApplyStatus.NotFound, (await f.Engine.StartAsync("nope", "p-1", [], None)).Status);
    }

    [Fact]
    public async Task FormSubmitted_CompletesAndRemovesEveryTimerRow()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.FormChase());
        await f.Engine.StartAsync("chase", "p-1", [], None);

        var outcome = await f.Engine.RaiseEventAsync("p-1", "form:exit-form", new JsonObject { ["filledBy"] = "participant" }, "submission-1", None);

        Assert.Equal(ApplyStatus.Applied, outcome.Status);
        Assert.Equal((InstanceStatus.Completed, "collected"), (outcome.State!.Status, outcome.State.Outcome));
        Assert.Equal("participant", outcome.State.Data["forms"]!["exit-form"]!["filledBy"]!.GetValue<string>());
        Assert.Empty(await TimerRowsAsync(f));
        await f.RunForAsync(TimeSpan.FromDays(30), TimeSpan.FromDays(1));
        Assert.Single(f.Effects.For("p-1"));
    }

    [Fact]
    public async Task NoAnswer_AttemptsRotateChannelsThenTaskThenOutcome()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.FormChase());
        f.Effects.Clock = f.Time;
        var start = f.Time.GetUtcNow();
        await f.Engine.StartAsync("chase", "p-1", [], None);

        await f.RunForAsync(TimeSpan.FromDays(22), TimeSpan.FromHours(1));

        var sent = f.Effects.Dispatched.Where(d => d.Effect.InstanceId == "p-1").ToArray();
        Assert.Equal(["sms", "email", "sms", "email"], sent.Where(d => d.Effect.Kind == "message").Select(d => Str(d.Effect, "channel")));
        Assert.Equal([0, 3, 7, 14, 21], sent.Select(d => (d.At - start).TotalDays));
        Assert.Equal("task", sent[^1].Effect.Kind);
        Assert.Equal("task:reach", (await f.Store.LoadAsync("p-1", None))!.State.Awaiting);

        var done = await f.Engine.RaiseEventAsync("p-1", "task:reach", new JsonObject { ["outcome"] = "unreachable", ["reason"] = "no answer to four calls" }, null, None);

        Assert.Equal((InstanceStatus.Completed, "not-collected"), (done.State!.Status, done.State.Outcome));
    }

    [Fact]
    public async Task TaskOutcome_NotDeclared_RejectedAndNothingChanges()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.FormChase(attempts: ["P0D"]));
        await f.Engine.StartAsync("chase", "p-1", [], None);
        await f.RunForAsync(TimeSpan.FromDays(21), TimeSpan.FromDays(1));
        var before = (await f.Store.LoadAsync("p-1", None))!;

        var outcome = await f.Engine.RaiseEventAsync("p-1", "task:reach", new JsonObject { ["outcome"] = "made-up" }, null, None);

        Assert.Equal(ApplyStatus.Rejected, outcome.Status);
        Assert.Contains("filled-together, unreachable", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(before.ETag, (await f.Store.LoadAsync("p-1", None))!.ETag);
    }

    [Fact]
    public async Task RaiseEvent_UnknownInstance_NotFound()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.FormChase());

        Assert.Equal(ApplyStatus.NotFound, (await f.Engine.RaiseEventAsync("ghost", "form:exit-form", null, null, None)).Status);
    }

    [Fact]
    public async Task RaiseEvent_SameEventIdTwice_AppliedOnce()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.WaitForEvent());
        await f.Engine.StartAsync("listener", "p-1", [], None);
        await f.Engine.RaiseEventAsync("p-1", "channel:sms", new JsonObject { ["state"] = "invalid" }, "e-1", None);

        var again = await f.Engine.RaiseEventAsync("p-1", "channel:sms", new JsonObject { ["state"] = "ok" }, "e-1", None);

        Assert.Equal(ApplyStatus.Unchanged, again.Status);
        Assert.Equal("invalid", (await f.Store.LoadAsync("p-1", None))!.State.Data["channels"]!["sms"]!.GetValue<string>());
    }

    [Fact]
    public async Task EventBeforeItsStep_KeptAndConsumedWhenTheStepIsReached()
    {
        var here = new SourceLocation("t.yaml", 1, 1);
        var f = await EngineFixture.CreateAsync(TestWorkflows.Build("later", "v1", TestWorkflows.NoQuietHours,
            new WaitStep("pause", here, Askel.Runtime.Calendar.IsoDuration.Parse("P1D"), null, "listen"),
            new WaitForEventStep("listen", here, "participant-left", null, null, null, "done"),
            new EndStep("done", here, "left")));
        await f.Engine.StartAsync("later", "p-1", [], None);

        await f.Engine.RaiseEventAsync("p-1", "participant-left", new JsonObject { ["leftAt"] = "2026-11-23" }, null, None);
        await f.RunForAsync(TimeSpan.FromDays(1), TimeSpan.FromHours(6));

        var state = (await f.Store.LoadAsync("p-1", None))!.State;
        Assert.Equal((InstanceStatus.Completed, "left"), (state.Status, state.Outcome));
        Assert.Empty(state.Inbox);
    }

    [Fact]
    public async Task ChannelMissing_SendsThroughTheNextChannel()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.FormChase());

        await f.Engine.StartAsync("chase", "p-1", new JsonObject { ["channels"] = new JsonObject { ["sms"] = "missing", ["email"] = "ok" } }, None);

        Assert.Equal("email", Str(Assert.Single(f.Effects.For("p-1")), "channel"));
    }

    [Fact]
    public async Task DeliveryFails_MarksChannelAndResendsThroughTheNext()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.FormChase());
        f.Effects.Behaviour = e => Str(e, "channel") == "sms" ? new EffectResult(EffectOutcome.Failed, "invalid number") : EffectResult.Done;

        await f.Engine.StartAsync("chase", "p-1", [], None);

        Assert.Equal(["p-1.1.a1", "p-1.1.a1-sms-fallback"], f.Effects.For("p-1").Select(e => e.Id));
        Assert.Equal("email", Str(f.Effects.For("p-1")[1], "channel"));
        var state = (await f.Store.LoadAsync("p-1", None))!.State;
        Assert.Equal("invalid", state.Data["channels"]!["sms"]!.GetValue<string>());
        Assert.Empty(await f.Store.PendingEffectsAsync("p-1", None));
    }

    [Fact]
    public async Task DeliveryFailsForAWhile_NextChannelNow_ThatChannelAgainInTheNextStep()
    {
        var here = new SourceLocation("test.yaml", 1, 1);
        var f = await EngineFixture.CreateAsync(TestWorkflows.Build("twice", "v1", null,
            new AskStep("first", here, "f1", "f1-link", [new Attempt(IsoDuration.Parse("P0D"), "sms")], IsoDuration.Parse("P1D"), "second", "done"),
            new AskStep("second", here, "f2", "f2-link", [new Attempt(IsoDuration.Parse("P0D"), "sms")], IsoDuration.Parse("P1D"), "done", "done"),
            new EndStep("done", here, "done")));
        f.Effects.Behaviour = e => e.Id == "p-1.1.a1" ? new EffectResult(EffectOutcome.Failed, "provider down for 30 minutes", Permanent: false) : EffectResult.Done;

        await f.Engine.StartAsync("twice", "p-1", [], None);
        Assert.Equal("failing", (await f.Store.LoadAsync("p-1", None))!.State.Data["channels"]!["sms"]!.GetValue<string>());
        f.Time.Advance(TimeSpan.FromDays(1));
        await f.Engine.ProcessDueAsync(None);

        Assert.Equal(["sms", "email", "sms"], f.Effects.For("p-1").Select(e => Str(e, "channel")));
    }

    [Fact]
    public async Task EffectThrows_StaysPendingAndIsRetriedAfterItsLease()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.FormChase());
        var calls = 0;
        f.Effects.Behaviour = _ => ++calls == 1 ? throw new HttpRequestException("provider down") : EffectResult.Done;

        await f.Engine.StartAsync("chase", "p-1", [], None);
        Assert.Single(await f.Store.PendingEffectsAsync("p-1", None));
        await f.Engine.ProcessDueAsync(None);
        Assert.Equal(1, calls); // still leased to the first attempt

        f.Time.Advance(TimeSpan.FromMinutes(2));
        await f.Engine.ProcessDueAsync(None);

        Assert.Equal(2, calls);
        Assert.Empty(await f.Store.PendingEffectsAsync("p-1", None));
    }

    [Fact]
    public async Task Terminate_StopsWithReasonAndCancelsTimers()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.FormChase());
        await f.Engine.StartAsync("chase", "p-1", [], None);

        var outcome = await f.Engine.TerminateAsync("p-1", "enrolled by mistake", None);
        await f.RunForAsync(TimeSpan.FromDays(30), TimeSpan.FromDays(1));

        Assert.Equal((InstanceStatus.Terminated, "enrolled by mistake"), (outcome.State!.Status, outcome.State.Error));
        Assert.Empty(await TimerRowsAsync(f));
        Assert.Single(f.Effects.For("p-1"));
    }

    [Fact]
    public async Task Purge_RemovesEveryRowOfTheInstance()
    {
        var f = await EngineFixture.CreateAsync(TestWorkflows.FormChase());
        await f.Engine.StartAsync("chase", "p-1", [], None);
        await f.Engine.StartAsync("chase", "p-2", [], None);

        Assert.True(await f.Store.PurgeAsync("p-1", None));

        var rows = await AllRowsAsync(f);
        Assert.DoesNotContain(rows, key => key.Contains("p-1", StringComparison.Ordinal));
        Assert.Contains(rows, key => key.Contains("p-2", StringComparison.Ordinal));
        Assert.False(await f.Store.PurgeAsync("p-1", None));
    }

    [Fact]
    public async Task LongLife_HistoryStaysBounded()
    {
        var here = new SourceLocation("t.yaml", 1, 1);
        var f = await EngineFixture.CreateAsync(TestWorkflows.Build("chatty", "v1", TestWorkflows.NoQuietHours,
            new WaitForEventStep("coach", here, "participant-left", null, null, new CheckIn(Askel.Runtime.Calendar.IsoDuration.Parse("P1D"), "how-are-you"), "done"),
            new EndStep("done", here, "left")));
        await f.Engine.StartAsync("chatty", "p-1", [], None);

        await f.RunForAsync(TimeSpan.FromDays(150), TimeSpan.FromDays(1));

        var history = await f.Store.HistoryAsync("p-1", None);
        Assert.InRange(history.Count, 150, Askel.Runtime.Store.InstanceStore.HistoryLimit);
        Assert.Equal(150, f.Effects.For("p-1").Count);
        Assert.Equal(history[^1].Sequence, (await f.Store.LoadAsync("p-1", None))!.State.HistoryNext - 1);
    }

    private static string? Str(Effect effect, string name) => effect.Payload[name]?.GetValue<string>();

    private static async Task<List<string>> TimerRowsAsync(EngineFixture f) =>
        (await AllRowsAsync(f)).Where(k => k.StartsWith("y|", StringComparison.Ordinal)).ToList();

    private static async Task<List<string>> AllRowsAsync(EngineFixture f)
    {
        var keys = new List<string>();
        await foreach (var row in f.Store.Table.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            keys.Add(row.RowKey);
        }

        return keys;
    }
}
