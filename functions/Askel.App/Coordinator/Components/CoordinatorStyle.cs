using System.Security.Cryptography;

namespace Askel.App.Coordinator.Components;

/// <summary>
/// The coordinator pages' style sheet, a static file in the assembly. Pages link it by its content's hash, so a browser
/// keeps it for a year and a new build's sheet has a new address.
/// </summary>
public static class CoordinatorStyle
{
    private const string Resource = "Askel.App.Coordinator.Components.coordinator.css";

    private static readonly byte[] Content = Read();

    /// <summary>The first 16 hex digits of the sheet's SHA-256.</summary>
    public static string Version { get; } = Convert.ToHexStringLower(SHA256.HashData(Content))[..16];

    /// <summary>The address pages link.</summary>
    public static string Href { get; } = "/coordinator/style.css?v=" + Version;

    /// <summary>The sheet as a response: cached for a year when asked for by this version, else revalidated.</summary>
    public static IResult Serve(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.HttpContext.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = request.Query["v"] == Version ? "public, max-age=31536000, immutable" : "no-cache";
        return TypedResults.Bytes(Content, "text/css; charset=utf-8", entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{Version}\""));
    }

    private static byte[] Read()
    {
        using var stream = typeof(CoordinatorStyle).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The style sheet {Resource} is not in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
