using Askel.App.Coordinator;
using Askel.App.Participants;
using Askel.App.Projects;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Coordinator;

/// <summary>
/// The morning digest: on a working morning each coordinator with something in their queue gets one email (first names
/// only), once a day however often the timer runs; nobody with an empty queue, nobody who switched it off, nobody at the weekend.
/// </summary>
public sealed class DailyDigestTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AskelAppFactory _app = null!;

    public async Task InitializeAsync() => _app = await AskelAppFactory.CreateAsync(output);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private string[] Digests(string day) => Directory.Exists(Outbox) ? Directory.GetFiles(Outbox, $"digest.{day}.*.eml") : [];

    private string Outbox => Path.Combine(_app.DataPath, "outbox");

    [Fact]
    public async Task AWorkingMorning_OneDigestPerCoordinatorWithWork_AndSwitchedOffMeansNone()
    {
        var demo = _app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        var participant = await _app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            demo, new Enrolment("Aino", "Virtanen", "fi", "aino@example.org", "040 123 4567", IntakeInPerson: true), "coordinator@askel.local", CancellationToken.None);
        await _app.Services.GetRequiredService<ContactChannels>().MarkAsync(participant, "sms", ContactChannels.Invalid, "twilio 21211", CancellationToken.None);

        // Monday 23 November 2026, 10:00 in Helsinki: a working morning.
        await _app.RunTimerAsync("digest-daily");
        await _app.RunTimerAsync("digest-daily");

        var digest = File.ReadAllText(Assert.Single(Digests("2026-11-23")));
        Assert.Contains("To: coordinator@askel.local\r\n", digest, StringComparison.Ordinal);
        Assert.Contains("Yhteystiedot, jotka eivät toimi (1): Aino", digest, StringComparison.Ordinal);
        Assert.Contains("Contacts that do not work (1): Aino", digest, StringComparison.Ordinal);
        Assert.Contains("/coordinator", digest, StringComparison.Ordinal);
        Assert.DoesNotContain("Virtanen", digest, StringComparison.Ordinal);
        Assert.DoesNotContain("+358", digest, StringComparison.Ordinal);

        await _app.Services.GetRequiredService<DailyDigest>().SwitchAsync("Coordinator@askel.local", on: false, CancellationToken.None);
        _app.Time.Advance(TimeSpan.FromDays(1));
        await _app.RunTimerAsync("digest-daily");
        Assert.Empty(Digests("2026-11-24"));

        await _app.Services.GetRequiredService<DailyDigest>().SwitchAsync("coordinator@askel.local", on: true, CancellationToken.None);
        _app.Time.Advance(TimeSpan.FromDays(4)); // Saturday
        await _app.RunTimerAsync("digest-daily");
        Assert.Empty(Digests("2026-11-28"));
        _app.Time.Advance(TimeSpan.FromDays(2)); // Monday again
        await _app.RunTimerAsync("digest-daily");
        Assert.Single(Digests("2026-11-30"));
    }
}
