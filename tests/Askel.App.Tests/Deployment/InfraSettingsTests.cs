using Microsoft.Extensions.Configuration;
using System.Text.RegularExpressions;
using Askel.Testing;

namespace Askel.App.Tests.Deployment;

/// <summary>
/// The infrastructure gives the app every setting it reads, no secret in plain text, the right public address and
/// never the local sign-in; and the checks themselves catch a setting left out or a secret written as a literal.
/// </summary>
public sealed class InfraSettingsTests
{
    private static readonly IReadOnlyList<InfraSetting> Infra = InfraCheck.RepositorySettings();

    private static string FunctionApp => File.ReadAllText(Repository.Path("infra", "modules", "functionapp.bicep"));

    private static bool IsolatedRuntime => Regex.IsMatch(FunctionApp, @"runtime:\s*\{\s*name:\s*'dotnet-isolated'\s+version:\s*'10\.0'");

    [Fact]
    public void EverySettingTheAppReads_IsSetByTheInfrastructure_AndEveryAskelSettingThereIsOneTheAppReads()
    {
        var problems = InfraCheck.CoverageProblems(InfraCheck.SettingsTheAppReads(), Infra, IsolatedRuntime);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void TheSettingsTheAppReads_IncludeTheBoundOptionsAndTheSample()
    {
        var read = InfraCheck.SettingsTheAppReads();

        // From options classes (not all in the sample), the sample, and a function.json's %setting%.
        Assert.Contains("Askel__Durable__VisibilityTimeout", read);
        Assert.Contains("Askel__SmsGateway__WebhookSecret", read);
        Assert.Contains("FUNCTIONS_WORKER_RUNTIME", read);
        Assert.Contains("Askel__Durable__TaskHub", read);
        Assert.DoesNotContain("Askel__Messaging", read);
    }

    [Fact]
    public void EverySettingThatNamesASecret_IsAKeyVaultReference_ToASecretTheVaultHolds()
    {
        var vault = File.ReadAllText(Repository.Path("infra", "modules", "keyvault.bicep"));
        var secrets = Infra.Where(s => InfraCheck.NamesASecret(s.Name)).ToList();

        Assert.True(InfraCheck.SecretProblems(Infra).Count == 0, string.Join(Environment.NewLine, InfraCheck.SecretProblems(Infra)));
        Assert.All(secrets, s => Assert.Contains($"name: '{InfraCheck.KeyVaultSecret(s.Value)}'", vault, StringComparison.Ordinal));
        // The secrets of today, as the code reads them.
        Assert.Superset(
            new HashSet<string>(["Askel__LinkSecret", "Askel__SendGrid__ApiKey", "Askel__Twilio__AuthToken", "Askel__Graph__ClientSecret", "Askel__SmsGateway__ApiKey", "Askel__SmsGateway__WebhookSecret", "APPLICATIONINSIGHTS_CONNECTION_STRING"]),
            secrets.Select(s => s.Name).ToHashSet());
    }

    [Fact]
    public void StorageIsIdentityBased_WithNoKeyOrConnectionStringAnywhere()
    {
        var all = string.Join('\n', Directory.GetFiles(Repository.Path("infra"), "*.bicep", SearchOption.AllDirectories).Select(File.ReadAllText));

        Assert.DoesNotContain(Infra, s => s.Name == "AzureWebJobsStorage");
        Assert.Contains(Infra, s => s.Name == "AzureWebJobsStorage__credential" && s.Value == "'managedidentity'");
        Assert.Contains(Infra, s => s.Name == "AzureWebJobsStorage__clientId" && s.Value == "identityClientId");
        Assert.Contains("allowSharedKeyAccess: false", all, StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys(", all, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey=", all, StringComparison.Ordinal);
        Assert.DoesNotContain("DefaultEndpointsProtocol", all, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAppRunsAsAnIsolatedWorker_OnTheTaskHubHostJsonNames_NeverWithTheLocalSignIn_AndItsLinksStartWithItsPublicAddress()
    {
        Assert.True(IsolatedRuntime, "functionapp.bicep must run the isolated worker: functionAppConfig.runtime { name: 'dotnet-isolated', version: '10.0' }.");
        using var host = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repository.Path("host.json")));
        Assert.Equal("%Askel__Durable__TaskHub%", host.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("hubName").GetString());
        Assert.Single(Infra, s => s.Name == "Askel__Durable__TaskHub" && s.Value == "'askel'");
        Assert.Single(Infra, s => s.Name == "Askel__LocalSignIn" && s.Value == "'false'");
        Assert.Single(Infra, s => s.Name == "Askel__PublicBaseUrl" && s.Value == "publicBaseUrl");
        Assert.Contains("var publicBaseUrl = empty(publicHostName) ? 'https://${app.properties.defaultHostName}/' : 'https://${publicHostName}/'", FunctionApp, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHostRecordsNoRequestUrl_SoTelemetryHoldsNoFormToken()
    {
        // A form link's token is in its path (/f/{token}): with the extended HTTP collection on, the Functions host
        // records every request's URL in Application Insights, and anyone reading telemetry could open the form.
        using var host = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repository.Path("host.json")));
        var insights = host.RootElement.GetProperty("logging").GetProperty("applicationInsights");

        Assert.False(insights.GetProperty("httpAutoCollectionOptions").GetProperty("enableHttpTriggerExtendedInfoCollection").GetBoolean());
    }

    [Fact]
    public void BadInput_ASecretWrittenAsALiteralOrPassedAsAParameter_IsFlagged()
    {
        var bicep = """
            var settings = {
              Askel__SendGrid__ApiKey: 'SG.abc123'
              Askel__Twilio__AuthToken: twilioAuthToken
              'Askel__SmsGateway__WebhookSecret': '@Microsoft.KeyVault(SecretUri=https://vault/secrets/x)'
              Askel__LinkSecret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=link-secret)'
              Askel__SendGrid__From: 'askel@example.fi'
            }
            """;

        var problems = InfraCheck.SecretProblems(InfraCheck.Settings(bicep, "test.bicep"));

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Askel__SendGrid__ApiKey (test.bicep:2) names a secret", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Askel__Twilio__AuthToken (test.bicep:3)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Askel__SmsGateway__WebhookSecret (test.bicep:4)", StringComparison.Ordinal));
    }

