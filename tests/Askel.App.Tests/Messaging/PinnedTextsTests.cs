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
    private const string Phone = "+358401234567";

    [Fact]
    public async Task AMessage_IsWrittenFromItsVersionsPinnedText_NotFromTheEditedFile()
    {
        await using var app = await AskelAppFactory.CreateAsync(output);
        var (participant, current, earlier) = await EnrolWithAnEarlierVersionAsync(
            app, WorkflowDefinition.MessageKey("exit-form-link"), _ => "sms:\n  fi: \"Vanha teksti {{ firstName }}: {{ link }}\"\n");
        var messages = app.Services.GetRequiredService<ParticipantMessages>();
        var unversioned = ExitLink(current.Version);
        unversioned.Remove("version");

        var started = await messages.ComposeAsync(participant, ExitLink(earlier.Version), Phone, newLink: false, CancellationToken.None);
        var startedNow = await messages.ComposeAsync(participant, ExitLink(current.Version), Phone, newLink: false, CancellationToken.None);
        var coordinators = await messages.ComposeAsync(participant, unversioned, Phone, newLink: false, CancellationToken.None);

        Assert.StartsWith("Vanha teksti Aino: http://localhost:7071/f/", started.Text, StringComparison.Ordinal);
        Assert.StartsWith("Hei Aino! Aikasi projektissa päättyi.", startedNow.Text, StringComparison.Ordinal);
        Assert.StartsWith("Hei Aino! Aikasi projektissa päättyi.", coordinators.Text, StringComparison.Ordinal); // no version: the file's
    }

    [Fact]
    public async Task AFormLink_OpensTheFormItsVersionPinned_NotTheEditedFile()
    {
        await using var app = await AskelAppFactory.CreateAsync(output);
        var (participant, _, earlier) = await EnrolWithAnEarlierVersionAsync(
            app, WorkflowDefinition.FormKey("esf-exit"), text => text.Replace("fi: Loppukysely", "fi: Vanha loppukysely", StringComparison.Ordinal));
        var message = await app.Services.GetRequiredService<ParticipantMessages>().ComposeAsync(participant, ExitLink(earlier.Version), Phone, newLink: false, CancellationToken.None);
        using var client = app.CreateClient();

        var page = await client.GetStringAsync($"/f/{Askel.App.Tests.Forms.FormLinkTokens.Last(message.Text)}?lang=fi");

        Assert.Contains("Vanha loppukysely", page, StringComparison.Ordinal);
        Assert.DoesNotContain(">Loppukysely<", page, StringComparison.Ordinal);
    }

    /// <summary>The exit form's link by SMS, as the workflow version <paramref name="version"/> sends it.</summary>
    private static JsonObject ExitLink(string version) => new()
    {
        ["template"] = "exit-form-link", ["channel"] = "sms", ["language"] = "fi", ["form"] = "esf-exit",
        ["workflow"] = "participant-lifecycle", ["version"] = version,
    };

    /// <summary>A participant, and their workflow as an earlier deployment had it (pinned): one of its files said something else then.</summary>
    private static async Task<(Participant Participant, WorkflowDefinition Current, WorkflowDefinition Earlier)> EnrolWithAnEarlierVersionAsync(
        AskelAppFactory app, string file, Func<string, string> earlierText)
    {
        var participant = await app.Services.GetRequiredService<ParticipantService>().EnrolAsync(
            app.Services.GetRequiredService<ProjectCatalog>().Find("demo")!,
            new Enrolment("Aino", "Virtanen", "fi", null, "040 123 4567", IntakeInPerson: true), "coordinator@askel.local", CancellationToken.None);
        var current = app.Services.GetRequiredService<WorkflowCatalog>().Get("participant-lifecycle");
        var earlier = current with
        {
            Version = "0123456789abcdef",
            Resources = new Dictionary<string, string>(current.Resources) { [file] = earlierText(current.Resources[file]) },
        };
        await app.Services.GetRequiredService<DefinitionStore>().PinAsync(earlier, CancellationToken.None);
        return (participant, current, earlier);
    }
}
