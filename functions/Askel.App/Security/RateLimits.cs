using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Askel.App.Security;

/// <summary>Settings of the request limits (section <c>Askel:RateLimits</c>): requests a client may make per minute.</summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Askel:RateLimits";

    /// <summary>Posts of participant pages (answers, confirmations, unsubscribes) per client address.</summary>
    public int FormPostsPerMinute { get; set; } = 30;

    /// <summary>Opened participant links (pages, thank-you pages) per client address.</summary>
    public int LinkOpensPerMinute { get; set; } = 120;

    /// <summary>Delivery-report and inbound-SMS webhook calls per source address.</summary>
    public int WebhookCallsPerMinute { get; set; } = 1200;
}

/// <summary>What is limited.</summary>
public enum RateLimited
{
    /// <summary>A participant page's post.</summary>
    FormPost,

    /// <summary>A participant link opened.</summary>
    LinkOpen,

    /// <summary>A webhook call.</summary>
    Webhook,
}

/// <summary>
/// Per-client request limits on the pages anyone may reach without signing in, counted in fixed one-minute windows of
/// the injected clock. Each app instance counts its own requests: a limit is per instance, enough to stop one client
/// flooding the form pages or the webhooks, not a global quota. The client is the connection's address, or in Azure the
/// address App Service's front end adds last to <c>X-Forwarded-For</c> (what a client writes there itself comes before it).
/// </summary>
public sealed class RateLimits(IOptions<RateLimitOptions> options, IConfiguration configuration, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(RateLimited, string), (long Window, int Count)> _counts = new();
    private readonly bool _inAzure = HostingNames.InAzure(configuration);

    /// <summary>A webhook call over the limit: 429, which the providers retry later.</summary>
    public static IResult TooManyRequests { get; } = Results.StatusCode(StatusCodes.Status429TooManyRequests);

    /// <summary>Counts a request and answers it with <paramref name="allowed"/>, or with <paramref name="over"/> when the client is over the limit.</summary>
    public Task<IResult> WithinAsync(RateLimited what, HttpContext context, Func<Task<IResult>> allowed, Func<IResult> over)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        ArgumentNullException.ThrowIfNull(over);
        return TryAcquire(what, context) ? allowed() : Task.FromResult(over());
    }

    /// <summary>Counts a request; false when the client is over the limit this minute (the answer sets <c>Retry-After</c>).</summary>
    public bool TryAcquire(RateLimited what, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var limit = what switch
        {
            RateLimited.FormPost => options.Value.FormPostsPerMinute,
            RateLimited.LinkOpen => options.Value.LinkOpensPerMinute,
            _ => options.Value.WebhookCallsPerMinute,
        };
        var now = time.GetUtcNow().UtcTicks;
        var window = now / Window.Ticks;
        var (_, count) = _counts.AddOrUpdate((what, ClientOf(context)), (window, 1), (_, seen) => seen.Window == window ? (window, seen.Count + 1) : (window, 1));
        if (_counts.Count > 10_000)
        {
            // Forget the clients of past minutes, so the table stays as large as one minute's clients.
            foreach (var stale in _counts.Where(c => c.Value.Window != window))
            {
                _counts.TryRemove(stale);
            }
        }

        if (count <= limit)
        {
            return true;
        }

        var retryAfter = (long)Math.Ceiling(TimeSpan.FromTicks(((window + 1) * Window.Ticks) - now).TotalSeconds);
        context.Response.Headers.RetryAfter = Math.Max(1, retryAfter).ToString(CultureInfo.InvariantCulture);
        return false;
    }

    private string ClientOf(HttpContext context)
    {
        if (_inAzure && context.Request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } forwarded)
        {
            var last = forwarded[(forwarded.LastIndexOf(',') + 1)..].Trim();
            if (last.Length > 0)
            {
                return last;
            }
        }

        return context.Connection.RemoteIpAddress?.ToString() ?? "";
    }
}
