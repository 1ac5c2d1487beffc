using System.Text.Json;
using Askel.Runtime.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Askel.App.Operations;

/// <summary><c>GET /api/health</c>: is every dependency reachable, and how long did each take to answer.</summary>
public sealed class HealthFunction(HealthCheckService health)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Runs every registered check.</summary>
    [Function("health")]
    public async Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = await health.CheckHealthAsync(cancellationToken);
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
        return Results.Text(JsonSerializer.Serialize(body, Json), "application/json; charset=utf-8",
            statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}

/// <summary>Composition of the health checks.</summary>
public static class HealthSetup
{
    /// <summary>Registers the checks: storage now; each provider registers its own.</summary>
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", timeout: TimeSpan.FromSeconds(5));
        return builder;
    }
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
