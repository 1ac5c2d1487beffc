using System.Text.Json.Nodes;
using Askel.App.Participants;
using Askel.Runtime.Client;
using Askel.Runtime.Engine;
using Askel.Testing;
using Azure.Data.Tables;

namespace Askel.App.Tests.Participants;

/// <summary>
/// Open-task rows against their workflow's status: a row is shown while the workflow waits for it, and forgotten only
/// once the workflow is certainly past it — never because a status was read while the task was being opened.
/// </summary>
public sealed class OpenTasksTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Opened = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private OpenTasks _tasks = null!;

    public async Task InitializeAsync()
    {
        var options = new EngineOptions { StoragePrefix = Azurite.UniqueName("t") };
        _tasks = new OpenTasks(new TableServiceClient((await Azurite.AccountAsync()).ConnectionString), options, null!);
        await _tasks.Table.CreateAsync();
        await _tasks.OpenAsync(
            new Effect("demo.p1.task-1", "demo.p1", "task", new JsonObject { ["step"] = "exit-task", ["openedAt"] = Opened.ToString("o") }),
            "coordinator@askel.local", CancellationToken.None);
    }

    public Task DisposeAsync() => _tasks.Table.DeleteAsync();

    [Fact]
    public async Task AStatusReadWhileTheTaskWasOpening_LeavesTheRow_AndTheNextReadShowsIt()
    {
        var opening = Status("exit", new AwaitingForm("esf-exit"), entered: Opened.AddDays(-30)); // the state before the task step

        Assert.Empty(await ListAsync(opening));
        Assert.Single(await ListAsync(Status("exit-task", new AwaitingTask("exit-task"), entered: Opened)));
    }

    [Fact]
    public async Task AWorkflowPastTheTask_ForgetsTheRow()
    {
        Assert.Empty(await ListAsync(Status("six-month-wait", null, entered: Opened.AddDays(2))));
        Assert.Empty(await _tasks.OfInstanceAsync("demo.p1", CancellationToken.None));
    }

    [Fact]
    public async Task AWorkflowThatIsGone_ForgetsTheRow()
    {
        Assert.Empty(await ListAsync(null));
        Assert.Empty(await _tasks.OfInstanceAsync("demo.p1", CancellationToken.None));
    }

    [Theory]
    [InlineData(InstanceStatus.Completed)]
    [InlineData(InstanceStatus.Terminated)]
    public async Task AnEndedWorkflow_ForgetsTheRow(InstanceStatus ended)
    {
        Assert.Empty(await ListAsync(Status("exit", new AwaitingForm("esf-exit"), entered: Opened.AddDays(-30)) with { Status = ended }));
        Assert.Empty(await _tasks.OfInstanceAsync("demo.p1", CancellationToken.None));
    }

    private Task<IReadOnlyList<OpenTask>> ListAsync(WorkflowStatus? status) =>
        _tasks.ListAsync("demo.", new Dictionary<string, WorkflowStatus?> { ["demo.p1"] = status }, CancellationToken.None);

    private static WorkflowStatus Status(string step, Awaiting? awaiting, DateTimeOffset entered) =>
        new("demo.p1", "participant-lifecycle", "v1", InstanceStatus.Waiting, step, 1, 0, awaiting, [], null, null, Opened.AddDays(-100), entered, [])
        {
            StepEnteredAt = entered,
        };
}
