using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Askel.App.Forms;

/// <summary>
/// Reads a posted form. ASP.NET Core's form reader refuses a whole post over one NUL character (<c>%00</c>), which no
/// keyboard types but a pasted text or a hostile client may carry: such a post is read again with its NUL characters
/// removed, so the rest of what was typed is kept instead of the whole page being lost.
/// </summary>
public static class PostedForms
{
    /// <summary>The form; throws as the form reader does for anything but a NUL character.</summary>
    /// <param name="context">The request.</param>
    /// <param name="options">The form reader's limits.</param>
    /// <param name="maxBytes">The largest body the caller takes: it is buffered in memory (never in a temporary file), and a longer one fails with <see cref="IOException"/>.</param>
    public static async Task<IFormCollection> ReadAsync(HttpContext context, FormOptions options, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Request.EnableBuffering(bufferThreshold: maxBytes, bufferLimit: maxBytes);
        try
        {
            return await context.Request.ReadFormAsync(options, context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            context.Request.Body.Position = 0;
            using var reader = new StreamReader(context.Request.Body, Encoding.Latin1, leaveOpen: true); // byte for byte
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            if (!body.Contains("%00", StringComparison.Ordinal) && !body.Contains('\0', StringComparison.Ordinal))
            {
                throw;
            }

            context.Request.Body = new MemoryStream(Encoding.Latin1.GetBytes(body.Replace("%00", "", StringComparison.Ordinal).Replace("\0", "", StringComparison.Ordinal)));
            context.Features.Set<IFormFeature>(new FormFeature(context.Request, options));
            return await context.Request.ReadFormAsync(options, context.RequestAborted);
        }
    }

    /// <summary>
    /// A form posted with the reader's default limits and at most <paramref name="maxBytes"/>, or null when the request
    /// is not a form, is longer, or cannot be read.
    /// </summary>
    public static async Task<IFormCollection?> TryReadAsync(HttpContext context, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.HasFormContentType || context.Request.ContentLength > maxBytes)
        {
            return null;
        }

        try
        {
            return await ReadAsync(context, new FormOptions(), maxBytes);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null;
        }
    }
}
