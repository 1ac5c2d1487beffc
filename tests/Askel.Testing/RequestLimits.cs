namespace Askel.Testing;

/// <summary>The request limits of an app under test.</summary>
public static class RequestLimits
{
    /// <summary>
    /// Settings that lift them: a test is one client doing a whole cohort's clicking on a clock that stands still, so no
    /// limit applies to it unless the test sets one (RateLimitTests).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Lifted { get; } = new Dictionary<string, string>
    {
        ["Askel:RateLimits:FormPostsPerMinute"] = "1000000",
        ["Askel:RateLimits:LinkOpensPerMinute"] = "1000000",
        ["Askel:RateLimits:WebhookCallsPerMinute"] = "1000000",
    };
}
