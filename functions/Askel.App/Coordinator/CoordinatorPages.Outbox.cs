using System.Globalization;
using Askel.App.Forms;
using Askel.App.Hosting;
using Askel.App.Messaging;
using Askel.App.Projects;
using Askel.App.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using static Askel.App.Coordinator.Components.Formats;

namespace Askel.App.Coordinator;

/// <summary>
/// The development outbox page: the messages the local file outbox holds instead of sending them, newest first.
/// Only there with the local sign-in on and a channel going to the outbox — never in Azure.
/// </summary>
public static partial class CoordinatorPages
{
    private const int OutboxPageSize = 200;

    /// <summary>Whether the outbox page is offered: local sign-in on, and at least one channel's provider is the file outbox.</summary>
    private static bool OutboxAvailable(IServiceProvider services)
    {
        var messaging = services.GetService<IOptions<MessagingOptions>>()?.Value;
        return services.GetRequiredService<IOptions<AskelOptions>>().Value.LocalSignIn
            && messaging is not null
            && (string.Equals(messaging.Email, "outbox", StringComparison.OrdinalIgnoreCase) || string.Equals(messaging.Sms, "outbox", StringComparison.OrdinalIgnoreCase));
    }

    internal static IResult OutboxAsync(HttpContext context, IServiceProvider services, IAntiforgery antiforgery, string? instance)
    {
        var page = Page(context, antiforgery);
        if (!OutboxAvailable(services) || services.GetService<FileOutbox>() is not { } outbox)
        {
            return NotFound(page);
        }

        var prefix = (instance ?? "").Trim();
        // Only messages of projects the user may open (an admin sees every one, and those of instances without a participant).
        var projects = services.GetRequiredService<ProjectCatalog>().All.Where(p => MayOpen(context.User, p)).Select(p => p.Id + ".").ToArray();
        var admin = context.User.IsInRole(AskelRoles.Admin);
        var messages = outbox.ReadRecent(prefix, OutboxPageSize)
            .Where(m => admin || projects.Any(p => m.File.StartsWith(p, StringComparison.Ordinal)))
            .ToList();
        var title = page.T("outbox-title");
        return CoordinatorLayout.Content(CoordinatorLayout.Render(page, title, html =>
        {
            html.Raw($"<p><a href=\"{Html.Encode(page.Href("/coordinator"))}\">").Text(page.T("back-to-projects")).Raw("</a></p>")
                .Raw("<h1>").Text(title).Raw("</h1><p>").Text(page.T("outbox-intro", ("folder", outbox.Folder))).Raw("</p>")
                .Raw("<form method=\"get\" action=\"/coordinator/outbox\"><label for=\"instance\">").Text(page.T("outbox-filter")).Raw("</label>")
                .Raw($"<input type=\"text\" id=\"instance\" name=\"instance\" value=\"{Html.Encode(prefix)}\">")
                .Raw($"<input type=\"hidden\" name=\"lang\" value=\"{page.Language}\"> <button type=\"submit\">").Text(page.T("outbox-filter-button")).Raw("</button></form>");
            if (messages.Count == 0)
            {
                html.Raw("<p>").Text(page.T("outbox-empty")).Raw("</p>");
                return;
            }

            html.Raw("<p role=\"status\">").Text(page.T("outbox-count", ("count", messages.Count.ToString(CultureInfo.InvariantCulture)), ("max", OutboxPageSize.ToString(CultureInfo.InvariantCulture)))).Raw("</p>");
            foreach (var message in messages)
            {
                html.Raw("<article class=\"action\"><h2>").Text($"{message.Channel}: {message.Subject ?? message.To}").Raw("</h2><dl class=\"kv\">");
                Pair(html, page.T("col-when"), Time(message.At));
                Pair(html, page.T("col-channel"), message.Channel);
                Pair(html, page.T("outbox-to"), message.To);
                if (message.Subject is not null)
                {
                    Pair(html, page.T("outbox-subject"), message.Subject);
                }

                Pair(html, page.T("outbox-file"), message.File);
                html.Raw("</dl><pre class=\"message-text\">").Text(message.Text).Raw("</pre></article>");
            }
        }));
    }
}
