namespace Askel.App.Messaging;

/// <summary>
/// Where Askel may reach a provider: requests carry API keys and participants' addresses and numbers, so https
/// only — plain http only to a stand-in on this machine (the local tests' providers).
/// </summary>
public static class ProviderAddresses
{
    /// <summary>True for an absolute https address, or an http address on a loopback host.</summary>
    public static bool IsAllowed(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

    /// <summary>The end of a refusal message: what an address must be.</summary>
    public const string Rule = "an https address (plain http only to a stand-in on 127.0.0.1 or localhost)";
}
