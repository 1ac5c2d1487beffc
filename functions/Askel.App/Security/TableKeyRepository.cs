using System.Xml.Linq;
using Azure.Data.Tables;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Askel.App.Security;

/// <summary>
/// Keeps ASP.NET Core's data-protection keys (they sign the sign-in cookie and the antiforgery tokens) in a
/// table of the app's storage account, so every instance of a scaled-out app and every restart use the
/// same keys. Each key is stored encrypted (<see cref="KeyEncryptor"/>), so access to the table alone gives none.
/// </summary>
public sealed class TableKeyRepository(TableClient table) : IXmlRepository
{
    private const string Partition = "dataprotection";

    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        table.CreateIfNotExists();
        return [.. table.Query<TableEntity>(e => e.PartitionKey == Partition).Select(e => XElement.Parse(e.GetString("Xml")))];
    }

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        table.CreateIfNotExists();
        table.UpsertEntity(new TableEntity(Partition, friendlyName) { ["Xml"] = element.ToString(SaveOptions.DisableFormatting) });
    }

    /// <summary>Uses the table for the app's data-protection keys.</summary>
    public static IServiceCollection AddTableKeys(IServiceCollection services, Func<IServiceProvider, TableClient> table)
    {
        services.AddDataProtection().SetApplicationName("askel");
        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<IServiceProvider>((options, provider) =>
            {
                options.XmlRepository = new TableKeyRepository(table(provider));
                options.XmlEncryptor = new KeyEncryptor(provider.GetRequiredService<LinkSecret>());
            });
        return services;
    }
}
