using System.Collections.Concurrent;
using System.Threading.Channels;
using Askel.App.Messaging.Email;
using Azure.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Askel.App.Tests.Messaging.Email;

/// <summary>One request the fake API received (<paramref name="Query"/>: its query string, decoded, without the <c>?</c>).</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, string Query = "");

/// <summary>One answer the fake API gives.</summary>
public sealed record ScriptedResponse(int Status, string Body = "", params (string Name, string Value)[] Headers);

/// <summary>
/// A tiny HTTP server on 127.0.0.1 standing in for SendGrid's and Graph's APIs: it records each request
/// (method, path, headers, body) and answers from a script, then 202 once the script runs out.
/// </summary>
public sealed class FakeEmailApi : IAsyncDisposable
{
    private readonly ConcurrentQueue<ScriptedResponse> _script = new();
    private readonly List<RecordedRequest> _requests = [];
    private WebApplication _app = null!;

    /// <summary>The server's address (<c>http://127.0.0.1:port</c>).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>What it received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Starts a server on a free port.</summary>
    public static async Task<FakeEmailApi> StartAsync()
    {
        var fake = new FakeEmailApi();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        fake._app = builder.Build();
        fake._app.Run(fake.AnswerAsync);
        await fake._app.StartAsync();
        fake.BaseUrl = fake._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/');
        return fake;
    }

    /// <summary>Answers the next requests with these, in order.</summary>
    public void Script(params ScriptedResponse[] responses)
    {
        foreach (var response in responses)
        {
            _script.Enqueue(response);
        }
    }

    /// <summary>
    /// The real SendGrid and Graph providers (<see cref="EmailSetup.AddEmailProviders(IServiceCollection)"/>) set up to send here,
    /// Graph signing in with <paramref name="graphCredential"/>; <paramref name="overrides"/> replace or add settings.
    /// </summary>
    public ServiceProvider ProviderServices(TimeProvider clock, TokenCredential graphCredential, Dictionary<string, string?>? overrides = null, Action<IServiceCollection>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Askel:SendGrid:ApiKey"] = "SG.test-key",
            ["Askel:SendGrid:From"] = "study@example.org",
            ["Askel:SendGrid:FromName"] = "Askel study",
            ["Askel:SendGrid:BaseUrl"] = BaseUrl,
            ["Askel:Graph:Mailbox"] = "study@example.org",
            ["Askel:Graph:BaseUrl"] = BaseUrl,
        };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging()
            .AddSingleton<TimeProvider>(clock);
        services.AddEmailProviders();
        services.AddKeyedSingleton<TokenCredential>(GraphMailProvider.HttpClientName, graphCredential);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        lock (_requests)
        {
            _requests.Add(new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", headers, body, Uri.UnescapeDataString(context.Request.QueryString.Value?.TrimStart('?') ?? "")));
        }

        var response = _script.TryDequeue(out var next) ? next : new ScriptedResponse(202);
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (response.Body.Length > 0)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Body);
        }
    }
}

/// <summary>A virtual clock that tells each wait it is asked for, so a test advances exactly that far.</summary>
public sealed class ObservedClock : TimeProvider
{
    /// <summary>The clock underneath.</summary>
    public FakeTimeProvider Fake { get; } = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));

    /// <summary>The waits (timers) asked for, as they are asked.</summary>
    public Channel<TimeSpan> Waits { get; } = Channel.CreateUnbounded<TimeSpan>();

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    /// <inheritdoc />
    public override long GetTimestamp() => Fake.GetTimestamp();

    /// <inheritdoc />
    public override long TimestampFrequency => Fake.TimestampFrequency;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Fake.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Waits.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>Runs a send to its end, advancing the clock by each wait it asks for; returns the waits too.</summary>
    public async Task<(T Result, List<TimeSpan> Waited)> DriveAsync<T>(Task<T> task)
    {
        var waited = new List<TimeSpan>();
        while (true)
        {
            var next = Waits.Reader.WaitToReadAsync().AsTask();
            var done = await Task.WhenAny(task, next).WaitAsync(TimeSpan.FromSeconds(30));
            if (done == task)
            {
                return (await task, waited);
            }

            if (Waits.Reader.TryRead(out var due))
            {
                waited.Add(due);
                Fake.Advance(due);
            }
        }
    }
}

/// <summary>A token credential that hands out one fixed token and remembers the scopes asked for.</summary>
public sealed class FixedCredential(string token) : TokenCredential
{
    /// <summary>The scopes of each request.</summary>
    public ConcurrentQueue<string[]> Scopes { get; } = new();

    /// <inheritdoc />
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Scopes.Enqueue(requestContext.Scopes);
        return new AccessToken(token, new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    /// <inheritdoc />
    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

/// <summary>Sends every request to the fake instead, remembering the address the client meant.</summary>
public sealed class RedirectHandler(string fakeBaseUrl) : DelegatingHandler
{
    /// <summary>The addresses the client used.</summary>
    public ConcurrentQueue<Uri> Intended { get; } = new();

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Intended.Enqueue(request.RequestUri!);
        request.RequestUri = new Uri(new Uri(fakeBaseUrl), request.RequestUri!.PathAndQuery);
        return base.SendAsync(request, cancellationToken);
    }
}
