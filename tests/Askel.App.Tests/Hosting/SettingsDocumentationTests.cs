using System.Text.Json;
using Askel.Testing;

namespace Askel.App.Tests.Hosting;

/// <summary>Every setting is in local.settings.sample.json with a local default, and the README explains it.</summary>
public sealed class SettingsDocumentationTests
{
    [Fact]
    public void SampleSettings_EveryValueIsDocumentedInTheReadme()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Repository.Path("local.settings.sample.json")));
        var readme = File.ReadAllText(Repository.Path("README.md"));
        var names = sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToArray();

        Assert.Contains("AzureWebJobsStorage", names);
        Assert.Contains("FUNCTIONS_WORKER_RUNTIME", names);
        Assert.All(names, name => Assert.Contains($"`{name}`", readme, StringComparison.Ordinal));
    }

    [Fact]
    public void SampleSettings_RunLocallyWithoutAnyAccount()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Repository.Path("local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values");

        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("AzureWebJobsStorage").GetString());
    }
}
