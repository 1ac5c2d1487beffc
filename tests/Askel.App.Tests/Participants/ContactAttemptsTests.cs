using Askel.App.Audit;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Client;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Participants;

/// <summary>Contacts a coordinator makes outside Askel: kept, audited, told to the workflow, which may count them as reminders.</summary>
public sealed class ContactAttemptsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AskelAppFactory _app = null!;

    public async Task InitializeAsync() => _app = await AskelAppFactory.CreateAsync(output);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private string Outbox => Path.Combine(_app.DataPath, "outbox");

    [Fact]
    public async Task CallLoggedAtTheExitForm_CountsAsTheNextReminder_SoTheDay3SmsIsNotSent()
    {
        var participant = await EnrolAndLeaveAsync();
        var smsBefore = Directory.GetFiles(Outbox, "*.sms.json").Length;

        await _app.Services.GetRequiredService<ContactAttempts>().LogAsync(participant, "phone", "reached", "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync(); // the workflow has it before the day-3 reminder comes due
        _app.Time.Advance(TimeSpan.FromDays(4));
        await _app.Services.SettleAsync();

        Assert.Equal(smsBefore, Directory.GetFiles(Outbox, "*.sms.json").Length);
        var history = await _app.Services.GetRequiredService<IWorkflowClient>().HistoryAsync(participant.InstanceId, CancellationToken.None);
        Assert.Contains(history, h => h.Kind == "contact-attempt" && h.Step == "exit" && h.Detail == "phone: reached (counted as attempt 2 of 4)");
        var logged = Assert.Single(await _app.Services.GetRequiredService<ContactAttempts>().OfAsync(participant.Id, CancellationToken.None));
        Assert.Equal(("phone", "reached", "coordinator@askel.local"), (logged.Kind, logged.Outcome, logged.By));
        var audit = await _app.Services.GetRequiredService<AuditLog>().ReadAsync("demo", participant.Id, 100, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "contact-attempt" && a.Detail == "phone: reached");
    }

    [Fact]
    public async Task WrongNumber_MarksTheSmsChannelInvalid_AndDoesNotCount()
    {
        var participant = await EnrolAndLeaveAsync();

        await _app.Services.GetRequiredService<ContactAttempts>().LogAsync(participant, "whatsapp", "wrong-number", "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();

        var row = await _app.Services.GetRequiredService<ParticipantService>().FindAsync("demo", participant.Id, CancellationToken.None);
        Assert.Equal((ContactChannels.Invalid, "coordinator@askel.local: wrong number"), (row!.SmsState, row.SmsStateSource));
        var state = (await _app.Services.WorkflowStatusAsync(participant.InstanceId))!;
        Assert.Equal("invalid", state.Data["channels"]!["sms"]!.GetValue<string>());
        var history = await _app.Services.GetRequiredService<IWorkflowClient>().HistoryAsync(participant.InstanceId, CancellationToken.None);
        Assert.Contains(history, h => h.Kind == "contact-attempt" && h.Detail == "whatsapp: wrong-number");
    }

    [Theory]
    [InlineData("visit", "wrong-number")]
    [InlineData("email", "reached")]
    [InlineData("phone", "maybe")]
    public async Task AttemptThatDoesNotFit_IsRefused_AndNothingIsKept(string kind, string outcome)
    {
        var participant = await EnrolAndLeaveAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => _app.Services.GetRequiredService<ContactAttempts>().LogAsync(participant, kind, outcome, "coordinator@askel.local", CancellationToken.None));

        Assert.Empty(await _app.Services.GetRequiredService<ContactAttempts>().OfAsync(participant.Id, CancellationToken.None));
    }

    private async Task<Participant> EnrolAndLeaveAsync()
    {
        var service = _app.Services.GetRequiredService<ParticipantService>();
        var participant = await service.EnrolAsync(
            _app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", "+358 40 123 4567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
        // Past the entry form (answered) into coaching, then left: the exit form is asked.
        await _app.Services.GetRequiredService<IWorkflowClient>().RaiseAsync(
            participant.InstanceId, new FormSubmitted("esf-entry", "participant", "v1", FormSubmitted.IdFor("esf-entry")), CancellationToken.None);
        await _app.Services.SettleAsync();
        await service.MarkLeftAsync(participant, DateOnly.FromDateTime(_app.Time.GetUtcNow().UtcDateTime), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
        var state = (await _app.Services.WorkflowStatusAsync(participant.InstanceId))!;
        Assert.Equal("exit", state.Step);
        return (await service.FindAsync("demo", participant.Id, CancellationToken.None))!;
    }
}
