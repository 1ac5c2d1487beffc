using System.Security.Cryptography;
using System.Text;
using Askel.App.Forms;

namespace Askel.App.Security;

/// <summary>
/// The security headers of every page, set by the page functions before anything is written (both hosts run the
/// same functions, so one place serves Azure and local). Pages have no script; a participant page's one inline style
/// sheet is allowed by its hash, a coordinator page's is a static file; nothing may frame them, sniff their type,
/// cache them or see where a participant came from.
/// </summary>
public static class PageHeaders
{
    // Participant pages post only to themselves and show no images.
    private static readonly string ParticipantPolicy =
        $"default-src 'none'; style-src '{StyleHash(PageLayout.Style)}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    // Coordinator pages link their one static style sheet. The link page shows its QR code as a data: image. No
    // form-action: in Azure, signing out redirects through Easy Auth to Entra ID's sign-out, which form-action would block in Chromium.
    private const string CoordinatorPolicy = "default-src 'none'; style-src 'self'; img-src data:; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>Sets the headers of a participant page (<c>/f/…</c>).</summary>
    public static void ForParticipantPage(HttpContext context) => Set(context, ParticipantPolicy);

    /// <summary>Sets the headers of a coordinator page (<c>/coordinator…</c>).</summary>
    public static void ForCoordinatorPage(HttpContext context) => Set(context, CoordinatorPolicy);

    private static void Set(HttpContext context, string policy)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY"; // for browsers without frame-ancestors; antiforgery keeps a value already set
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
    }

    private static string StyleHash(string style) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));
}
