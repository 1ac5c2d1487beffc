using System.Text.Json;
using System.Text.RegularExpressions;
using Askel.Testing;

namespace Askel.App.Tests.Deployment;

/// <summary>
/// infra/main.bicep's parameters: each documented, each mapped in main.parameters.json the way azd needs it, the
/// required ones failing the deployment with a message that names them, and no output carrying a secret.
/// </summary>
public sealed partial class InfraParametersTests
{
    private static readonly string Main = File.ReadAllText(Repository.Path("infra", "main.bicep"));

    private sealed record Parameter(string Name, string Type, string? Default, bool Secure, string? Description);

    [GeneratedRegex(@"^param (?<name>\w+) (?<type>\w+)(?: = (?<default>.+))?$")]
    private static partial Regex ParamLine();

    [GeneratedRegex(@"^@description\('(?<text>(?:[^'\\]|\\.)*)'\)$")]
    private static partial Regex DescriptionLine();

    [GeneratedRegex("secret|token|password|apikey|publickey|connectionstring", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"^output (?<name>\w+) \w+ = (?<value>.+)$", RegexOptions.Multiline)]
    private static partial Regex OutputLine();

    private static IReadOnlyList<Parameter> Parameters()
    {
        var lines = Main.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var result = new List<Parameter>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (ParamLine().Match(lines[i]) is not { Success: true } match)
            {
                continue;
            }

            // The decorators directly above the parameter (multi-line ones like @allowed([...]) included).
            var start = i;
            while (start > 0 && lines[start - 1].Length > 0 && !lines[start - 1].StartsWith("//", StringComparison.Ordinal) && !lines[start - 1].StartsWith("param ", StringComparison.Ordinal))
            {
                start--;
            }

            var decorators = lines[start..i];
            var description = decorators.Select(d => DescriptionLine().Match(d)).FirstOrDefault(m => m.Success)?.Groups["text"].Value;
            result.Add(new Parameter(match.Groups["name"].Value, match.Groups["type"].Value,
                match.Groups["default"].Success ? match.Groups["default"].Value : null, decorators.Contains("@secure()"), description));
        }

        return result;
    }

    [Fact]
    public void EveryParameterHasADescription()
    {
        var parameters = Parameters();

        Assert.True(parameters.Count > 20);
        Assert.All(parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Description), $"param {p.Name} has no @description"));
    }

    [Fact]
    public void EveryParameterIsMappedInTheParametersFile_WithTheTemplatesDefaultWhereAzdWouldOtherwisePassAnEmptyString()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Repository.Path("infra", "main.parameters.json")));
        var mapped = file.RootElement.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("value").GetString()!);
        var parameters = Parameters();

        Assert.Equal(parameters.Select(p => p.Name).Order(StringComparer.Ordinal), mapped.Keys.Order(StringComparer.Ordinal));
        Assert.All(parameters, p => Assert.Matches(@"^\$\{[A-Z][A-Z0-9_]*(=[^}]*)?\}$", mapped[p.Name]));
        // azd passes an unset string variable as "" (overriding a non-empty default), so such a mapping repeats the default.
        Assert.All(parameters.Where(p => p.Type == "string" && p.Default is { } d && d != "''"), p =>
            Assert.EndsWith($"={p.Default!.Trim('\'')}}}", mapped[p.Name], StringComparison.Ordinal));
        Assert.Equal("${AZURE_ENV_NAME}", mapped["environmentName"]);
    }

    [Fact]
    public void AMissingRequiredParameter_FailsTheDeploymentWithAMessageThatNamesIt()
    {
        var parameters = Parameters();
        var required = parameters.Where(p => p.Default is null).Select(p => p.Name).ToList();
        var requiredWhen = parameters.Where(p => p.Description!.Contains("Required when", StringComparison.Ordinal)).Select(p => p.Name).ToList();

        // Without a default ARM itself refuses the deployment naming the parameter ("The value for the template parameter 'linkSecret' ... is not provided").
        Assert.Equal(["environmentName", "authClientId", "linkSecret", "emailProvider", "smsProvider"], required);
        Assert.All(required, name => Assert.Contains("Required.", parameters.Single(p => p.Name == name).Description!, StringComparison.Ordinal));
        // Required only with a provider: the template fails with fail('Parameter <name> (azd: <VARIABLE>) is required when ...').
        Assert.True(requiredWhen.Count >= 9);
        Assert.All(requiredWhen, name => Assert.Matches($@"fail\('Parameter {name} \(azd: ASKEL_[A-Z_]+\) is required when", Main));
    }

    [Fact]
    public void EverySecretParameterIsSecure_AndNoOutputCarriesOne()
    {
        var parameters = Parameters();
        var secure = parameters.Where(p => p.Secure).Select(p => p.Name).ToHashSet();
        var outputs = OutputLine().Matches(Main).Select(m => (Name: m.Groups["name"].Value, Value: m.Groups["value"].Value)).ToList();

        // (The linter's secure-secrets-in-params rule checks this too; "key" alone would also catch keyVaultPurgeProtection.)
        Assert.All(parameters.Where(p => SecretName().IsMatch(p.Name)), p => Assert.True(p.Secure, $"param {p.Name} names a secret but is not @secure()"));
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.DoesNotContain(secure, s => Regex.IsMatch(o.Value, $@"\b{s}\b")));
        Assert.All(outputs, o => Assert.False(SecretName().IsMatch(o.Name.Replace("_", "", StringComparison.Ordinal)), $"output {o.Name} names a secret"));
    }

    [Fact]
    public void TheRegionIsAnEuRegion_ByDefaultAndByChoice()
    {
        var allowed = Regex.Match(Main, @"@allowed\(\[(?<regions>[^\]]*)\]\)\s*@metadata\(\{\s*azd: \{\s*type: 'location'", RegexOptions.Singleline).Groups["regions"].Value;
        var regions = Regex.Matches(allowed, "'([a-z]+)'").Select(m => m.Groups[1].Value).ToList();
        string[] eu = ["swedencentral", "northeurope", "westeurope", "germanywestcentral", "francecentral", "italynorth", "polandcentral", "spaincentral", "austriaeast", "belgiumcentral", "denmarkeast", "finlandcentral"];

        Assert.NotEmpty(regions);
        Assert.All(regions, r => Assert.Contains(r, eu));
        Assert.Equal("'swedencentral'", Parameters().Single(p => p.Name == "location").Default);
    }
}
