using System.Globalization;
using System.Net;
using Askel.App.Workflows;
using Askel.Runtime.Storage;
using Askel.Testing;

namespace Askel.App.Tests.Workflows;

/// <summary>Guarantee 5: two worker processes on one storage account share the work, coordinated by storage alone.</summary>
public sealed class ScaleOutTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Instances = 400;

    [Fact]
    public async Task TwoProcesses_ShareTheWorkQueue_EveryEventAppliedOnce()
    {
        var account = await Azurite.AccountAsync();
        var prefix = Azurite.UniqueName("w");
        var data = Directory.CreateTempSubdirectory("askel-scale-").FullName;
        var app = Path.Combine(AppContext.BaseDirectory, "askel.dll");
        Dictionary<string, string> Settings(int port) => new()
        {
            ["AzureWebJobsStorage"] = account.ConnectionString,
            ["Askel__Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Askel__Runtime__StoragePrefix"] = prefix,
            ["Askel__Runtime__WorkQueue"] = prefix + "-work",
            ["Askel__DataPath"] = data,
        };
        var ports = AzuritePorts.Free();
        await using var first = AskelProcess.Start(app, data, Settings(ports.Blob));
        await using var second = AskelProcess.Start(app, data, Settings(ports.Queue));
        await Task.WhenAll(first.RunningAsync(), second.RunningAsync());

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports.Blob}") };
        http.As("Aino Admin", "admin");
        await Parallel.ForEachAsync(Enumerable.Range(0, Instances), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var started = await http.PostAsync(new Uri($"/api/workflows/form-chase-example/instances?instanceId=p-{i}", UriKind.Relative), null, ct);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        });

        static bool Applied(string line) => line.Contains("workflow-work: form:example-feedback for p-", StringComparison.Ordinal) && line.EndsWith(": Applied", StringComparison.Ordinal);
        var firstApplied = first.Output.Count(Applied);
        // Done when the two processes together have applied every event (their own output says so).
        var everyEvent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = 0;
        void Count(string line)
        {
            if (Applied(line) && Interlocked.Increment(ref seen) == Instances)
            {
                everyEvent.TrySetResult();
            }
        }

        first.LineReceived += Count;
        second.LineReceived += Count;
        var queue = account.CreateQueueClient(prefix + "-work");
        foreach (var i in Enumerable.Range(0, Instances))
        {
            await queue.SendMessageAsync(new EventWork($"p-{i}", "form:example-feedback", null, $"answer-{i}").ToJson());
        }

        try
        {
            await everyEvent.Task.WaitAsync(TimeSpan.FromMinutes(2));
        }
        finally
        {
            output.WriteLine($"applied {seen} of {Instances}");
            foreach (var line in first.Output.TakeLast(15).Concat(second.Output.TakeLast(15)))
            {
                output.WriteLine(line);
            }
        }


        var byFirst = first.Output.Where(Applied).ToArray();
        var bySecond = second.Output.Where(Applied).ToArray();
        Assert.Equal(0, firstApplied);
        Assert.NotEmpty(byFirst);
        Assert.NotEmpty(bySecond);
        var instances = byFirst.Concat(bySecond).Select(line => line.Split(" for ")[1].Split(':')[0]).ToArray();
        Assert.Equal(Instances, instances.Distinct().Count());
        Assert.Equal(Instances, instances.Length);
    }
}
