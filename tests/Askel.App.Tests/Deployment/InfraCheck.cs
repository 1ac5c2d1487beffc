using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Askel.Testing;

namespace Askel.App.Tests.Deployment;

/// <summary>An app setting the infrastructure sets: its name, the Bicep expression of its value, and where.</summary>
public sealed record InfraSetting(string Name, string Value, string File, int Line)
{
    public override string ToString() => $"{Name} ({File}:{Line})";
}

/// <summary>
/// Compares the settings Askel reads with the app settings the Bicep gives the function app: every setting the app reads
/// is provided (or deliberately left to its default in Azure, with the reason), every setting the Bicep sets is one the
/// app reads, and every setting whose name says it is a secret is a Key Vault reference — never a literal or a parameter.
/// </summary>
public static partial class InfraCheck
{
    /// <summary>Settings the app reads that Azure deliberately leaves at their defaults, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> LeftToDefaults = new Dictionary<string, string>
    {
        ["Askel__Port"] = "only the local host listens on it; under the Functions host the worker's port is the host's choice",
        ["Askel__FunctionAppRoot"] = "only the local host reads functions.metadata; in Azure the Functions host does",
        ["Askel__SendGrid__BaseUrl"] = "only for tests or a proxy; Askel__SendGrid__EuDataResidency picks SendGrid's EU host",
        ["Askel__Twilio__BaseUrl"] = "only for tests; the default is Twilio's API",
        ["Askel__Graph__BaseUrl"] = "only for tests or a national cloud; the default is Microsoft Graph",
        ["Askel__Durable__VisibilityTimeout"] = "the local host\'s worker only (in Azure host.json tunes the Durable extension): how soon work a dead worker held is taken over; a tuning knob with a safe default",
        ["Askel__Durable__MaxPollingInterval"] = "the local host\'s worker only (in Azure host.json tunes the Durable extension): how often an idle worker polls its queues; a tuning knob with a safe default",
        ["Askel__Durable__MaximumTimerInterval"] = "the local host\'s worker only (in Azure host.json tunes the Durable extension): the longest single durable timer; the SDK's default of 3 days suits Azure Storage",
        ["Askel__Durable__LeaseInterval"] = "the local host\'s worker only (in Azure host.json tunes the Durable extension): how long a partition lease lasts; the backend's default",
        ["Askel__Durable__LeaseRenewInterval"] = "the local host\'s worker only (in Azure host.json tunes the Durable extension): how often partition leases are renewed; the backend's default",
        ["Askel__Durable__LeaseAcquireInterval"] = "the local host\'s worker only (in Azure host.json tunes the Durable extension): how often a worker looks for partitions to take; the backend's default",
    };

    /// <summary>Words that make a setting name a secret's (compared without underscores, ignoring case).</summary>
    public static readonly IReadOnlyList<string> SecretWords = ["secret", "key", "token", "password", "connectionstring"];

    [GeneratedRegex(@"^\s*'?(?<name>(?:Askel__|AzureWebJobsStorage|APPLICATIONINSIGHTS_|MICROSOFT_PROVIDER_|FUNCTIONS_|WEBSITE_)[A-Za-z0-9_]*)'?\s*:\s*(?<value>\S.*?)\s*$")]
    private static partial Regex SettingLine();

    [GeneratedRegex(@"^'@Microsoft\.KeyVault\(VaultName=\$\{[A-Za-z0-9_.]+\};SecretName=(?<secret>[a-z0-9-]+)\)'$")]
    private static partial Regex KeyVaultReference();

    [GeneratedRegex(@"Askel__[A-Za-z]+(?:__[A-Za-z]+)*(?![_{A-Za-z])")]
    private static partial Regex SettingNameInCode();

    /// <summary>Every app setting line in a Bicep text.</summary>
    public static IReadOnlyList<InfraSetting> Settings(string bicep, string file) =>
        [.. bicep.Split('\n').Select((line, i) => (Match: SettingLine().Match(line.TrimEnd('\r')), Line: i + 1))
            .Where(m => m.Match.Success)
            .Select(m => new InfraSetting(m.Match.Groups["name"].Value, m.Match.Groups["value"].Value, file, m.Line))];

