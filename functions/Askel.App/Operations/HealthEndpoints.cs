using System.Text.Json;
using Askel.Runtime.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Askel.App.Operations;

/// <summary><c>GET /api/health</c>: is every dependency reachable, and how long did each take to answer.</summary>
public static class HealthEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Registers the checks: storage now; each provider registers its own.</summary>
    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", timeout: TimeSpan.FromSeconds(5));
        return builder;
    }

    /// <summary>Maps the health route (declared in Triggers/health/function.json).</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/api/health", new HealthCheckOptions { ResponseWriter = WriteAsync })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new
                {
                    status = entry.Value.Status.ToString().ToLowerInvariant(),
                    description = entry.Value.Description,
                    durationMs = Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
                }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }

    /// <summary>Storage is reachable when the table service answers a one-row query.</summary>
    internal sealed class StorageHealthCheck(StorageAccount storage) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await foreach (var _ in storage.CreateTableServiceClient().QueryAsync(maxPerPage: 1, cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
                {
                    break;
                }

                return HealthCheckResult.Healthy(storage.IsLocalEmulator ? "Azurite answered" : "Storage account answered");
            }
            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or AggregateException)
            {
                return HealthCheckResult.Unhealthy($"Storage did not answer: {e.GetType().Name}");
            }
        }
    }
}
