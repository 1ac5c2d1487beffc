using Askel.App.CustomHandler;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Hosting;

/// <summary>
/// The Functions host only proxies routes a function.json declares: every HTTP endpoint of the app needs one
/// (a catch-all route like <c>f/{*path}</c> covers the pages under it), and every declared route is served.
/// </summary>
public sealed class FunctionRoutesTests(ITestOutputHelper output)
{
    [Fact]
    public async Task HttpEndpoints_AreCoveredByHttpTriggersInFunctionJson()
    {
        await using var app = await AskelAppFactory.CreateAsync(output);
        _ = app.CreateClient();
        var manifest = FunctionManifest.Load(AppContext.BaseDirectory);
        var declared = manifest.Functions
            .Select(f => f.Trigger).OfType<HttpTrigger>()
            .SelectMany(t => t.Methods.Select(method => (Method: method.ToUpperInvariant(), Route: $"{manifest.Host.RoutePrefix}/{t.Route}".Trim('/'))))
            .ToArray();
        var invocations = manifest.Functions.Where(f => f.Trigger is not HttpTrigger).Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"], Route: e.RoutePattern.RawText!.Trim('/')))
            .Where(e => !invocations.Contains(e.Route)) // the host calls non-HTTP functions on POST /{name}
            .SelectMany(e => e.Methods.Select(method => (Method: method, e.Route)))
            .ToArray();

        Assert.NotEmpty(declared);
        foreach (var (method, route) in mapped)
        {
            Assert.True(declared.Any(d => d.Method == method && Covers(d.Route, route)), $"{method} {route} has no function.json that routes it");
        }

        foreach (var (method, route) in declared)
        {
            Assert.True(mapped.Any(m => m.Method == method && Covers(route, m.Route)), $"function.json declares {method} {route}, but the app serves nothing there");
        }
    }

    private static bool Covers(string declared, string mapped) =>
        declared == mapped || (declared.EndsWith("/{*path}", StringComparison.Ordinal) && (mapped + "/").StartsWith(declared[..^"{*path}".Length], StringComparison.Ordinal));
}
