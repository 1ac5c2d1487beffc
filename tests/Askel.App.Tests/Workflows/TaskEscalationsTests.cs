using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Workflows;

/// <summary>
/// The demo workflow's exit task is due a week after it opens; overdue, it reminds the participant's coordinator by email,
/// and a week later the project's managers. The reminder names the participant by first name only.
/// </summary>
public sealed class TaskEscalationsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AskelAppFactory _app = null!;

    public async Task InitializeAsync() => _app = await AskelAppFactory.CreateAsync(output);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private string Outbox => Path.Combine(_app.DataPath, "outbox");

    [Fact]
    public async Task OverdueExitTask_RemindsTheCoordinatorThenTheManagers()
    {
        var participant = await ExitTaskOpenAsync();
        Assert.Empty(Directory.GetFiles(Outbox, "*.e1.eml"));

        await AdvanceAsync(TimeSpan.FromDays(7.5));
        var toCoordinator = File.ReadAllText(Assert.Single(Directory.GetFiles(Outbox, "*.e1.eml")));
        Assert.Contains("To: coordinator@askel.local\r\n", toCoordinator, StringComparison.Ordinal);
        Assert.Contains("Loppulomake puuttuu neljän yrityksen jälkeen", toCoordinator, StringComparison.Ordinal);
        Assert.Contains("The exit form is missing after four attempts", toCoordinator, StringComparison.Ordinal);
        Assert.Contains($"/coordinator/projects/demo/participants/{participant.Id}", toCoordinator, StringComparison.Ordinal);
        Assert.Contains("Aino", toCoordinator, StringComparison.Ordinal);
        Assert.DoesNotContain("Virtanen", toCoordinator, StringComparison.Ordinal);
        Assert.DoesNotContain("aino@example.org", toCoordinator, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Outbox, "*.e2.eml"));

        await AdvanceAsync(TimeSpan.FromDays(7));
        Assert.Contains("To: manager@askel.local\r\n", File.ReadAllText(Assert.Single(Directory.GetFiles(Outbox, "*.e2.eml"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExitTaskCompletedInTime_NobodyIsReminded()
    {
        var participant = await ExitTaskOpenAsync();
        await AdvanceAsync(TimeSpan.FromDays(3));

        Assert.Null(await _app.Services.GetRequiredService<ParticipantService>().CompleteTaskAsync(
            Demo, participant, "exit-task", "answered-by-phone", null, "coordinator@askel.local", CancellationToken.None));
        await _app.Services.SettleAsync();
        await AdvanceAsync(TimeSpan.FromDays(20));

        Assert.Empty(Directory.GetFiles(Outbox, "*.e?.eml"));
    }

    private Project Demo => _app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;

    // Enrolled, left at once, the entry task done by phone, the exit form never answered: the exit task is open.
    private async Task<Participant> ExitTaskOpenAsync()
    {
        var service = _app.Services.GetRequiredService<ParticipantService>();
        var participant = await service.EnrolAsync(Demo, new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", null, IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await service.MarkLeftAsync(participant, new DateOnly(2026, 11, 23), "coordinator@askel.local", CancellationToken.None);
        await AdvanceAsync(TimeSpan.FromDays(15));
        Assert.Null(await service.CompleteTaskAsync(Demo, participant, "entry-task", "answered-by-phone", null, "coordinator@askel.local", CancellationToken.None));
        await _app.Services.SettleAsync();
        await AdvanceAsync(TimeSpan.FromDays(29));
        Assert.Equal(new Askel.Runtime.Client.AwaitingTask("exit-task"), (await _app.Services.GetRequiredService<Askel.Runtime.Client.IWorkflowClient>().StatusAsync(participant.InstanceId, CancellationToken.None))!.Waiting);
        return participant;
    }

    private async Task AdvanceAsync(TimeSpan by)
    {
        _app.Time.Advance(by);
        await _app.Services.SettleAsync();
    }
}
