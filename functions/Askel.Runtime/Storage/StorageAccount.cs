using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;

namespace Askel.Runtime.Storage;

/// <summary>The storage account that holds every table and queue Askel uses.</summary>
/// <remarks>
/// Built from the <c>AzureWebJobsStorage</c> setting, the same one the Functions host uses, so the
/// runtime and the host's queue triggers always look at one account: either a connection string, or
/// (in Azure) identity-based — service endpoints and a Microsoft Entra credential, no key anywhere.
/// </remarks>
public sealed class StorageAccount
{
    private readonly TokenCredential? _credential;

    /// <summary>The well-known development account that Azurite serves.</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>The published key of Azurite's development account (not a secret).</summary>
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private StorageAccount(string connectionString, bool isLocalEmulator)
    {
        ConnectionString = connectionString;
        IsLocalEmulator = isLocalEmulator;
    }

    private StorageAccount(Uri tableEndpoint, Uri queueEndpoint, TokenCredential credential)
    {
        ConnectionString = "";
        TableEndpoint = tableEndpoint;
        QueueEndpoint = queueEndpoint;
        _credential = credential;
    }

    /// <summary>The connection string the clients are built from; empty for an identity-based account.</summary>
    public string ConnectionString { get; }

    /// <summary>True when the clients authenticate with a Microsoft Entra credential instead of a connection string.</summary>
    public bool IsIdentityBased => _credential is not null;

    /// <summary>The table service endpoint of an identity-based account (null with a connection string).</summary>
    public Uri? TableEndpoint { get; }

    /// <summary>The queue service endpoint of an identity-based account (null with a connection string).</summary>
    public Uri? QueueEndpoint { get; }

    /// <summary>True when the account is the local Azurite emulator that Askel starts itself.</summary>
    public bool IsLocalEmulator { get; }

    /// <summary>
    /// Reads the <c>AzureWebJobsStorage</c> value: empty or <c>UseDevelopmentStorage=true</c> means the
    /// local emulator on its default ports; anything else is a real account's connection string.
    /// </summary>
    public static StorageAccount FromSetting(string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting) ||
            setting.Trim().Equals("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase))
        {
            return ForEmulator(AzuritePorts.Default);
        }

        return new StorageAccount(setting.Trim(), isLocalEmulator: false);
    }

    /// <summary>
    /// An account reached with a Microsoft Entra credential (a managed identity in Azure) at the given service
    /// endpoints, as the Functions host's identity-based <c>AzureWebJobsStorage__*</c> settings describe it.
    /// </summary>
    public static StorageAccount FromIdentity(Uri tableEndpoint, Uri queueEndpoint, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(tableEndpoint);
        ArgumentNullException.ThrowIfNull(queueEndpoint);
        ArgumentNullException.ThrowIfNull(credential);
        return new StorageAccount(tableEndpoint, queueEndpoint, credential);
    }

    /// <summary>The Azurite account served on the given loopback ports.</summary>
    public static StorageAccount ForEmulator(AzuritePorts ports) =>
        new(
            "DefaultEndpointsProtocol=http;" +
            $"AccountName={DevelopmentAccountName};AccountKey={DevelopmentAccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{ports.Blob}/{DevelopmentAccountName};" +
            $"QueueEndpoint=http://127.0.0.1:{ports.Queue}/{DevelopmentAccountName};" +
            $"TableEndpoint=http://127.0.0.1:{ports.Table}/{DevelopmentAccountName};",
            isLocalEmulator: true);

    /// <summary>
    /// The Durable Task Framework's clients for this account, where the task hub keeps its queues, tables and blobs.
    /// An identity-based account's blob endpoint is its table endpoint's, with <c>blob</c> for <c>table</c>.
    /// </summary>
    public StorageAccountClientProvider DurableTaskClients() =>
        _credential is null
            ? new(ConnectionString)
            : new(new UriBuilder(TableEndpoint!) { Host = TableEndpoint!.Host.Replace(".table.", ".blob.", StringComparison.Ordinal) }.Uri, QueueEndpoint!, TableEndpoint!, _credential);

    /// <summary>A client for the account's table service.</summary>
    public TableServiceClient CreateTableServiceClient() =>
        _credential is null ? new(ConnectionString) : new(TableEndpoint!, _credential);

    /// <summary>
    /// A client for one queue. Messages are base64, as the Functions host's queue trigger expects
    /// by default (host.json <c>extensions.queues.messageEncoding</c>).
    /// </summary>
    public QueueClient CreateQueueClient(string queueName)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        return _credential is null
            ? new(ConnectionString, queueName, options)
            : new(new Uri(QueueEndpoint!, Uri.EscapeDataString(queueName)), _credential, options);
    }
}
