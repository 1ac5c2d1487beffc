using System.Net;
using Askel.App.Participants;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Askel.App.Tests.Coordinator.CoordinatorBrowser;

namespace Askel.App.Tests.Coordinator;

/// <summary>
/// Enrolment is safe to repeat: one form posted twice (a double click, a retry after a crash) makes one participant
/// with one chain of messages, and someone already in the project with the same number is shown before a second is made.
/// </summary>
public sealed class EnrolmentRepeatTests(ITestOutputHelper output) : LocalSignInTest(output)
{
    private const string Path = "/coordinator/projects/demo/participants/new";

    [Fact]
    public async Task OneFormPostedTwice_MakesOneParticipant_WithOneIntakeMessage()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var form = await FormAsync(client);

        using var first = await client.PostAsync(Path, Fields(form, ("phone", "040 111 2222")));
        using var second = await client.PostAsync(Path, Fields(form, ("phone", "040 111 2222")));
        await App.Services.SettleAsync();

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        var participants = await App.Services.GetRequiredService<ParticipantService>().ListAsync("demo", "test", CancellationToken.None);
        var participant = Assert.Single(participants);
        var timeline = await client.GetStringAsync($"/coordinator/projects/demo/participants/{participant.Id}?lang=en");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(timeline, "<td>SMS</td><td>outbox</td>"));
    }

    [Fact]
    public async Task TheSameNumberAsSomeoneInTheProject_IsShownFirst_AndEnrolsOnlyWhenTheCoordinatorSaysItIsAnotherPerson()
    {
        using var client = await SignInAsync("coordinator@askel.local");
        var aino = await EnrolAsync(client, "Aino", "Virtanen", email: null, phone: "040 111 2222");
        var form = await FormAsync(client);

        using var asked = await client.PostAsync(Path, Fields(form, ("firstName", "Eino"), ("phone", "+358 40 1112222")));
        var page = await asked.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, asked.StatusCode);
        Assert.Contains("Sama yhteystieto on jo projektissa", page, StringComparison.Ordinal);
        Assert.Contains($"/coordinator/projects/demo/participants/{aino}", page, StringComparison.Ordinal);
        Assert.Contains("sama puhelinnumero", page, StringComparison.Ordinal);
        Assert.Contains("value=\"Eino\"", page, StringComparison.Ordinal);
        Assert.Single(await App.Services.GetRequiredService<ParticipantService>().ListAsync("demo", "test", CancellationToken.None));

        using var confirmed = await client.PostAsync(Path, Fields(form, ("firstName", "Eino"), ("phone", "+358 40 1112222"), ("sameContactConfirmed", "on")));
        Assert.Equal(HttpStatusCode.SeeOther, confirmed.StatusCode);
        Assert.DoesNotContain(aino, confirmed.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, (await App.Services.GetRequiredService<ParticipantService>().ListAsync("demo", "test", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task SameContact_InAnotherProject_IsNotShown()
    {
        using var client = await SignInAsync("admin@askel.local");
        _ = await EnrolAsync(client, "Aino", "Virtanen", email: "aino@example.org", phone: null);

        using var other = await PostAsync(client, "/coordinator/projects/demo-eura/participants/new", "/coordinator/projects/demo-eura/participants/new",
            ("firstName", "Aino"), ("lastName", "Virtanen"), ("language", "fi"), ("email", "AINO@example.org"), ("phone", ""));

        Assert.Equal(HttpStatusCode.SeeOther, other.StatusCode);
    }

    private static async Task<(string Token, string Key)> FormAsync(HttpClient client)
    {
        var page = await client.GetStringAsync(Path);
        return (WebUtility.HtmlDecode(TokenField().Match(page).Groups[1].Value), EnrolmentKeyField().Match(page).Groups[1].Value);
    }

    private static FormUrlEncodedContent Fields((string Token, string Key) form, params (string Name, string Value)[] changes)
    {
        var fields = new Dictionary<string, string>
        {
            ["__af"] = form.Token, ["enrolmentKey"] = form.Key, ["firstName"] = "Aino", ["lastName"] = "Virtanen", ["language"] = "fi", ["email"] = "", ["phone"] = "",
        };
        foreach (var (name, value) in changes)
        {
            fields[name] = value;
        }

        return new FormUrlEncodedContent(fields);
    }
}
