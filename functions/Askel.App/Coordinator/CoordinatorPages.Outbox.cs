using Askel.App.Coordinator.Components;
using Askel.App.Hosting;
using Askel.App.Messaging;
using Askel.App.Projects;
using Askel.App.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

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
        return new ComponentPage<OutboxPage, OutboxView>(page, new OutboxView(outbox.Folder, prefix, messages, OutboxPageSize), StatusCodes.Status200OK);
    }
}
