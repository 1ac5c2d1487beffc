using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Participants;

/// <summary>An opted-out or invalid channel is skipped by the workflow from then on.</summary>
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
}
