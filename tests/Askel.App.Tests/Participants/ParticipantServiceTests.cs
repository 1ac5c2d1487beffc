using System.Text.Json.Nodes;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Client;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Participants;

/// <summary>Leaving and task outcomes: the first leaving date stands, and a task's free-text reason never reaches the workflow.</summary>
public sealed class ParticipantServiceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AskelAppFactory _app = null!;

    public async Task InitializeAsync() => _app = await AskelAppFactory.CreateAsync(output);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task MarkedLeftTwice_FirstDateStands_AndATaskReasonStaysWithTheParticipant()
    {
        var service = _app.Services.GetRequiredService<ParticipantService>();
        var participant = await service.EnrolAsync(
            _app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", null, IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        var stale = await service.FindAsync("demo", participant.Id, CancellationToken.None);
        await service.UpdateAsync("demo", participant.Id, p => p.FirstName = "Aino", CancellationToken.None); // someone else changed the row

        await service.MarkLeftAsync(stale!, new DateOnly(2026, 11, 20), "coordinator@askel.local", CancellationToken.None);
        await service.MarkLeftAsync(stale!, new DateOnly(2026, 11, 22), "coordinator@askel.local", CancellationToken.None);
        await AdvanceAsync(TimeSpan.FromDays(15)); // no entry form: the entry task
        Assert.Null(await service.CompleteTaskAsync(_app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!, stale!, "entry-task", "answered-by-phone", null, "coordinator@askel.local", CancellationToken.None));
        await AdvanceAsync(TimeSpan.FromDays(29)); // left already: straight to the exit form, unanswered: the exit task

        var error = await service.CompleteTaskAsync(_app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!, stale!, "exit-task", "moved-away", "Moved to Tampere with her sister Liisa", "coordinator@askel.local", CancellationToken.None);

        Assert.Null(error);
        var row = await service.FindAsync("demo", participant.Id, CancellationToken.None);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), row!.LeftAt);
        Assert.Equal("Moved to Tampere with her sister Liisa", JsonNode.Parse(row.TaskOutcomes)!["exit-task"]!["reason"]!.GetValue<string>());
        var state = (await _app.Services.WorkflowStatusAsync(participant.InstanceId))!;
        Assert.Equal("six-month-wait", state.Step);
        Assert.Equal("2026-11-20", state.Data["events"]!["left"]!["leftOn"]!.GetValue<string>());
        Assert.DoesNotContain("Liisa", state.Data.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkedLeft_AfterTheWorkflowEnded_TheDateIsWrittenAtOnce_ElseByTheWorkflow()
    {
        var service = _app.Services.GetRequiredService<ParticipantService>();
        var demo = _app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        var running = await service.EnrolAsync(demo, new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", null, IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        var ended = await service.EnrolAsync(demo, new Enrolment("Eero", "Laine", "fi", "eero@example.org", null, IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
        await _app.Services.GetRequiredService<IWorkflowClient>().TerminateAsync(ended.InstanceId, "moved abroad", CancellationToken.None);
        await _app.Services.SettleAsync();

        await service.MarkLeftAsync(running, new DateOnly(2026, 11, 20), "coordinator@askel.local", CancellationToken.None);
        await service.MarkLeftAsync(ended, new DateOnly(2026, 11, 21), "coordinator@askel.local", CancellationToken.None);

        // No workflow to tell: written at once. The running workflow records the date once it has applied it.
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero), (await service.FindAsync("demo", ended.Id, CancellationToken.None))!.LeftAt);
        await _app.Services.SettleAsync();
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), (await service.FindAsync("demo", running.Id, CancellationToken.None))!.LeftAt);
    }

    private async Task AdvanceAsync(TimeSpan by)
    {
        _app.Time.Advance(by);
        await _app.Services.SettleAsync();
    }
}
