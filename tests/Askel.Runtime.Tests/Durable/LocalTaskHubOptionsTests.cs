using System.Globalization;
using Askel.Runtime.Durable.Local;
using Askel.Testing;

namespace Askel.Runtime.Tests.Durable;

/// <summary>The local worker's defaults against what host.json gives the Durable extension in Azure.</summary>
public sealed class LocalTaskHubOptionsTests
{
    /// <summary>
    /// A shorter local visibility timeout let messages waiting in a loaded worker's memory run out and be fetched again;
    /// the backend then failed the work items deleting the first copies and backed off, and the hub stalled for good
    /// (NoLostSignalsTests and SimulationMatchesTaskHubTests on CI, with 30 s).
    /// </summary>
    [Fact]
    public void AFetchedMessageStaysHidden_AsLongAsInAzure()
    {
        using var host = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repository.Path("host.json")));
        var storage = host.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("storageProvider");

        var local = new LocalTaskHubOptions().VisibilityTimeout;

        Assert.Equal(TimeSpan.Parse(storage.GetProperty("controlQueueVisibilityTimeout").GetString()!, CultureInfo.InvariantCulture), local);
        Assert.Equal(TimeSpan.Parse(storage.GetProperty("workItemQueueVisibilityTimeout").GetString()!, CultureInfo.InvariantCulture), local);
    }
}
