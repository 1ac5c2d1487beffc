using Askel.App.CustomHandler;
using Askel.App.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Askel.App.Tests.CustomHandler;

public sealed class FunctionManifestTests
{
    [Fact]
    public void Load_AppOutput_ReadsHostJsonAndEveryFunctionFolder()
    {
        var manifest = FunctionManifest.Load(AppContext.BaseDirectory);

        Assert.Equal("", manifest.Host.RoutePrefix);
        Assert.Equal(5, manifest.Host.Queues.MaxDequeueCount);
        var health = Assert.Single(manifest.Functions, f => f.Name == "health");
        var trigger = Assert.IsType<HttpTrigger>(health.Trigger);
        Assert.Equal("api/health", trigger.Route);
        Assert.Equal(["GET"], trigger.Methods);
    }

    [Fact]
    public void Load_TimerAndQueueFunctions_ReadsTheirSettings()
    {
        using var folder = new FunctionAppFolder(withAppFunctions: false)
            .With("tick", FunctionAppFolder.Timer("0 */5 * * * *", runOnStartup: true))
            .With("work", FunctionAppFolder.Queue("askel-work"));

        var manifest = FunctionManifest.Load(folder.Root);

        Assert.Equal(new TimerTrigger("timer", "0 */5 * * * *", RunOnStartup: true), manifest.Functions.Single(f => f.Name == "tick").Trigger);
        Assert.Equal(new QueueTrigger("message", "askel-work", "AzureWebJobsStorage"), manifest.Functions.Single(f => f.Name == "work").Trigger);
    }

    [Theory]
    [InlineData("{ broken", "not valid JSON")]
    [InlineData("""{ "bindings": [] }""", "exactly one trigger")]
    [InlineData("""{ "bindings": [ { "type": "timerTrigger", "name": "t" } ] }""", "needs a \"schedule\"")]
    [InlineData("""{ "bindings": [ { "type": "queueTrigger", "name": "m" } ] }""", "needs a \"queueName\"")]
    [InlineData("""{ "bindings": [ { "type": "blobTrigger", "name": "b" } ] }""", "is not one Askel runs")]
    public void Load_BadFunctionJson_ThrowsNamingTheFile(string json, string expected)
    {
        using var folder = new FunctionAppFolder(withAppFunctions: false).With("bad", json);

        var error = Assert.Throws<FunctionManifestException>(() => FunctionManifest.Load(folder.Root));

        Assert.Contains(Path.Combine(folder.Root, "bad", "function.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFunctionsHaveHandlers_FunctionWithoutHandler_ThrowsNamingIt()
    {
        using var folder = new FunctionAppFolder(withAppFunctions: false).With("orphan", FunctionAppFolder.Queue("orphans"));
        using var services = new ServiceCollection().AddSingleton(FunctionManifest.Load(folder.Root)).BuildServiceProvider();

        var error = Assert.Throws<FunctionManifestException>(() => AskelHostingExtensions.CheckFunctionsHaveHandlers(services));

        Assert.Contains("'orphan'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFunctionsHaveHandlers_HandlerWithoutFunctionJson_ThrowsNamingIt()
    {
        using var folder = new FunctionAppFolder(withAppFunctions: false);
        using var services = new ServiceCollection()
            .AddSingleton(FunctionManifest.Load(folder.Root))
            .AddSingleton<IFunctionHandler>(new RecordingHandler("ghost"))
            .BuildServiceProvider();

        var error = Assert.Throws<FunctionManifestException>(() => AskelHostingExtensions.CheckFunctionsHaveHandlers(services));

        Assert.Contains("Triggers/ghost/function.json", error.Message, StringComparison.Ordinal);
    }
}
