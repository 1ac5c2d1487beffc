using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Messaging;

/// <summary>A provider's report after sending: the log's status, the contact's state, and the fallback through the next channel.</summary>
public sealed class DeliveryReportsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AskelAppFactory _app = null!;
    private Participant _participant = null!;

    public async Task InitializeAsync()
    {
        _app = await AskelAppFactory.CreateAsync(output);
        _participant = await _app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            _app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", "+358401234567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private string Outbox => Path.Combine(_app.DataPath, "outbox");

    /// <summary>Askel's id of the intake SMS (the outbox names its file by it).</summary>
    private string IntakeSmsId() => Path.GetFileName(Assert.Single(Directory.GetFiles(Outbox, "*.sms.json")))[..^".sms.json".Length];

    [Fact]
    public async Task InvalidNumberReport_MarksTheNumberInvalid_AndTheLinkGoesOutByEmail()
    {
        var sms = Path.GetFileName(Assert.Single(Directory.GetFiles(Outbox, "*.sms.json")));
        var messageId = sms[..^".sms.json".Length];
        var reports = _app.Services.GetRequiredService<DeliveryReports>();

        Assert.True(await reports.ApplyAsync(messageId, "failed", permanent: true, "the number is not in use", "sms provider", CancellationToken.None));

        var logged = await _app.Services.GetRequiredService<MessageLog>().FindAsync(messageId, CancellationToken.None);
        Assert.Equal("failed", logged!.Status);
        var participant = await _app.Services.GetRequiredService<ParticipantService>().FindAsync("demo", _participant.Id, CancellationToken.None);
        Assert.Equal(ContactChannels.Invalid, participant!.SmsState);
        var state = (await _app.Services.WorkflowStatusAsync(_participant.InstanceId))!;
        Assert.Equal("invalid", state.Data["channels"]!["sms"]!.GetValue<string>());
        var email = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Outbox, "*.eml")));
        Assert.Contains("/f/", email, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliveredReport_OnlyUpdatesTheLog_AndAnUnknownIdIsRefused()
    {
        var sms = Path.GetFileName(Assert.Single(Directory.GetFiles(Outbox, "*.sms.json")));
        var reports = _app.Services.GetRequiredService<DeliveryReports>();

        Assert.True(await reports.ApplyAsync(sms[..^".sms.json".Length], "delivered", permanent: false, null, "sms provider", CancellationToken.None));
        Assert.False(await reports.ApplyAsync("demo.nobody.1.a1", "delivered", permanent: false, null, "sms provider", CancellationToken.None));

        Assert.Empty(Directory.GetFiles(Outbox, "*.eml"));
        var participant = await _app.Services.GetRequiredService<ParticipantService>().FindAsync("demo", _participant.Id, CancellationToken.None);
        Assert.Null(participant!.SmsState);
    }

    [Fact]
    public async Task ReplayedReports_ChangeNothing_AndAnOldStatusDoesNotOverwriteALaterOne()
    {
        var messageId = IntakeSmsId();
        var reports = _app.Services.GetRequiredService<DeliveryReports>();
        var participants = _app.Services.GetRequiredService<ParticipantService>();
        Assert.True(await reports.ApplyAsync(messageId, "failed", permanent: true, "the number is not in use", "sms provider", CancellationToken.None));
        await _app.Services.SettleAsync();
        var emails = Directory.GetFiles(Outbox, "*.eml").Length;
        // A coordinator puts the number back (the participant said it works again).
        await participants.UpdateAsync("demo", _participant.Id, p => p.SmsState = null, CancellationToken.None);

        // The same signed report again, and an older "delivered" arriving late.
        Assert.True(await reports.ApplyAsync(messageId, "failed", permanent: true, "the number is not in use", "sms provider", CancellationToken.None));
        Assert.True(await reports.ApplyAsync(messageId, "delivered", permanent: false, null, "sms provider", CancellationToken.None));
        await _app.Services.SettleAsync();

        Assert.Null((await participants.FindAsync("demo", _participant.Id, CancellationToken.None))!.SmsState);
        Assert.Equal("failed", (await _app.Services.GetRequiredService<MessageLog>().FindAsync(messageId, CancellationToken.None))!.Status);
        Assert.Equal(emails, Directory.GetFiles(Outbox, "*.eml").Length);
    }

    [Fact]
    public async Task ReplayedOptOut_ForTheSameMessage_IsAppliedOnce()
    {
        var messageId = IntakeSmsId();
        var reports = _app.Services.GetRequiredService<DeliveryReports>();
        var participants = _app.Services.GetRequiredService<ParticipantService>();
        Assert.True(await reports.OptOutAsync(messageId, "email", "sendgrid unsubscribe", CancellationToken.None));
        await participants.UpdateAsync("demo", _participant.Id, p => p.EmailState = null, CancellationToken.None); // they asked to get email again

        Assert.True(await reports.OptOutAsync(messageId, "email", "sendgrid unsubscribe", CancellationToken.None));

        Assert.Null((await participants.FindAsync("demo", _participant.Id, CancellationToken.None))!.EmailState);
    }

    [Theory]
    [InlineData("demo/x.1.a1")]
    [InlineData("demo.x\\y.1.a1")]
    [InlineData("demo.x#1.a1")]
    [InlineData("demo.x?1.a1")]
    [InlineData("demo.x\u0001.1.a1")]
    [InlineData("demo.äö.1.a1")]
    [InlineData("")]
    public async Task ReportForAnIdThatCannotBeAskels_IsUnknown(string messageId)
    {
        var reports = _app.Services.GetRequiredService<DeliveryReports>();

        Assert.False(await reports.ApplyAsync(messageId, "failed", permanent: true, "the number is not in use", "sms provider", CancellationToken.None));
        Assert.False(await reports.OptOutAsync(messageId, "email", "sendgrid unsubscribe", CancellationToken.None));
    }
}
