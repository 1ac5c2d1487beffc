using Askel.App;
using Askel.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Askel.Browser.Tests;

/// <summary>
/// The real app on Kestrel at 127.0.0.1 on a free port, so a browser can reach it — otherwise set up
/// exactly like the in-memory AskelAppFactory: the shared Azurite, its own tables, queue and data
/// folder, a virtual clock, and its logs in the test output.
/// </summary>
public sealed class AskelKestrelFactory : WebApplicationFactory<Program>
{
    private readonly ITestOutputHelper _output;
    private readonly string _storageConnection;
    private readonly IReadOnlyDictionary<string, string> _settings;

    private AskelKestrelFactory(ITestOutputHelper output, string storageConnection, IReadOnlyDictionary<string, string>? settings)
    {
        _output = output;
        _storageConnection = storageConnection;
        _settings = settings ?? new Dictionary<string, string>();
        Logs = new XunitLoggerProvider(output);

        // The app listens where Askel:Port says (set to 0 below: a free port on 127.0.0.1), so
        // Kestrel is configured by the app's own code, as in production.
        UseKestrel();
    }

    /// <summary>The app's clock.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));

    /// <summary>The app's log lines.</summary>
    public XunitLoggerProvider Logs { get; }

    /// <summary>The prefix of this app's tables and its task hub's name (unique, so tests do not see each other).</summary>
    public string StoragePrefix { get; } = Azurite.UniqueName("a");

    /// <summary>Where this app keeps local state (the outbox).</summary>
    public string DataPath { get; } = Directory.CreateTempSubdirectory("askel-data-").FullName;

    /// <summary>Where the app listens, e.g. <c>http://127.0.0.1:41234/</c> (with the trailing slash).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts the app on Kestrel against the shared Azurite, with <paramref name="settings"/> added; dispose it to stop it.</summary>
    public static async Task<AskelKestrelFactory> StartAsync(ITestOutputHelper output, IReadOnlyDictionary<string, string>? settings = null)
    {
        var factory = new AskelKestrelFactory(output, (await Azurite.AccountAsync()).ConnectionString, settings);
        try
        {
            factory.StartServer();
            var address = factory.ClientOptions.BaseAddress;
            if (!address.IsLoopback || address.Port == 0)
            {
                throw new InvalidOperationException($"The app did not start listening on a loopback port: {address}");
            }

            factory.BaseAddress = new Uri(address.GetLeftPart(UriPartial.Authority) + "/");
            output.WriteLine($"app: {factory.BaseAddress}");
            return factory;
        }
        catch
        {
            await factory.DisposeAsync();
            throw;
        }
    }

    /// <summary>The absolute URL of a path on the app, e.g. <c>Url("api/health")</c>.</summary>
    public string Url(string path) => new Uri(BaseAddress, path.TrimStart('/')).ToString();

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException e)
        {
            _output.WriteLine($"could not delete {DataPath}: {e.Message}");
        }
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting(HostingNames.StorageSetting, _storageConnection);
        builder.UseSetting("Askel:Runtime:StoragePrefix", StoragePrefix);
        foreach (var (key, value) in TestTaskHub.Settings(StoragePrefix))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Askel:DataPath", DataPath);
        foreach (var (key, value) in RequestLimits.Lifted)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Askel:Port", "0");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            TestTaskHub.Register(services, _storageConnection, Time);
        });
    }
}
