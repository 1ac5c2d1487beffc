using System.Text.Json;
using Askel.App.LocalHost;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.LocalHost;

/// <summary>
/// The local host serves exactly what the Functions host would: every function the Worker SDK declared in
/// functions.metadata, on the same route and methods, and a function it could not call stops the start.
/// </summary>
public sealed class LocalFunctionsTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("askel-metadata-").FullName;

    [Fact]
    public async Task EveryFunctionInFunctionsMetadata_IsServedByTheLocalHost()
    {
        await using var app = await AskelAppFactory.CreateAsync(output);
        _ = app.CreateClient();
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")));
        var declared = metadata.RootElement.EnumerateArray().Select(f => (
            Name: f.GetProperty("name").GetString()!,
            Trigger: f.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal)))).ToArray();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<FunctionDeclaration>() is not null)
            .ToDictionary(e => e.Metadata.GetMetadata<FunctionDeclaration>()!.Name);
        var served = app.Services.GetRequiredService<LocalFunctions>();

        Assert.Contains(declared, f => f.Trigger.GetProperty("type").GetString() == "orchestrationTrigger");
        Assert.Contains(declared, f => f.Trigger.GetProperty("type").GetString() == "timerTrigger");
        foreach (var (name, trigger) in declared)
        {
            switch (trigger.GetProperty("type").GetString())
            {
                case "httpTrigger":
                    Assert.True(endpoints.TryGetValue(name, out var endpoint), $"{name} has no endpoint");
                    Assert.Equal(trigger.GetProperty("route").GetString(), endpoint.RoutePattern.RawText);
                    Assert.Equal(
                        trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order(),
                        endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Order());
                    break;
                case "timerTrigger":
                    Assert.Contains(served.Timers, f => f.Name == name);
                    break;
                case "orchestrationTrigger":
                    Assert.Contains(served.Orchestrators, f => f.Name == name);
                    break;
                case "activityTrigger":
                    Assert.Contains(served.Activities, f => f.Name == name);
                    break;
                case var other:
                    Assert.Fail($"{name}: the local host does not serve a {other}");
                    break;
            }
        }

        Assert.Equal(declared.Length, served.Http.Count + served.Timers.Count + served.Orchestrators.Count + served.Activities.Count);
    }

    [Theory]
    [InlineData("httpTrigger", "Askel.App.Workflows.WorkflowFunctions.EffectAsync", "is the HTTP trigger; take HttpRequest")]
    [InlineData("timerTrigger", "Askel.App.Workflows.WorkflowFunctions.EffectAsync", "is the timer trigger; take TimerInfo")]
    [InlineData("httpTrigger", "Askel.App.Workflows.WorkflowFunctions.Missing", "is not one public method")]
    [InlineData("queueTrigger", "Askel.App.Workflows.WorkflowFunctions.EffectAsync", "which the local host does not serve")]
    public void Load_FunctionTheLocalHostCannotCall_FailsNamingFunctionAndWhy(string trigger, string entryPoint, string why)
    {
        var binding = $$"""{ "name": "effect", "direction": "In", "type": "{{trigger}}", "route": "x", "methods": ["get"], "schedule": "0 0 * * * *" }""";
        File.WriteAllText(Path.Combine(_folder, FunctionsMetadata.FileName), $$"""[ { "name": "odd", "entryPoint": "{{entryPoint}}", "bindings": [ {{binding}} ] } ]""");

        var error = Assert.Throws<FunctionsMetadataException>(() => LocalFunctions.Load(_folder, typeof(LocalFunctions).Assembly));

        Assert.Contains("'odd'", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HttpFunctionWithAValueNotInItsRoute_Fails()
    {
        var page = """[ { "name": "page", "entryPoint": "Askel.App.Forms.ParticipantPageFunctions.ShowAsync", "bindings": [ { "name": "request", "direction": "In", "type": "httpTrigger", "route": "ROUTE", "methods": ["get"] } ] } ]""";
        File.WriteAllText(Path.Combine(_folder, FunctionsMetadata.FileName), page.Replace("ROUTE", "f/{token}", StringComparison.Ordinal));
        Assert.Single(LocalFunctions.Load(_folder, typeof(LocalFunctions).Assembly).Http);

        File.WriteAllText(Path.Combine(_folder, FunctionsMetadata.FileName), page.Replace("ROUTE", "f/{link}", StringComparison.Ordinal));
        var error = Assert.Throws<FunctionsMetadataException>(() => LocalFunctions.Load(_folder, typeof(LocalFunctions).Assembly));
        Assert.Contains("parameter 'token'", error.Message, StringComparison.Ordinal);
        Assert.Contains("f/{link}", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
