using System.Globalization;
using System.Text.Json.Nodes;
using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Definitions;

namespace Askel.App.Messaging;

/// <summary>
/// Writes a workflow message for one participant: their form's link (the current one, or a new one that
/// supersedes it), an external form's address and project code, the unsubscribe link of an email, all
/// rendered in the message's language from the template's text pinned with the instance's workflow version (the file's
/// for a payload without one). Used for the workflow's own messages and a coordinator's "new link".
/// </summary>
public sealed class ParticipantMessages(FormLinks links, ProjectCatalog projects, MessageTemplates templates, IWorkflowDefinitions definitions, Uri publicBaseUrl)
{
    /// <summary>The address a link token opens.</summary>
    public string LinkUrl(string token) => new Uri(publicBaseUrl, "f/" + token).ToString();

    /// <summary>
    /// The message a message effect's payload describes (<c>template</c>, <c>channel</c>, <c>language</c>, and
    /// <c>form</c> or <c>external</c> + <c>url</c>, <c>expiresAt</c>), to <paramref name="to"/>.
    /// </summary>
    /// <param name="participant">Whom it is for.</param>
    /// <param name="payload">The message effect's payload.</param>
    /// <param name="to">The participant's address on the payload's channel.</param>
    /// <param name="newLink">True to issue a new form link, superseding the current one.</param>
    /// <param name="cancellationToken">Cancels it.</param>
    public async Task<OutgoingMessage> ComposeAsync(Participant participant, JsonObject payload, string to, bool newLink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        ArgumentNullException.ThrowIfNull(payload);
        var channel = payload["channel"]!.GetValue<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["firstName"] = participant.FirstName };
        var expiresAt = payload["expiresAt"]?.GetValue<string>() is { } expires
            ? DateTimeOffset.Parse(expires, CultureInfo.InvariantCulture)
            : DateTimeOffset.MaxValue;
        var version = WorkflowVersion.Of(payload["workflow"]?.GetValue<string>(), payload["version"]?.GetValue<string>());
        if (payload["form"]?.GetValue<string>() is { } form)
        {
            values["link"] = LinkUrl(await links.CurrentAsync(participant, "form:" + form, expiresAt, newLink, cancellationToken, version: version));
        }
        else if (payload["external"]?.GetValue<string>() is { } external)
        {
            var url = payload["url"]?.GetValue<string>() ?? "";
            values["url"] = url;
            values["projectCode"] = projects.Find(participant.ProjectId)?.EuraCode ?? "";
            values["link"] = LinkUrl(await links.CurrentAsync(participant, "external:" + external, expiresAt, newLink, cancellationToken, url));
        }

        if (channel == "email")
        {
            // Every email ends with a link that stops them; it never expires and stays the same in every email.
            values["unsubscribe"] = LinkUrl(await links.CurrentAsync(participant, FormLinks.UnsubscribeEmail, FormLinks.NeverExpires, replace: false, cancellationToken));
        }

        var language = payload["language"]?.GetValue<string>() ?? participant.Language;
        var template = payload["template"]!.GetValue<string>();
        var pinned = await definitions.PinnedTextAsync(version, WorkflowDefinition.MessageKey(template), cancellationToken); // null: the file's
        var rendered = templates.RenderMessage(template, channel, language, values, pinned);
        return new OutgoingMessage(channel, to, rendered.Subject, rendered.Text, language) { Html = rendered.Html };
    }
}
