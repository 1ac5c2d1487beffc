using Askel.App.LocalHost;
using Askel.Runtime.Storage;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Askel.App.Hosting;

/// <summary>Composition of the process under either host: settings, logging, storage; and the local host's run.</summary>
public static class AskelHostingExtensions
{
    /// <summary>Settings (local.settings.json under environment variables), the clock and logging.</summary>
    public static IHostApplicationBuilder AddAskelDefaults(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddLocalSettings(Directory.GetCurrentDirectory());
        builder.Services.AddOptions<AskelOptions>().BindConfiguration(AskelOptions.Section);
        builder.Services.TryAddSingleton(TimeProvider.System);
        if (builder.Configuration.GetValue<bool>("Askel:LocalSignIn") && HostingNames.InAzure(builder.Configuration))
        {
            // The development sign-in offers every user, admins included: in Azure only Easy Auth signs people in.
            builder.Services.AddHostedService(_ => new FailAtStart(new SettingException(
                "Askel__LocalSignIn is set on an Azure instance: it lets anyone sign in as anyone. Remove the setting; in Azure, App Service authentication signs users in.")));
        }

        var underFunctionsHost = HostingNames.UnderFunctionsHost(builder.Configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("DurableTask", LogLevel.Warning); // the framework tells every poll and lease at Information
        builder.Logging.AddFilter("Microsoft.DurableTask", LogLevel.Warning); // and the SDK every execution's start and end
        if (underFunctionsHost)
        {
            // The host forwards the worker's stdout to its own logs: one JSON object per line keeps the fields.
            builder.Logging.AddJsonConsole(options => options.IncludeScopes = false);
        }
        else
        {
            builder.Logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
            });
        }
        return builder;
    }

    /// <summary>
    /// The storage account from <c>AzureWebJobsStorage</c> (a connection string, or identity-based
    /// <c>AzureWebJobsStorage__*</c> settings as in Azure); with none, Askel starts Azurite itself
    /// (from node_modules, data under <c>Askel__DataPath</c>) before anything else touches storage.
    /// </summary>
    public static IHostApplicationBuilder AddAskelStorage(this IHostApplicationBuilder builder)
    {
        StorageAccount account;
        try
        {
            account = StorageSettings.Read(builder.Configuration);
        }
        catch (SettingException e)
        {
            // Reported at start like every other setting problem: one line and exit code 1.
            builder.Services.AddHostedService(_ => new FailAtStart(e));
            builder.Services.TryAddSingleton(StorageAccount.ForEmulator(AzuritePorts.Default));
            return builder;
        }

        builder.Services.TryAddSingleton(account);
        if (account.IsLocalEmulator)
        {
            builder.Services.AddHostedService<LocalAzuriteHost>();
        }

        return builder;
    }

    /// <summary>
    /// Starts the app and waits for shutdown. A start-up problem — a port in use, Azurite missing,
    /// a function the local host cannot serve — ends the process with one line that says what to do, and exit code 1.
    /// </summary>
    public static async Task<int> RunLocallyAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Askel");
        var port = LocalFunctionsHost.ListeningPort(app.Configuration);
        try
        {
            await app.StartAsync();
        }
        catch (Exception e) when (StartupProblem(e, port) is { } problem)
        {
            logger.StartupFailed(problem);
            await Console.Error.WriteLineAsync($"askel: {problem}");
            return 1;
        }

        logger.Listening($"http://127.0.0.1:{port}");
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static string? StartupProblem(Exception e, int port) => e switch
    {
        AzuriteStartException => e.Message,
        FunctionsMetadataException => e.Message,
        SettingException => e.Message,
        IOException { InnerException: AddressInUseException } =>
            $"Port {port} on 127.0.0.1 is in use by another program. Stop it, or choose another port: Askel__Port={port + 1} ./askel run",
        _ => null,
    };
}

/// <summary>A setting is missing or malformed: the app does not start, and says which setting and how to fix it.</summary>
public sealed class SettingException(string message) : Exception(message);

/// <summary>Fails the start with a problem found while the app was being composed.</summary>
internal sealed class FailAtStart(Exception problem) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.FromException(problem);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
