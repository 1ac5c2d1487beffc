using System.Security.Cryptography;
using System.Text;

namespace Askel.App.Messaging;

/// <summary>The outbox's MIME: writing an email with attachments, and finding its text again for the developer page.</summary>
public sealed partial class FileOutbox
{
    private static class Mime
    {
        /// <summary>
        /// The message as <c>multipart/mixed</c>: first its body — the text, or <c>multipart/alternative</c> of text and
        /// HTML, wrapped in <c>multipart/related</c> with the images the HTML shows — then each file to open.
        /// Boundaries come from the message id, so writing the same message again writes the same bytes.
        /// </summary>
        public static string Multipart(StringBuilder headers, string messageId, OutgoingMessage message)
        {
            var seed = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(messageId)))[..16];
            string Boundary(string kind) => $"=_askel_{kind}_{seed}";
            var html = !string.IsNullOrEmpty(message.Html);
            var inline = html ? message.Attachments.Where(a => a.ContentId is not null).ToList() : [];
            var files = message.Attachments.Except(inline).ToList();

            var mail = headers;
            var mixed = Boundary("mixed");
            mail.Append("Content-Type: multipart/mixed; boundary=\"").Append(mixed).Append("\"\r\n\r\n")
                .Append("This is a MIME message.\r\n")
                .Append("--").Append(mixed).Append("\r\n");
            if (inline.Count > 0)
            {
                var related = Boundary("related");
                mail.Append("Content-Type: multipart/related; boundary=\"").Append(related).Append("\"; type=\"multipart/alternative\"\r\n\r\n")
                    .Append("--").Append(related).Append("\r\n");
                Body(mail, message, Boundary("alternative"));
                foreach (var image in inline)
                {
                    mail.Append("\r\n--").Append(related).Append("\r\n");
                    File(mail, image, "inline");
                }

                mail.Append("\r\n--").Append(related).Append("--\r\n");
            }
            else
            {
                Body(mail, message, Boundary("alternative"));
            }

            foreach (var file in files)
            {
                mail.Append("\r\n--").Append(mixed).Append("\r\n");
                File(mail, file, "attachment");
            }

            return mail.Append("\r\n--").Append(mixed).Append("--\r\n").ToString();
        }

        /// <summary>The text of a multipart message: its first <c>text/plain</c> part that is not a file, or null.</summary>
        public static string? PlainText(IReadOnlyDictionary<string, string> headers, string body)
        {
            var type = headers.GetValueOrDefault("Content-Type") ?? "text/plain";
            if (type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
            {
                if (Parameter(type, "boundary") is not { Length: > 0 } boundary)
                {
                    return null;
                }

                foreach (var (partHeaders, partBody) in Parts(body, boundary))
                {
                    if (PlainText(partHeaders, partBody) is { } text)
                    {
                        return text;
                    }
                }

                return null;
            }

            if (!type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase)
                || (headers.GetValueOrDefault("Content-Disposition") ?? "").StartsWith("attachment", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            return string.Equals(headers.GetValueOrDefault("Content-Transfer-Encoding"), "base64", StringComparison.OrdinalIgnoreCase)
                ? Encoding.UTF8.GetString(Convert.FromBase64String(body))
                : body;
        }

        /// <summary>The file names of a message's attachments and inline images, in order.</summary>
        public static IEnumerable<string> FileNames(IReadOnlyDictionary<string, string> headers, string body)
        {
            var type = headers.GetValueOrDefault("Content-Type") ?? "";
            if (type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) && Parameter(type, "boundary") is { Length: > 0 } boundary)
            {
                return Parts(body, boundary).SelectMany(p => FileNames(p.Headers, p.Body));
            }

            var disposition = headers.GetValueOrDefault("Content-Disposition") ?? "";
            return Parameter(disposition, "filename") is { } name ? [name] : [];
        }

        /// <summary>Splits <c>headers \n\n body</c> (lines already <c>\n</c>) into unfolded headers and the body.</summary>
        public static (Dictionary<string, string> Headers, string Body) Split(string entity)
        {
            var end = entity.IndexOf("\n\n", StringComparison.Ordinal);
            var head = end < 0 ? entity : entity[..end];
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string? last = null;
            foreach (var line in head.Split('\n'))
            {
                if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && last is not null)
                {
                    headers[last] += " " + line.Trim();
                    continue;
                }

                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    last = line[..colon].Trim();
                    headers.TryAdd(last, line[(colon + 1)..].Trim());
                }
            }

            return (headers, end < 0 ? "" : entity[(end + 2)..]);
        }

        private static IEnumerable<(Dictionary<string, string> Headers, string Body)> Parts(string body, string boundary)
        {
            var delimiter = "--" + boundary;
            var lines = body.Split('\n');
            List<string>? part = null;
            foreach (var line in lines)
            {
                if (line.StartsWith(delimiter, StringComparison.Ordinal))
                {
                    if (part is not null)
                    {
                        yield return Split(string.Join('\n', part));
                    }

                    if (line.AsSpan(delimiter.Length).StartsWith("--", StringComparison.Ordinal))
                    {
                        yield break;
                    }

                    part = [];
                }
                else
                {
                    part?.Add(line);
                }
            }
        }

        // A header's parameter (boundary="…", filename="…"), unquoted.
        private static string? Parameter(string header, string name)
        {
            foreach (var piece in header.Split(';').Skip(1))
            {
                var equals = piece.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && string.Equals(piece[..equals].Trim(), name, StringComparison.OrdinalIgnoreCase))
                {
                    return piece[(equals + 1)..].Trim().Trim('"');
                }
            }

            return null;
        }

        private static void Body(StringBuilder mail, OutgoingMessage message, string alternative)
        {
            if (string.IsNullOrEmpty(message.Html))
            {
                Text(mail, message.Text);
                return;
            }

            mail.Append("Content-Type: multipart/alternative; boundary=\"").Append(alternative).Append("\"\r\n\r\n")
                .Append("--").Append(alternative).Append("\r\n");
            Text(mail, message.Text);
            mail.Append("\r\n--").Append(alternative).Append("\r\n")
                .Append("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                .Append(Base64(Encoding.UTF8.GetBytes(message.Html)))
                .Append("\r\n--").Append(alternative).Append("--\r\n");
        }

        // The text stays readable in the file (8bit UTF-8), as participants' messages are written.
        private static void Text(StringBuilder mail, string text) =>
            mail.Append("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                .Append(text.ReplaceLineEndings("\r\n")).Append("\r\n");

        private static void File(StringBuilder mail, MailAttachment file, string disposition)
        {
            var name = FileName(file.FileName);
            mail.Append("Content-Type: ").Append(file.ContentType).Append("; name=").Append(name).Append("\r\n")
                .Append("Content-Transfer-Encoding: base64\r\n");
            if (file.ContentId is { } id && disposition == "inline")
            {
                mail.Append("Content-ID: <").Append(id).Append(">\r\n");
            }

            mail.Append("Content-Disposition: ").Append(disposition).Append("; filename=").Append(name).Append("\r\n\r\n")
                .Append(Base64(file.Content)).Append("\r\n");
        }

        // A quoted file name; anything but printable ASCII is replaced, as names come from project ids and months.
        private static string FileName(string name) =>
            "\"" + string.Concat(name.Select(c => c is >= ' ' and < (char)127 and not '"' and not '\\' ? c : '_')) + "\"";

        private static string Base64(byte[] bytes) => Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks);
    }
}
