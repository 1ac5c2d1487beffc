using System.Text.Json.Nodes;
using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Definitions;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Messaging;

/// <summary>
/// A workflow's messages and forms are those pinned with the version the participant's instance started on: an edited
/// message or form file reaches only instances started after the edit.
/// </summary>
public sealed class PinnedTextsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AMessage_IsWrittenFromItsVersionsPinnedText_NotFromTheEditedFile()
    {
        await using var app = await AskelAppFactory.CreateAsync(output);
        var participant = await app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen", "fi", null, "040 123 4567", IntakeInPerson: true), "coordinator@askel.local", CancellationToken.None);
        var current = app.Services.GetRequiredService<WorkflowCatalog>().Get("participant-lifecycle");
        // The workflow as an earlier deployment had it: the exit form's SMS said something else then.
        var key = WorkflowDefinition.MessageKey("exit-form-link");
        var earlier = current with
        {
            Version = "0123456789abcdef",
            Resources = new Dictionary<string, string>(current.Resources) { [key] = "sms:\n  fi: \"Vanha teksti {{ firstName }}: {{ link }}\"\n" },
        };
        await app.Services.GetRequiredService<DefinitionStore>().PinAsync(earlier, CancellationToken.None);
        var messages = app.Services.GetRequiredService<ParticipantMessages>();
        JsonObject Payload(string version) => new()
        {
            ["template"] = "exit-form-link", ["channel"] = "sms", ["language"] = "fi", ["form"] = "esf-exit",
            ["workflow"] = "participant-lifecycle", ["version"] = version,
        };

        var started = await messages.ComposeAsync(participant, Payload(earlier.Version), "+358401234567", newLink: false, CancellationToken.None);
        var startedNow = await messages.ComposeAsync(participant, Payload(current.Version), "+358401234567", newLink: false, CancellationToken.None);
        var unversioned = Payload(current.Version);
        unversioned.Remove("version");
        var coordinators = await messages.ComposeAsync(participant, unversioned, "+358401234567", newLink: false, CancellationToken.None);

        Assert.StartsWith("Vanha teksti Aino: http://localhost:7071/f/", started.Text, StringComparison.Ordinal);
        Assert.StartsWith("Hei Aino! Aikasi projektissa päättyi.", startedNow.Text, StringComparison.Ordinal);
        Assert.StartsWith("Hei Aino! Aikasi projektissa päättyi.", coordinators.Text, StringComparison.Ordinal); // no version: the file's
    }

    [Fact]
    public async Task AFormLink_OpensTheFormItsVersionPinned_NotTheEditedFile()
    {
        await using var app = await AskelAppFactory.CreateAsync(output);
        var participant = await app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen", "fi", null, "040 123 4567", IntakeInPerson: true), "coordinator@askel.local", CancellationToken.None);
        var current = app.Services.GetRequiredService<WorkflowCatalog>().Get("participant-lifecycle");
        // The workflow as an earlier deployment had it: the exit form had another title then.
        var key = WorkflowDefinition.FormKey("esf-exit");
        var earlier = current with
        {
            Version = "fedcba9876543210",
            Resources = new Dictionary<string, string>(current.Resources) { [key] = current.Resources[key].Replace("fi: Loppukysely", "fi: Vanha loppukysely", StringComparison.Ordinal) },
        };
        await app.Services.GetRequiredService<DefinitionStore>().PinAsync(earlier, CancellationToken.None);
        var message = await app.Services.GetRequiredService<ParticipantMessages>().ComposeAsync(
            participant,
            new JsonObject { ["template"] = "exit-form-link", ["channel"] = "sms", ["language"] = "fi", ["form"] = "esf-exit", ["workflow"] = "participant-lifecycle", ["version"] = earlier.Version },
            "+358401234567",
            newLink: false,
            CancellationToken.None);
        using var client = app.CreateClient();

        var page = await client.GetStringAsync($"/f/{Askel.App.Tests.Forms.FormLinkTokens.Last(message.Text)}?lang=fi");

        Assert.Contains("Vanha loppukysely", page, StringComparison.Ordinal);
        Assert.DoesNotContain(">Loppukysely<", page, StringComparison.Ordinal);
    }
}
