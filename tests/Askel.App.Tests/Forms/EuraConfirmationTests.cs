using System.Net;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Forms;

/// <summary>An ESF+ project whose entry data live in EURA 2021: the participant gets EURA's address and confirms on Askel's page.</summary>
public sealed class EuraConfirmationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AskelAppFactory _app = null!;

    public async Task InitializeAsync() => _app = await AskelAppFactory.CreateAsync(output);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task EntryMessage_PointsToEura_AndTheParticipantsConfirmationMovesTheWorkflowOn()
    {
        var project = _app.Services.GetRequiredService<ProjectCatalog>().Find("demo-eura")!;
        var participant = await _app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            project, new Enrolment("Omar", "Hassan", "ar", "omar@example.org", null, IntakeInPerson: false), "coach@askel.local", CancellationToken.None);
        await _app.Services.SettleAsync();
        var email = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Path.Combine(_app.DataPath, "outbox"), "*.eml")));
        Assert.Contains("eura2021.fi/osallistuja", email, StringComparison.Ordinal);
        Assert.Contains("S30355", email, StringComparison.Ordinal);
        var token = FormLinkTokens.First(email);
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var page = await client.GetStringAsync($"/f/{token}");
        using var confirmed = await client.PostAsync($"/f/{token}", new FormUrlEncodedContent([KeyValuePair.Create("lang", "ar"), KeyValuePair.Create("action", "confirm")]));
        var done = await client.GetStringAsync(confirmed.Headers.Location!.ToString());

        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", page, StringComparison.Ordinal);
        Assert.Contains("href=\"https://www.eura2021.fi/osallistuja\"", page, StringComparison.Ordinal);
        Assert.Contains("S30355", page, StringComparison.Ordinal); // the project code EURA asks for
        Assert.Equal(HttpStatusCode.SeeOther, confirmed.StatusCode);
        Assert.Contains("<h1>", done, StringComparison.Ordinal);
        var instance = await _app.Services.WorkflowStatusAsync(participant.InstanceId);
        Assert.Equal("coaching", instance!.Step);
        Assert.Equal("participant", instance.Data["external"]!["eura-entry"]!["by"]!.GetValue<string>());

        // The step says reports: entry, so the summary counts the entry form received.
        var stored = await _app.Services.GetRequiredService<ParticipantTables>().FindParticipantAsync(project.Id, participant.Id, CancellationToken.None);
        Assert.NotNull(stored!.EntryReceivedAt);
    }
}
