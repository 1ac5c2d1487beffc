using System.Net;
using System.Text.Json.Nodes;
using Askel.App.Coordinator;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Client;
using Askel.Runtime.Engine;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Askel.App.Tests.Coordinator.CoordinatorBrowser;

namespace Askel.App.Tests.Coordinator;

/// <summary>
/// The work queue on the coordinator's landing page: a bounced number, forms about to expire, open tasks and participants
/// nobody has been in touch with, each with its action; only for the participants in the user's care.
/// </summary>
public sealed class WorkQueueTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    [Fact]
    public async Task AWorkingMonth_TheQueueSaysWhatToDoAndForgetsWhatWasDone()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var aino = await EnrolAsync(client, "Aino", "Virtanen", "aino@example.org", "040 123 4567");
        var bo = await EnrolAsync(client, "Bo", "Lind", email: null, phone: "040 765 4321");
        await App.Services.SettleAsync();
        Assert.Contains("Ei mitään hoidettavaa", await TodayAsync("coordinator@askel.local"), StringComparison.Ordinal);

        var participants = App.Services.GetRequiredService<ParticipantService>();
        var ainoRow = (await participants.FindAsync("demo", aino, CancellationToken.None))!;
        await App.Services.GetRequiredService<ContactChannels>().MarkAsync(ainoRow, "sms", ContactChannels.Invalid, "twilio 21211", CancellationToken.None);
        var bounced = await TodayAsync("coordinator@askel.local");
        Assert.Contains("Yhteystiedot, jotka eivät toimi (1)", bounced, StringComparison.Ordinal);
        Assert.Contains("Aino Virtanen</a> (Askel demo project): puhelinnumero ei toimi", bounced, StringComparison.Ordinal);
        Assert.Contains($"/coordinator/projects/demo/participants/{aino}?lang=fi#details", bounced, StringComparison.Ordinal);

        await AdvanceAsync(TimeSpan.FromDays(11.5)); // the entry links expire in 2½ days
        var expiring = await TodayAsync("coordinator@askel.local");
        Assert.Contains("Vanhenevat lomakkeet (2)", expiring, StringComparison.Ordinal);
        Assert.Contains($"/coordinator/projects/demo/participants/{bo}/forms/esf-entry?lang=fi", expiring, StringComparison.Ordinal);

        await AdvanceAsync(TimeSpan.FromDays(3)); // expired: the entry tasks open
        var tasks = await TodayAsync("coordinator@askel.local");
        Assert.Contains("Tehtävät (2)", tasks, StringComparison.Ordinal);
        Assert.Contains("Alkulomake puuttuu – täyttäkää se yhdessä – avattu", tasks, StringComparison.Ordinal);
        Assert.Contains($"/coordinator/projects/demo/participants/{bo}?lang=fi#task-entry-task", tasks, StringComparison.Ordinal);
        Assert.DoesNotContain("Vanhenevat lomakkeet", tasks, StringComparison.Ordinal);
        using (var again = await SignInAsync("coordinator@askel.local"))
        {
            Assert.Contains("id=\"task-entry-task\"", await again.GetStringAsync($"/coordinator/projects/demo/participants/{bo}"), StringComparison.Ordinal);
        }

        await AdvanceAsync(TimeSpan.FromDays(30)); // six weeks and more since enrolment, nobody logged a contact
        Assert.Contains("Ei yhteyttä pitkään aikaan (2)", await TodayAsync("coordinator@askel.local"), StringComparison.Ordinal);
        await App.Services.GetRequiredService<ContactAttempts>().LogAsync(ainoRow, "phone", "reached", "coordinator@askel.local", CancellationToken.None);
        var afterCall = await TodayAsync("coordinator@askel.local");
        Assert.Contains("Ei yhteyttä pitkään aikaan (1)", afterCall, StringComparison.Ordinal);
        Assert.Contains($"/coordinator/projects/demo/participants/{bo}?lang=fi#log-attempt", afterCall, StringComparison.Ordinal);
        Assert.Contains("Bo Lind</a> (Askel demo project): ei kirjattua yhteyttä 6 viikkoon", afterCall, StringComparison.Ordinal);

        // An admin opens every project, but these participants are in the coordinator's care: not in the admin's queue.
        Assert.DoesNotContain("Bo Lind", await TodayAsync("admin@askel.local"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMorningDigest_IsSwitchedOffAndOnFromTheLandingPage()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        Assert.Contains("Lopeta kooste", await client.GetStringAsync("/coordinator"), StringComparison.Ordinal);

        using var off = await PostAsync(client, "/coordinator", "/coordinator/digest", ("on", "false"));

        Assert.Equal(HttpStatusCode.SeeOther, off.StatusCode);
        Assert.False(await App.Services.GetRequiredService<DailyDigest>().IsOnAsync("coordinator@askel.local", CancellationToken.None));
        Assert.Contains("Tilaa kooste", await client.GetStringAsync("/coordinator"), StringComparison.Ordinal);
        Assert.True(await App.Services.GetRequiredService<DailyDigest>().IsOnAsync("coach@askel.local", CancellationToken.None));
    }

    [Fact]
    public void CoachingEndingWithinFourWeeks_IsListed_ButNotEarlier()
    {
        var now = new DateTimeOffset(2027, 12, 1, 8, 0, 0, TimeSpan.Zero);
        var participant = new Participant { PartitionKey = "demo", RowKey = "p1", Email = "a@example.org", EnrolledBy = "coordinator@askel.local", EnrolledAt = now, LastContactAt = now };

        Assert.IsType<LeavingSoon>(Assert.Single(WorkQueue.ItemsOf(Demo, participant, Coaching(now.AddDays(27)), now)));
        Assert.Empty(WorkQueue.ItemsOf(Demo, participant, Coaching(now.AddDays(29)), now));
    }

    [Fact]
    public void AnOptOut_IsListedOnlyWhenItLeavesNoWayToReachThem()
    {
        var now = new DateTimeOffset(2027, 1, 10, 8, 0, 0, TimeSpan.Zero);
        var participant = new Participant
        {
            PartitionKey = "demo", RowKey = "p1", Email = "a@example.org", Phone = "+358401234567", SmsState = ContactChannels.OptedOut,
            EnrolledBy = "coordinator@askel.local", EnrolledAt = now, LastContactAt = now,
        };
        var state = Coaching(now.AddDays(100));
        Assert.Empty(WorkQueue.ItemsOf(Demo, participant, state, now));

        participant.EmailState = ContactChannels.Invalid;

        Assert.Equal([("email", ContactChannels.Invalid), ("sms", ContactChannels.OptedOut)],
            WorkQueue.ItemsOf(Demo, participant, state, now).Cast<UnusableContact>().Select(c => (c.Channel, c.State)));
    }

    private static Project Demo { get; } = new("demo", "Demo", "participant-lifecycle", new DateOnly(2027, 12, 31), null, ["coordinator@askel.local"], []);

    // Waiting in coaching for the participant to leave, until the given time.
    private static WorkflowStatus Coaching(DateTimeOffset ends) =>
        new("demo.p1", "participant-lifecycle", "v1", InstanceStatus.Waiting, "coaching", 3, 0, new AwaitingEvent("left"),
            [new DurableTimer("3.timeout", ends, "timeout")], null, null, ends.AddYears(-1), ends.AddYears(-1), new JsonObject());

    // Signed in afresh: the virtual clock moves on by weeks, past a sign-in's lifetime.
    private async Task<string> TodayAsync(string user)
    {
        using var client = await SignInAsync(user);
        using var response = await client.GetAsync("/coordinator");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private async Task AdvanceAsync(TimeSpan by)
    {
        Factory.Time.Advance(by);
        await App.Services.SettleAsync();
    }
}
