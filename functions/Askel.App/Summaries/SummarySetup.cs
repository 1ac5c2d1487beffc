using Askel.App.Messaging.Email;
using Azure.Core;
using Microsoft.Extensions.Options;

namespace Askel.App.Summaries;

/// <summary>Composition of the monthly summary's delivery: the delivery rows, the manager directory which <c>summary-monthly</c> runs.</summary>
public static class SummarySetup
{
    /// <summary>
    /// Registers the delivery. Manager groups are read through Microsoft Graph where Graph is configured
    /// (<see cref="GraphManagerDirectory.IsConfigured"/>); elsewhere (local runs) only the managers in the project files get the summary.
    /// </summary>
    public static IHostApplicationBuilder AddSummaryDelivery(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton<SummaryDeliveries>();
        services.AddSingleton<IManagerDirectory>(sp => GraphManagerDirectory.IsConfigured(sp.GetRequiredService<IConfiguration>())
            ? new GraphManagerDirectory(
                sp.GetRequiredService<IHttpClientFactory>(),
                sp.GetRequiredService<IOptions<GraphMailOptions>>(),
                sp.GetRequiredKeyedService<TokenCredential>(GraphMailProvider.HttpClientName))
            : new NoManagerDirectory());
        services.AddSingleton<ManagerRecipients>();
        services.AddSingleton<SummaryDelivery>();
        return builder;
    }
}
