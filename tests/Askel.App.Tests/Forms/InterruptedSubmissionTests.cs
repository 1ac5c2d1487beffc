using System.Net;
using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Client;
using Askel.Testing;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Forms;

/// <summary>A submission cut short by a crash after its response was stored, before the workflow heard of it.</summary>
public sealed class InterruptedSubmissionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task OpeningTheLinkAgain_FinishesIt_TheSnapshotIsTakenAndTheWorkflowMovesOn()
    {
        await using var app = await AskelAppFactory.CreateAsync(output);
        var project = app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!;
        var participants = app.Services.GetRequiredService<ParticipantService>();
        var participant = await participants.EnrolAsync(
            project, new Enrolment("Aino", "Virtanen", "fi", null, "040 123 4567", IntakeInPerson: false), "coordinator@askel.local", CancellationToken.None);
        await app.Services.SettleAsync();
        // The response row as SubmitAsync's insert leaves it; the process dies before the snapshot and the event.
        await app.Services.GetRequiredService<ParticipantTables>().Responses.AddEntityAsync(new TableEntity(participant.Id, "form|esf-entry")
        {
            ["ProjectId"] = "demo",
            ["Form"] = "esf-entry",
            ["FormVersion"] = "v1",
            ["FilledBy"] = "participant",
            ["AssistedBy"] = "",
            ["StartedAt"] = app.Time.GetUtcNow(),
            ["SubmittedAt"] = app.Time.GetUtcNow(),
            ["Answers0"] = """{"labourStatus":"employed","privacy":"yes"}""",
        });
        var token = await app.Services.GetRequiredService<FormLinks>().CurrentAsync(participant, "form:esf-entry", app.Time.GetUtcNow().AddDays(14), replace: false, CancellationToken.None);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync($"/f/{token}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var state = (await app.Services.WorkflowStatusAsync(participant.InstanceId))!;
        Assert.NotEqual(new AwaitingForm("esf-entry"), state.Awaiting);
        Assert.Equal("employed", (await participants.FindAsync("demo", participant.Id, CancellationToken.None))!.StatusAtEntry);
    }
}
