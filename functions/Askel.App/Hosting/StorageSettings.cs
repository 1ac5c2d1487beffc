using Askel.Runtime.Storage;
using Azure.Core;
using Azure.Identity;

namespace Askel.App.Hosting;

/// <summary>
/// Reads a storage connection setting the way the Functions host does: <c>AzureWebJobsStorage</c> as a connection
/// string, or — with no key anywhere, as in Azure — identity-based: <c>AzureWebJobsStorage__accountName</c> (or
/// <c>__tableServiceUri</c> and <c>__queueServiceUri</c>), <c>__credential</c> (<c>managedidentity</c>) and
/// <c>__clientId</c> (a user-assigned identity). Nothing at all means the local emulator.
/// </summary>
public static class StorageSettings
{
    /// <summary>The account a connection setting names (default: <c>AzureWebJobsStorage</c>).</summary>
    public static StorageAccount Read(IConfiguration configuration, string name = HostingNames.StorageSetting)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration[name];
        var section = configuration.GetSection(name);
        var accountName = section["accountName"];
        var tableUri = section["tableServiceUri"];
        var queueUri = section["queueServiceUri"];
        var identityBased = !string.IsNullOrWhiteSpace(accountName) || !string.IsNullOrWhiteSpace(tableUri) || !string.IsNullOrWhiteSpace(queueUri);
        if (!string.IsNullOrWhiteSpace(connectionString) || !identityBased)
        {
            return StorageAccount.FromSetting(connectionString);
        }

        var table = Endpoint(name, "tableServiceUri", tableUri, accountName, "table");
        var queue = Endpoint(name, "queueServiceUri", queueUri, accountName, "queue");
        return StorageAccount.FromIdentity(table, queue, Credential(name, section["credential"], section["clientId"]));
    }

    private static Uri Endpoint(string name, string key, string? uri, string? accountName, string service)
    {
        if (!string.IsNullOrWhiteSpace(uri))
        {
            return Uri.TryCreate(uri.Trim(), UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps
                ? parsed
                : throw new SettingException($"{name}__{key} '{uri}' is not an absolute https address: use https://<account>.{service}.core.windows.net/.");
        }

        if (string.IsNullOrWhiteSpace(accountName))
        {
            throw new SettingException($"{name}__{key} is not set: give {name}__accountName (or both {name}__tableServiceUri and {name}__queueServiceUri).");
        }

        return Uri.TryCreate($"https://{accountName.Trim()}.{service}.core.windows.net/", UriKind.Absolute, out var derived)
            ? derived
            : throw new SettingException($"{name}__accountName '{accountName}' is not a storage account name.");
    }

    private static TokenCredential Credential(string name, string? credential, string? clientId)
    {
        var userAssigned = !string.IsNullOrWhiteSpace(clientId);
        if (string.Equals(credential, "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return new ManagedIdentityCredential(userAssigned ? ManagedIdentityId.FromUserAssignedClientId(clientId!.Trim()) : ManagedIdentityId.SystemAssigned);
        }

        if (!string.IsNullOrWhiteSpace(credential))
        {
            throw new SettingException($"{name}__credential '{credential}' is not supported: use managedidentity, or leave it unset for the default Azure credential.");
        }

        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = userAssigned ? clientId!.Trim() : null });
    }
}
