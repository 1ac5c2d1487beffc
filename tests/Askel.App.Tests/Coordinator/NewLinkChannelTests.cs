using System.Net;
using System.Text.RegularExpressions;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Coordinator;

/// <summary>The coordinator's "send a new link" respects the participant's opt-outs and broken addresses.</summary>
public sealed partial class NewLinkChannelTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EmailOptedOut_TheNewLinkGoesBySms_NotByEmail()
    {
        await using var app = await AskelAppFactory.CreateAsync(output);
        var participant = await app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen", "fi", "aino@example.com", "040 123 4567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await app.Services.SettleAsync();
        await app.Services.GetRequiredService<ContactChannels>().MarkAsync(participant, "email", ContactChannels.OptedOut, "unsubscribe link", CancellationToken.None);

        using var response = await PostNewLinkAsync(app, participant.Id);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var outbox = Path.Combine(app.DataPath, "outbox");
        Assert.Empty(Directory.GetFiles(outbox, $"{participant.InstanceId}.*new-link*.eml"));
        Assert.Single(Directory.GetFiles(outbox, $"{participant.InstanceId}.*new-link*.sms.json"));
    }

    [Fact]
    public async Task EveryChannelOptedOut_NothingIsSent_AndTheCoordinatorIsTold()
    {
        await using var app = await AskelAppFactory.CreateAsync(output);
        var participant = await app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen", "fi", null, "040 123 4567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await app.Services.SettleAsync();
        await app.Services.GetRequiredService<ContactChannels>().MarkAsync(participant, "sms", ContactChannels.OptedOut, "sms STOP", CancellationToken.None);

        using var response = await PostNewLinkAsync(app, participant.Id);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(app.DataPath, "outbox"), $"{participant.InstanceId}.*new-link*"));
    }

    private static async Task<HttpResponseMessage> PostNewLinkAsync(AskelAppFactory app, string id)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false }).As("coordinator@askel.local", "coordinator");
        var page = await client.GetStringAsync("/coordinator");
        var token = WebUtility.HtmlDecode(TokenField().Match(page).Groups[1].Value);
        return await client.PostAsync($"/coordinator/projects/demo/participants/{id}/link", new FormUrlEncodedContent([KeyValuePair.Create("__af", token)]));
    }

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
