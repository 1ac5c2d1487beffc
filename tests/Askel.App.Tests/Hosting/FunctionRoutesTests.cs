using Askel.App.CustomHandler;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Hosting;

/// <summary>The Functions host only proxies routes a function.json declares: every API route needs one, and vice versa.</summary>
public sealed class FunctionRoutesTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ApiEndpoints_MatchHttpTriggersInFunctionJson()
    {
        await using var app = await AskelAppFactory.CreateAsync(output);
        _ = app.CreateClient();
        var manifest = FunctionManifest.Load(AppContext.BaseDirectory);
        var declared = manifest.Functions
            .Select(f => f.Trigger).OfType<HttpTrigger>()
            .SelectMany(t => t.Methods.Select(method => $"{method} {manifest.Host.RoutePrefix}/{t.Route}"))
            .Order().ToArray();

        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith(manifest.Host.RoutePrefix + "/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(method => $"{method} {e.RoutePattern.RawText!.TrimStart('/')}"))
            .Order().ToArray();

        Assert.NotEmpty(declared);
        Assert.Equal(declared, mapped);
    }
}
