using System.Net;
using Askel.App.CustomHandler;
using Askel.App.LocalTriggers;
using Askel.Runtime.Storage;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Askel.App.Hosting;

/// <summary>Composition of the process: settings, logging, listening, storage and the Functions contract.</summary>
public static class AskelHostingExtensions
{
    /// <summary>
    /// Settings (local.settings.json under environment variables), the clock, logging, and listening on
    /// 127.0.0.1 at the port the Functions host gives (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c>) or <c>Askel__Port</c>.
    /// </summary>
    public static WebApplicationBuilder AddAskelDefaults(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddLocalSettings(Directory.GetCurrentDirectory());
        builder.Services.AddOptions<AskelOptions>().BindConfiguration(AskelOptions.Section);
        builder.Services.TryAddSingleton(TimeProvider.System);

        var underFunctionsHost = !string.IsNullOrEmpty(builder.Configuration[HostingNames.CustomHandlerPort]);
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("DurableTask", LogLevel.Warning); // the framework tells every poll and lease at Information
        if (underFunctionsHost)
        {
            // The host forwards the handler's stdout to its own logs: one JSON object per line keeps the fields.
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

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, ListeningPort(builder.Configuration)));
        return builder;
    }

    /// <summary>
    /// The storage account from <c>AzureWebJobsStorage</c> (a connection string, or identity-based
    /// <c>AzureWebJobsStorage__*</c> settings as in Azure); with none, Askel starts Azurite itself
    /// (from node_modules, data under <c>Askel__DataPath</c>) before anything else touches storage.
    /// </summary>
    public static WebApplicationBuilder AddAskelStorage(this WebApplicationBuilder builder)
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
    /// The Functions custom handler contract: the function folders beside the executable (or
    /// <c>Askel__FunctionAppRoot</c>), and, where no Functions host runs, the local trigger runner.
    /// </summary>
    public static WebApplicationBuilder AddFunctionHost(this WebApplicationBuilder builder)
    {
        var root = builder.Configuration[$"{AskelOptions.Section}:{nameof(AskelOptions.FunctionAppRoot)}"];
        builder.Services.TryAddSingleton(_ => FunctionManifest.Load(string.IsNullOrEmpty(root) ? AppContext.BaseDirectory : root));
        builder.Services.AddHostedService<LocalTriggerHost>();
        return builder;
    }

    /// <summary>
    /// Starts the app and waits for shutdown. A start-up problem — a port in use, Azurite missing,
    /// a broken function.json — ends the process with one line that says what to do, and exit code 1.
    /// </summary>
    public static async Task<int> RunAskelAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Askel");
        var port = ListeningPort(app.Configuration);
        try
        {
            CheckFunctionsHaveHandlers(app.Services);
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

    /// <summary>Every non-HTTP function in the manifest has a handler, and every handler a function.json.</summary>
    public static void CheckFunctionsHaveHandlers(IServiceProvider services)
    {
        var manifest = services.GetRequiredService<FunctionManifest>();
        var declared = manifest.Functions.Where(f => f.Trigger is not HttpTrigger).Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var handled = services.GetServices<IFunctionHandler>().Select(h => h.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (declared.Except(handled, StringComparer.OrdinalIgnoreCase).FirstOrDefault() is { } unhandled)
        {
            throw new FunctionManifestException($"Function '{unhandled}' ({manifest.Root}) has a function.json but no handler: register an IFunctionHandler named '{unhandled}'.");
        }

        if (handled.Except(declared, StringComparer.OrdinalIgnoreCase).FirstOrDefault() is { } undeclared)
        {
            throw new FunctionManifestException($"Handler '{undeclared}' has no function.json: add Triggers/{undeclared}/function.json so the Functions host can call it.");
        }
    }

    private static int ListeningPort(IConfiguration configuration) =>
        int.TryParse(configuration[HostingNames.CustomHandlerPort], out var hostPort) ? hostPort
        : configuration.GetValue($"{AskelOptions.Section}:{nameof(AskelOptions.Port)}", 7071);

    private static string? StartupProblem(Exception e, int port) => e switch
    {
        AzuriteStartException => e.Message,
        FunctionManifestException => e.Message,
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
