namespace Askel.App.Security;

/// <summary>
/// Tells a request a page on another site made in a signed-in browser: the browser says so in <c>Sec-Fetch-Site</c>,
/// or at least in <c>Origin</c>. Scripts and command-line tools send neither, so they are not refused.
/// </summary>
public static class CrossSiteRequests
{
    /// <summary>True when another site (or a sibling subdomain) made the request.</summary>
    public static bool IsCrossSite(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers["Sec-Fetch-Site"].ToString() is { Length: > 0 } site)
        {
            return site is not ("same-origin" or "none");
        }

        return request.Headers.Origin.ToString() is { Length: > 0 } origin
            && (!Uri.TryCreate(origin, UriKind.Absolute, out var from) || !string.Equals(from.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }
}
