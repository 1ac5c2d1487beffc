using System.Net;
using Askel.App.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Askel.App.LocalHost;

/// <summary>
/// The stand-in for the Functions host where none runs (<c>./askel run</c>, every test): the same function classes,
/// served from the functions.metadata the Worker SDK wrote beside the executable — HTTP on Kestrel at 127.0.0.1,
/// timers on their schedules, orchestrators and activities on a task hub worker in this process.
/// </summary>
public static class LocalFunctionsHost
{
    /// <summary>Listens on 127.0.0.1 at <c>Askel__Port</c> and registers the timer runner and the task hub worker.</summary>
    public static WebApplicationBuilder AddLocalFunctionsHost(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, ListeningPort(builder.Configuration)));
        builder.Services.TryAddSingleton(sp =>
        {
            var root = sp.GetRequiredService<IOptions<AskelOptions>>().Value.FunctionAppRoot;
            return LocalFunctions.Load(string.IsNullOrEmpty(root) ? AppContext.BaseDirectory : root, typeof(LocalFunctionsHost).Assembly);
        });
        builder.Services.AddHostedService<LocalTaskHubWorker>();
        builder.Services.AddHostedService<LocalTimers>();
        return builder;
    }

    /// <summary>Maps every HTTP function of functions.metadata.</summary>
    public static WebApplication MapLocalFunctions(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var functions = app.Services.GetRequiredService<LocalFunctions>();
        app.MapHttpFunctions(functions.Http);
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Askel").LocalFunctionsServed(
            functions.Http.Count, functions.Timers.Count, functions.Orchestrators.Count, functions.Activities.Count);
        return app;
    }

    /// <summary>The port to listen on.</summary>
    public static int ListeningPort(IConfiguration configuration) =>
        configuration.GetValue($"{AskelOptions.Section}:{nameof(AskelOptions.Port)}", 7071);
}
