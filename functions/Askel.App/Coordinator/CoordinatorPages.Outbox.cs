using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Askel.App.Forms;
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
    private const long MaxOutboxFileBytes = 1024 * 1024;

    /// <summary>One message read back from the outbox folder.</summary>
    private sealed record OutboxMessage(string File, DateTimeOffset At, DateTime Written, string Channel, string To, string? Subject, string Text);

    /// <summary>Whether the outbox page is offered: local sign-in on, and at least one channel's provider is the file outbox.</summary>
    private static bool OutboxAvailable(IServiceProvider services)
    {
        var messaging = services.GetService<IOptions<MessagingOptions>>()?.Value;
        return services.GetRequiredService<IOptions<AskelOptions>>().Value.LocalSignIn
            && messaging is not null
            && (string.Equals(messaging.Email, "outbox", StringComparison.OrdinalIgnoreCase) || string.Equals(messaging.Sms, "outbox", StringComparison.OrdinalIgnoreCase));
    }

    private static IResult OutboxAsync(HttpContext context, IServiceProvider services, IAntiforgery antiforgery, string? instance)
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
        var messages = ReadOutbox(outbox.Folder, prefix)
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
                html.Raw("</dl><pre style=\"white-space:pre-wrap;font:inherit\">").Text(message.Text).Raw("</pre></article>");
            }
        }));
    }

    /// <summary>The newest messages in the folder whose file name starts with <paramref name="prefix"/>; unreadable files are skipped.</summary>
    private static List<OutboxMessage> ReadOutbox(string folder, string prefix)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var read = new List<OutboxMessage>();
        IEnumerable<FileInfo> files;
        try
        {
            files = [.. new DirectoryInfo(folder).EnumerateFiles()];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        foreach (var file in files)
        {
            if (!file.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                || !(file.Name.EndsWith(".eml", StringComparison.OrdinalIgnoreCase) || file.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                || file.Length > MaxOutboxFileBytes)
            {
                continue;
            }

            try
            {
                var content = File.ReadAllText(file.FullName, Encoding.UTF8);
                var message = file.Name.EndsWith(".eml", StringComparison.OrdinalIgnoreCase) ? ParseEml(file, content) : ParseJson(file, content);
                if (message is not null)
                {
                    read.Add(message);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException)
            {
                // Being written, removed meanwhile, or not a message the outbox wrote: skipped.
            }
        }

        return [.. read.OrderByDescending(m => m.At).ThenByDescending(m => m.Written).ThenBy(m => m.File, StringComparer.Ordinal).Take(OutboxPageSize)];
    }

    private static OutboxMessage? ParseEml(FileInfo file, string content)
    {
        var end = content.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var separator = 4;
        if (end < 0)
        {
            end = content.IndexOf("\n\n", StringComparison.Ordinal);
            separator = 2;
        }

        if (end < 0)
        {
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in content[..end].ReplaceLineEndings("\n").Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }

        var at = headers.TryGetValue("Date", out var date) && DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
        var body = content[(end + separator)..].ReplaceLineEndings("\n").TrimEnd('\n');
        return new OutboxMessage(file.Name, at, file.LastWriteTimeUtc, "email", headers.GetValueOrDefault("To") ?? "", DecodeSubject(headers.GetValueOrDefault("Subject") ?? ""), body);
    }

    private static OutboxMessage? ParseJson(FileInfo file, string content)
    {
        if (JsonNode.Parse(content) is not JsonObject json)
        {
            return null;
        }

        var at = json["writtenAt"] is JsonValue written && written.TryGetValue<string>(out var w)
            && DateTimeOffset.TryParse(w, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
        if (json["unaddressed"] is JsonObject unaddressed)
        {
            // A message of an instance without a participant: nobody to address, the effect's payload instead.
            return new OutboxMessage(file.Name, at, file.LastWriteTimeUtc, StringOf(unaddressed["channel"]) ?? "message", "–", StringOf(unaddressed["subject"]),
                StringOf(unaddressed["text"]) ?? unaddressed.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        return new OutboxMessage(file.Name, at, file.LastWriteTimeUtc, StringOf(json["channel"]) ?? "sms", StringOf(json["to"]) ?? "", null, StringOf(json["text"]) ?? "");
    }

    private static string? StringOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Decodes an RFC 2047 subject (<c>=?utf-8?B?…?=</c>, as the outbox writes it); anything else is shown as it is.</summary>
    private static string DecodeSubject(string subject)
    {
        const string Start = "=?utf-8?b?";
        if (subject.StartsWith(Start, StringComparison.OrdinalIgnoreCase) && subject.EndsWith("?=", StringComparison.Ordinal) && subject.Length >= Start.Length + 2)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(subject[Start.Length..^2]));
            }
            catch (FormatException)
            {
                return subject;
            }
        }

        return subject;
    }
}
