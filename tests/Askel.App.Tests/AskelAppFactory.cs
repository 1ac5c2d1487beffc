using Askel.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Askel.App.Tests;

/// <summary>
/// The real app in memory, against the shared Azurite, on a virtual clock, with its logs in the
/// test output.
/// </summary>
public sealed class AskelAppFactory(ITestOutputHelper output, string storageConnection) : WebApplicationFactory<Program>
{
    /// <summary>The app's clock (several apps may share one).</summary>
    public FakeTimeProvider Time { get; init; } = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));

    /// <summary>Settings beside the test defaults (e.g. an email provider pointed at a local fake).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Changes to the app's services after its own (e.g. a fixed Graph credential).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>The app's log lines.</summary>
    public XunitLoggerProvider Logs { get; } = new(output);

    /// <summary>A folder whose functions.metadata the local host serves instead of the one beside the executable.</summary>
    public string? FunctionAppRoot { get; init; }

    /// <summary>The prefix of this app's runtime tables and queues (unique, so tests do not see each other).</summary>
    public string StoragePrefix { get; init; } = Azurite.UniqueName("a");

    /// <summary>Where this app keeps local state (the outbox).</summary>
    public string DataPath { get; } = Directory.CreateTempSubdirectory("askel-data-").FullName;

    /// <summary>Starts the app on the shared Azurite.</summary>
    public static async Task<AskelAppFactory> CreateAsync(ITestOutputHelper output, string? functionAppRoot = null) =>
        new(output, (await Azurite.AccountAsync()).ConnectionString) { FunctionAppRoot = functionAppRoot };

    /// <summary>Invokes the timer function <paramref name="function"/> once, as the Functions host does at an occurrence.</summary>
    public Task RunTimerAsync(string function) =>
        Askel.App.LocalHost.LocalTimers.RunOnceAsync(
            Services.GetRequiredService<Askel.App.LocalHost.LocalFunctions>().Timers.Single(f => f.Name == function),
            Services, new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);

    /// <summary>This app with <paramref name="provider"/> as its SMS provider (named by the provider's name).</summary>
    public WebApplicationFactory<Program> WithSmsProvider(Askel.App.Messaging.IMessageProvider provider) =>
        WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Askel:Messaging:Sms", provider.Name);
            builder.ConfigureTestServices(services => services.AddSingleton(provider));
        });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting(HostingNames.StorageSetting, storageConnection);
        builder.UseSetting("Askel:Runtime:StoragePrefix", StoragePrefix);
        foreach (var (key, value) in TestTaskHub.Settings(StoragePrefix))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Askel:DataPath", DataPath);
        if (FunctionAppRoot is not null)
        {
            builder.UseSetting("Askel:FunctionAppRoot", FunctionAppRoot);
        }

        foreach (var (key, value) in RequestLimits.Lifted)
        {
            builder.UseSetting(key, value);
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            TestTaskHub.Register(services, storageConnection, Time);
            TestServices?.Invoke(services);
        });
    }
}