    /// <summary>Every app setting the repository's infrastructure sets.</summary>
    public static IReadOnlyList<InfraSetting> RepositorySettings() =>
        [.. Directory.GetFiles(Repository.Path("infra"), "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(path => Settings(File.ReadAllText(path), Path.GetRelativePath(Repository.Root, path)))];

    /// <summary>
    /// Every setting Askel reads: the sample settings, the properties of every options class bound to an <c>Askel</c>
    /// section, every <c>Askel__…</c> name the code or a function.json mentions.
    /// </summary>
    public static IReadOnlySet<string> SettingsTheAppReads()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using (var sample = JsonDocument.Parse(File.ReadAllText(Repository.Path("local.settings.sample.json"))))
        {
            names.UnionWith(sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name));
        }

        foreach (var type in new[] { typeof(Program).Assembly, typeof(Askel.Runtime.Engine.EngineOptions).Assembly }.SelectMany(a => a.GetTypes()))
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field &&
                field.GetRawConstantValue() is string section && section.StartsWith("Askel", StringComparison.Ordinal))
            {
                var prefix = section.Replace(":", "__", StringComparison.Ordinal);
                names.UnionWith(type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.SetMethod is { IsPublic: true })
                    .Select(p => $"{prefix}__{p.Name}"));
            }
        }

        foreach (var path in Directory.GetFiles(Repository.Path("functions"), "*.*", SearchOption.AllDirectories)
                     .Where(p => (p.EndsWith(".cs", StringComparison.Ordinal) || p.EndsWith("function.json", StringComparison.Ordinal))
                                 && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            names.UnionWith(SettingNameInCode().Matches(File.ReadAllText(path)).Select(m => m.Value));
        }

        return names;
    }

    /// <summary>Whether a setting's name says it holds a secret.</summary>
    public static bool NamesASecret(string name)
    {
        var plain = name.Replace("_", "", StringComparison.Ordinal);
        return SecretWords.Any(word => plain.Contains(word, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The Key Vault secret a value refers to, or null when it is not exactly a Key Vault reference.</summary>
    public static string? KeyVaultSecret(string value) =>
        KeyVaultReference().Match(value) is { Success: true } match ? match.Groups["secret"].Value : null;

    /// <summary>Problems with secrets: a setting that names a secret but is not a Key Vault reference.</summary>
    public static IReadOnlyList<string> SecretProblems(IEnumerable<InfraSetting> settings) =>
        [.. settings.Where(s => NamesASecret(s.Name) && KeyVaultSecret(s.Value) is null)
            .Select(s => $"{s} names a secret but its value is {s.Value}: it must be '@Microsoft.KeyVault(VaultName=${{keyVaultName}};SecretName=<name>)'.")];

    /// <summary>Problems of coverage: settings the app reads that Azure lacks, and settings Azure sets that the app never reads.</summary>
    public static IReadOnlyList<string> CoverageProblems(IReadOnlySet<string> read, IEnumerable<InfraSetting> settings, bool isolatedRuntime)
    {
        var provided = settings.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var name in read.Order(StringComparer.Ordinal))
        {
            var ok = name switch
            {
                // Identity-based: the host and Askel read the account name and the managed identity, no connection string.
                "AzureWebJobsStorage" => provided.Contains("AzureWebJobsStorage__accountName") && provided.Contains("AzureWebJobsStorage__credential"),
                // Flex Consumption takes the runtime from functionAppConfig.runtime, not from an app setting.
                "FUNCTIONS_WORKER_RUNTIME" => isolatedRuntime,
                _ => provided.Contains(name) || LeftToDefaults.ContainsKey(name),
            };
            if (!ok)
            {
                problems.Add($"The app reads {name}, but infra/ does not set it: add it to the app settings in infra/modules/functionapp.bicep (or, if Azure should keep its default, to InfraCheck.LeftToDefaults with the reason).");
            }
        }

        foreach (var setting in settings.Where(s => s.Name.StartsWith("Askel__", StringComparison.Ordinal) && !read.Contains(s.Name)))
        {
            problems.Add($"{setting} is set by infra/ but the app never reads it (a typo?).");
        }

        return problems;
    }
}
