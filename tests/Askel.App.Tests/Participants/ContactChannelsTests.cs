using Askel.App.Audit;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Participants;

/// <summary>An opted-out or invalid channel is skipped by the workflow from then on, until a coordinator re-enables it.</summary>
public sealed class ContactChannelsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AskelAppFactory _app = null!;

    public async Task InitializeAsync() => _app = await AskelAppFactory.CreateAsync(output);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task SmsOptOut_IsRecordedWithItsTime_AndLaterSmsAttemptsGoByEmail()
    {
        var participant = await _app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            _app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", "+358 40 123 4567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
        var channels = _app.Services.GetRequiredService<ContactChannels>();

        var found = Assert.Single(await channels.FindAsync("sms", "+358401234567", CancellationToken.None));
        await channels.MarkAsync(found, "sms", ContactChannels.OptedOut, "sms STOP", CancellationToken.None);
        await channels.MarkAsync(found, "sms", ContactChannels.OptedOut, "sms STOP", CancellationToken.None);
        _app.Time.Advance(TimeSpan.FromDays(5) + TimeSpan.FromHours(1));
        await _app.Services.SettleAsync();

        var row = await _app.Services.GetRequiredService<ParticipantService>().FindAsync("demo", participant.Id, CancellationToken.None);
        Assert.Equal(ContactChannels.OptedOut, row!.SmsState);
        Assert.Equal("sms STOP", row.SmsStateSource);
        Assert.NotNull(row.SmsStateAt);
        var state = (await _app.Services.WorkflowStatusAsync(participant.InstanceId))!;
        Assert.Equal("opted-out", state.Data["channels"]!["sms"]!.GetValue<string>());
        var outbox = Path.Combine(_app.DataPath, "outbox");
        Assert.Single(Directory.GetFiles(outbox, "*.sms.json")); // only the intake SMS, sent before the opt-out
        Assert.Equal(2, Directory.GetFiles(outbox, "*.eml").Length); // the P2D email and the P5D attempt, which asked for SMS
    }

    [Fact]
    public async Task InvalidSms_Reenabled_IsUsableAgain_AndAnotherBounceAfterThatIsToldAgain()
    {
        var participant = await EnrolAsync();
        var channels = _app.Services.GetRequiredService<ContactChannels>();

        await channels.MarkAsync(participant, "sms", ContactChannels.Invalid, "twilio undelivered", CancellationToken.None);
        Assert.Equal("invalid", await SmsStateInWorkflowAsync(participant));
        Assert.True(await channels.ReenableAsync(participant, "sms", reason: null, "coordinator@askel.local", CancellationToken.None));
        Assert.Equal("ok", await SmsStateInWorkflowAsync(participant));
        Assert.Null((await FindAsync(participant)).SmsState);
        _app.Time.Advance(TimeSpan.FromMinutes(1));
        await channels.MarkAsync(participant, "sms", ContactChannels.Invalid, "twilio undelivered", CancellationToken.None);

        Assert.Equal("invalid", await SmsStateInWorkflowAsync(participant));
        var audit = await _app.Services.GetRequiredService<AuditLog>().ReadAsync("demo", participant.Id, 100, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "channel-reenabled" && a.Actor == "coordinator@askel.local" && a.Detail == "sms (was invalid)");
        Assert.Equal(2, audit.Count(a => a.Action == "channel-invalid"));
    }

    [Fact]
    public async Task OptOut_IsLiftedOnlyWithAReason_WhichTheAuditKeeps()
    {
        var participant = await EnrolAsync();
        var channels = _app.Services.GetRequiredService<ContactChannels>();
        await channels.MarkAsync(participant, "email", ContactChannels.OptedOut, "sendgrid unsubscribe", CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(() => channels.ReenableAsync(participant, "email", "  ", "coordinator@askel.local", CancellationToken.None));
        Assert.Equal(ContactChannels.OptedOut, (await FindAsync(participant)).EmailState);
        Assert.True(await channels.ReenableAsync(participant, "email", "Asked by phone on 3.3. to get email again", "coordinator@askel.local", CancellationToken.None));

        Assert.Null((await FindAsync(participant)).EmailState);
        var audit = await _app.Services.GetRequiredService<AuditLog>().ReadAsync("demo", participant.Id, 100, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "channel-reenabled" && a.Detail == "email (was opted-out): Asked by phone on 3.3. to get email again");
        Assert.False(await channels.ReenableAsync(participant, "email", null, "coordinator@askel.local", CancellationToken.None)); // nothing left to re-enable
    }

    [Fact]
    public async Task CorrectedNumberAndLanguage_TheRunningWorkflowLearnsThem()
    {
        var participant = await EnrolAsync();
        var service = _app.Services.GetRequiredService<ParticipantService>();
        await _app.Services.GetRequiredService<ContactChannels>().MarkAsync(participant, "sms", ContactChannels.Invalid, "twilio undelivered", CancellationToken.None);
        await _app.Services.SettleAsync();

        await service.RectifyAsync(await FindAsync(participant), new Enrolment("Aino", "Virtanen", "en", null, "+358 40 765 4321", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);

        var state = (await _app.Services.WorkflowStatusAsync(participant.InstanceId))!;
        Assert.Equal("ok", state.Data["channels"]!["sms"]!.GetValue<string>());
        Assert.Equal("missing", state.Data["channels"]!["email"]!.GetValue<string>());
        Assert.Equal("en", state.Data["language"]!.GetValue<string>());
    }

    private async Task<Participant> EnrolAsync()
    {
        var participant = await _app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            _app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", "+358 40 123 4567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
        return participant;
    }

    private async Task<Participant> FindAsync(Participant participant) =>
        (await _app.Services.GetRequiredService<ParticipantService>().FindAsync("demo", participant.Id, CancellationToken.None))!;

    private async Task<string> SmsStateInWorkflowAsync(Participant participant) =>
        (await _app.Services.WorkflowStatusAsync(participant.InstanceId))!.Data["channels"]!["sms"]!.GetValue<string>();
}
