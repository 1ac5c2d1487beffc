using Askel.App.Hosting;
using Microsoft.Extensions.Configuration;

namespace Askel.App.Tests.Deployment;

/// <summary>AzureWebJobsStorage read as the Functions host reads it: a connection string, or identity-based settings with no key.</summary>
public sealed class StorageSettingsTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key.Replace("__", ":", StringComparison.Ordinal), (string?)v.Value))).Build();

    [Fact]
    public void NoSetting_IsTheLocalEmulator()
    {
        var account = StorageSettings.Read(Settings());

        Assert.True(account.IsLocalEmulator);
        Assert.False(account.IsIdentityBased);
    }

    [Fact]
    public void AnAccountNameWithAManagedIdentity_GivesTheAccountsEndpoints_AndNoConnectionString()
    {
        var account = StorageSettings.Read(Settings(
            ("AzureWebJobsStorage__accountName", "staskel1"),
            ("AzureWebJobsStorage__credential", "managedidentity"),
            ("AzureWebJobsStorage__clientId", "0b8e7d6c-5a4f-4e3d-9c2b-1a0f9e8d7c6b")));

        Assert.True(account.IsIdentityBased);
        Assert.False(account.IsLocalEmulator);
        Assert.Equal("", account.ConnectionString);
        Assert.Equal(new Uri("https://staskel1.table.core.windows.net/"), account.TableEndpoint);
        Assert.Equal(new Uri("https://staskel1.queue.core.windows.net/askel-work"), account.CreateQueueClient("askel-work").Uri);
        Assert.Equal("staskel1", account.CreateTableServiceClient().AccountName);
    }

    [Fact]
    public void ServiceUris_WinOverTheAccountName()
    {
        var account = StorageSettings.Read(Settings(
            ("AzureWebJobsStorage__accountName", "ignored"),
            ("AzureWebJobsStorage__tableServiceUri", "https://other.table.core.windows.net/"),
            ("AzureWebJobsStorage__queueServiceUri", "https://other.queue.core.windows.net/"),
            ("AzureWebJobsStorage__credential", "managedidentity")));

        Assert.Equal(new Uri("https://other.table.core.windows.net/"), account.TableEndpoint);
        Assert.Equal(new Uri("https://other.queue.core.windows.net/"), account.QueueEndpoint);
    }

    [Fact]
    public void AConnectionString_StillWins()
    {
        var account = StorageSettings.Read(Settings(
            ("AzureWebJobsStorage", "UseDevelopmentStorage=true"),
            ("AzureWebJobsStorage__accountName", "staskel1")));

        Assert.True(account.IsLocalEmulator);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__tableServiceUri", "http://staskel1.table.core.windows.net/", "AzureWebJobsStorage__tableServiceUri 'http://staskel1.table.core.windows.net/' is not an absolute https address")]
    [InlineData("AzureWebJobsStorage__credential", "clientsecret", "AzureWebJobsStorage__credential 'clientsecret' is not supported")]
    public void AMalformedSetting_IsRefusedNamingIt(string key, string value, string message)
    {
        var error = Assert.Throws<SettingException>(() => StorageSettings.Read(Settings(("AzureWebJobsStorage__accountName", "staskel1"), (key, value))));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyATableUri_AsksForTheQueue()
    {
        var error = Assert.Throws<SettingException>(() => StorageSettings.Read(Settings(("AzureWebJobsStorage__tableServiceUri", "https://a.table.core.windows.net/"))));

        Assert.StartsWith("AzureWebJobsStorage__queueServiceUri is not set", error.Message, StringComparison.Ordinal);
    }
}
