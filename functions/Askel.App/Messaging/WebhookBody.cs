using Microsoft.AspNetCore.Http.Features;

namespace Askel.App.Messaging;

/// <summary>Reads a provider webhook's raw body (signatures are computed over the exact bytes), refusing an over-long one.</summary>
public static class WebhookBody
{
    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/> (declared or as sent).</summary>
    public static async Task<byte[]?> ReadAsync(HttpContext context, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentLength > maxBytes)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        try
        {
            while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException)
        {
            return null; // the server's own body limit (a chunked body with no length given)
        }

        return buffer.ToArray();
    }
}
