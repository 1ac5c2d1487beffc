using Askel.App.Hosting;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Askel.App.Messaging.Email;

/// <summary>Composition of the real email providers: SendGrid (<c>sendgrid</c>) and Microsoft Graph (<c>graph</c>).</summary>
public static class EmailSetup
{
    /// <summary>Registers the email providers; the one <c>Askel__Messaging__Email</c> names has its settings checked at start-up.</summary>
    public static IHostApplicationBuilder AddEmailProviders(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddEmailProviders();
        return builder;
    }

    /// <summary>Registers the email providers on <paramref name="services"/> (which must have an <see cref="IConfiguration"/>).</summary>
    public static IServiceCollection AddEmailProviders(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.Section);
        services.AddOptions<SendGridOptions>().BindConfiguration(SendGridOptions.Section);
        services.AddOptions<GraphMailOptions>().BindConfiguration(GraphMailOptions.Section);
        services.AddHttpClient(SendGridEmailProvider.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient(GraphMailProvider.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        services.TryAddKeyedSingleton<TokenCredential>(
            GraphMailProvider.HttpClientName, (sp, _) => GraphMailProvider.Credential(sp.GetRequiredService<IOptions<GraphMailOptions>>().Value));
        services.AddSingleton<SendGridEmailProvider>();
        services.AddSingleton<GraphMailProvider>();

        // The message sender wraps each of them in a ResilientProvider (retries and a circuit per provider).
        services.AddSingleton<IMessageProvider>(sp => sp.GetRequiredService<SendGridEmailProvider>());
        services.AddSingleton<IMessageProvider>(sp => sp.GetRequiredService<GraphMailProvider>());
        services.AddHostedService<EmailSettingsCheck>();
        return services;
    }

    /// <summary>The settings the selected email provider cannot do without, as the problem to report (null: none).</summary>
    public static string? Problem(string provider, SendGridOptions sendGrid, GraphMailOptions graph)
    {
        ArgumentNullException.ThrowIfNull(sendGrid);
        ArgumentNullException.ThrowIfNull(graph);
        return provider switch
        {
            "sendgrid" when string.IsNullOrWhiteSpace(sendGrid.ApiKey) =>
                "Askel__Messaging__Email is 'sendgrid' but Askel__SendGrid__ApiKey is not set: give a SendGrid API key with Mail Send permission (in Azure a Key Vault reference).",
            "sendgrid" when string.IsNullOrWhiteSpace(sendGrid.From) =>
                "Askel__Messaging__Email is 'sendgrid' but Askel__SendGrid__From is not set: give the verified sender address mail goes out from.",
            "sendgrid" when !string.IsNullOrWhiteSpace(sendGrid.BaseUrl) && !ProviderAddresses.IsAllowed(sendGrid.BaseUrl) =>
                $"Askel__SendGrid__BaseUrl '{sendGrid.BaseUrl}' must be {ProviderAddresses.Rule}: leave it unset for SendGrid's own host.",
            "graph" when string.IsNullOrWhiteSpace(graph.Mailbox) =>
                "Askel__Messaging__Email is 'graph' but Askel__Graph__Mailbox is not set: give the shared mailbox mail is sent from (its address or object id).",
            "graph" when !string.IsNullOrWhiteSpace(graph.BaseUrl) && !ProviderAddresses.IsAllowed(graph.BaseUrl) =>
                $"Askel__Graph__BaseUrl '{graph.BaseUrl}' must be {ProviderAddresses.Rule}: leave it unset for https://graph.microsoft.com.",
            "graph" when graph.ClientSecret.Length > 0 && (graph.TenantId.Length == 0 || graph.ClientId.Length == 0) =>
                "Askel__Graph__ClientSecret is set but Askel__Graph__TenantId or Askel__Graph__ClientId is not: a client secret signs in with all three (leave the secret unset to use the managed identity).",
            _ => null,
        };
    }

    /// <summary>Stops the start when the selected email provider lacks a setting it needs.</summary>
    private sealed class EmailSettingsCheck(IOptions<MessagingOptions> messaging, IOptions<SendGridOptions> sendGrid, IOptions<GraphMailOptions> graph) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            Problem(messaging.Value.Email, sendGrid.Value, graph.Value) is { } problem ? throw new SettingException(problem) : Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
