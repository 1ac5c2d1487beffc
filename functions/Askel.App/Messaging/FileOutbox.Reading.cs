using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Askel.App.Messaging;

/// <summary>One message read back from the outbox folder.</summary>
public sealed record OutboxEntry(string File, DateTimeOffset At, DateTime Written, string Channel, string To, string? Subject, string Text)
{
    /// <summary>The file names of an email's attachments and inline images.</summary>
    public IReadOnlyList<string> Attachments { get; init; } = [];
}

/// <summary>Reading the outbox back: the developer page lists what would have been sent, in the formats written here.</summary>
public sealed partial class FileOutbox
{
    private const long MaxFileBytes = 1024 * 1024;

    /// <summary>The newest <paramref name="max"/> messages whose file name starts with <paramref name="prefix"/>, for the developer page; unreadable files are skipped.</summary>
    public IReadOnlyList<OutboxEntry> ReadRecent(string prefix, int max)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var read = new List<OutboxEntry>();
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
                || file.Length > MaxFileBytes)
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

        return [.. read.OrderByDescending(m => m.At).ThenByDescending(m => m.Written).ThenBy(m => m.File, StringComparer.Ordinal).Take(max)];
    }

    private static OutboxEntry? ParseEml(FileInfo file, string content)
    {
        var text = content.ReplaceLineEndings("\n");
        if (!text.Contains("\n\n", StringComparison.Ordinal))
        {
            return null;
        }

        var (headers, body) = Mime.Split(text);
        var at = headers.TryGetValue("Date", out var date) && DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
        var multipart = (headers.GetValueOrDefault("Content-Type") ?? "").StartsWith("multipart/", StringComparison.OrdinalIgnoreCase);
        var plain = multipart ? Mime.PlainText(headers, body) ?? "" : body;
        return new OutboxEntry(file.Name, at, file.LastWriteTimeUtc, "email", headers.GetValueOrDefault("To") ?? "", DecodeSubject(headers.GetValueOrDefault("Subject") ?? ""), plain.TrimEnd('\n'))
        {
            Attachments = multipart ? [.. Mime.FileNames(headers, body)] : [],
        };
    }

    private static OutboxEntry? ParseJson(FileInfo file, string content)
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
            return new OutboxEntry(file.Name, at, file.LastWriteTimeUtc, StringOf(unaddressed["channel"]) ?? "message", "–", StringOf(unaddressed["subject"]),
                StringOf(unaddressed["text"]) ?? unaddressed.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        return new OutboxEntry(file.Name, at, file.LastWriteTimeUtc, StringOf(json["channel"]) ?? "sms", StringOf(json["to"]) ?? "", null, StringOf(json["text"]) ?? "");
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