    [Fact]
    public void BadInput_ASettingTheAppReadsButAzureLacks_OrASettingNobodyReads_IsFlagged()
    {
        var bicep = """
              Askel__PublicBaseUrl: publicBaseUrl
              Askel__Publicbaseurl: 'typo'
            """;
        var read = new HashSet<string>(["Askel__PublicBaseUrl", "Askel__Messaging__Email", "Askel__Port", "FUNCTIONS_WORKER_RUNTIME"]);

        var problems = InfraCheck.CoverageProblems(read, InfraCheck.Settings(bicep, "test.bicep"), isolatedRuntime: false);

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("The app reads Askel__Messaging__Email, but infra/ does not set it", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("The app reads FUNCTIONS_WORKER_RUNTIME", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Askel__Publicbaseurl (test.bicep:2) is set by infra/ but the app never reads it", StringComparison.Ordinal));
    }

    [Fact]
    public void TheIdentityBasedSettingsTheInfrastructureGives_AreOnesTheAppUnderstands()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            Infra.Where(s => s.Name.StartsWith("AzureWebJobsStorage__", StringComparison.Ordinal))
                .Select(s => KeyValuePair.Create(s.Name.Replace("__", ":", StringComparison.Ordinal), (string?)(s.Name.EndsWith("clientId", StringComparison.Ordinal) ? "0b8e7d6c-5a4f-4e3d-9c2b-1a0f9e8d7c6b" : s.Name.EndsWith("accountName", StringComparison.Ordinal) ? "staskelabc" : "managedidentity"))))
            .Build();

        var account = Askel.App.Hosting.StorageSettings.Read(configuration);

        Assert.True(account.IsIdentityBased);
        Assert.Equal(new Uri("https://staskelabc.table.core.windows.net/"), account.TableEndpoint);
        Assert.Equal(new Uri("https://staskelabc.queue.core.windows.net/"), account.QueueEndpoint);
    }
}
