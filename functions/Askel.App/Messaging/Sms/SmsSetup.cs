using System.Text.Json;
using System.Text.RegularExpressions;
using Askel.App.Hosting;
using Microsoft.Extensions.Options;

namespace Askel.App.Messaging.Sms;

/// <summary>
/// Composition of the SMS providers (<c>twilio</c>, <c>gateway</c>) and their webhooks. A provider's settings
/// are checked at start-up only when <c>Askel__Messaging__Sms</c> selects it.
/// </summary>
public static partial class SmsSetup
{
    /// <summary>How long one call to a provider may take before it counts as not answering.</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Registers the SMS providers and their options.</summary>
    public static IHostApplicationBuilder AddSmsProviders(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<TwilioOptions>().BindConfiguration(TwilioOptions.Section);
        services.AddOptions<SmsGatewayOptions>().BindConfiguration(SmsGatewayOptions.Section);
        services.AddHttpClient(TwilioSmsProvider.ClientName, c => c.Timeout = SendTimeout);
        services.AddHttpClient(HttpGatewaySmsProvider.ClientName, c => c.Timeout = SendTimeout);
        services.AddSingleton<TwilioSmsProvider>();
        services.AddSingleton<HttpGatewaySmsProvider>();
        services.AddSingleton<IMessageProvider>(sp => sp.GetRequiredService<TwilioSmsProvider>());
        services.AddSingleton<IMessageProvider>(sp => sp.GetRequiredService<HttpGatewaySmsProvider>());
        services.AddHostedService<SmsSettingsCheck>();
        return builder;
    }

    /// <summary>The problem with the selected SMS provider's settings, or null when there is none.</summary>
    public static string? SettingsProblem(string provider, TwilioOptions twilio, SmsGatewayOptions gateway)
    {
        ArgumentNullException.ThrowIfNull(twilio);
        ArgumentNullException.ThrowIfNull(gateway);
        static string Missing(string setting, string provider, string what) =>
            $"{setting} is not set, but Askel__Messaging__Sms is '{provider}': {what}";
        switch (provider)
        {
            case "twilio":
                if (string.IsNullOrWhiteSpace(twilio.AccountSid)) { return Missing("Askel__Twilio__AccountSid", provider, "set it to the Twilio account (AC…)."); }
                if (string.IsNullOrWhiteSpace(twilio.AuthToken)) { return Missing("Askel__Twilio__AuthToken", provider, "set it to the account's auth token (in Azure a Key Vault reference)."); }
                if (string.IsNullOrWhiteSpace(twilio.From)) { return Missing("Askel__Twilio__From", provider, "set it to the sender id (e.g. Askel) or a Twilio number."); }
                if (!string.IsNullOrWhiteSpace(twilio.BaseUrl) && !ProviderAddresses.IsAllowed(twilio.BaseUrl)) { return $"Askel__Twilio__BaseUrl must be {ProviderAddresses.Rule} (or empty for {TwilioOptions.DefaultBaseUrl})."; }
                return null;
            case "gateway":
                if (string.IsNullOrWhiteSpace(gateway.Url)) { return Missing("Askel__SmsGateway__Url", provider, "set it to the gateway's send address."); }
                if (!ProviderAddresses.IsAllowed(gateway.Url)) { return $"Askel__SmsGateway__Url must be {ProviderAddresses.Rule}."; }
                if (string.IsNullOrWhiteSpace(gateway.ApiKey)) { return Missing("Askel__SmsGateway__ApiKey", provider, "set it to the gateway's API key (in Azure a Key Vault reference)."); }
                if (string.IsNullOrWhiteSpace(gateway.From)) { return Missing("Askel__SmsGateway__From", provider, "set it to the sender id or number."); }
                if (string.IsNullOrWhiteSpace(gateway.WebhookSecret)) { return Missing("Askel__SmsGateway__WebhookSecret", provider, "set it to the secret the gateway signs its callbacks with (in Azure a Key Vault reference)."); }
                return null;
            default:
                return null;
        }
    }

    /// <summary>An address under the app's public URL (<paramref name="path"/> without a leading slash).</summary>
    internal static string PublicUrl(Uri publicBaseUrl, string path) => publicBaseUrl.ToString().TrimEnd('/') + "/" + path.TrimStart('/');

    /// <summary>A provider's JSON answer, or null when it is not JSON.</summary>
    internal static async Task<JsonElement?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64 * 1024)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A string property of a JSON object, or null.</summary>
    internal static string? StringProperty(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A provider's text with anything that looks like a phone number taken out, shortened, for logs and reasons.</summary>
    internal static string? WithoutNumbers(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var cleaned = PhoneLike().Replace(text.Trim(), "[number]");
        return cleaned.Length > 200 ? cleaned[..200] + "…" : cleaned;
    }

    [GeneratedRegex(@"\+?\d[\d\s().-]{4,}\d")]
    private static partial Regex PhoneLike();

    /// <summary>Refuses to start when the selected SMS provider lacks a setting.</summary>
    private sealed class SmsSettingsCheck(IOptions<MessagingOptions> messaging, IOptions<TwilioOptions> twilio, IOptions<SmsGatewayOptions> gateway) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            SettingsProblem(messaging.Value.Sms, twilio.Value, gateway.Value) is { } problem ? throw new SettingException(problem) : Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
