using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Askel.App.Security;
using Askel.Runtime.Engine;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Askel.App.Workflows;

/// <summary>
/// The instance-management HTTP API, modelled on Durable Functions': start, status with history,
/// query, raise event, terminate, purge. Admins and coordinators only.
/// </summary>
public static partial class InstanceManagementEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>Maps the routes under <c>/api</c> (each declared in a Triggers/instances-*/function.json).</summary>
    public static IEndpointRouteBuilder MapInstanceManagement(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(AskelRoles.ManageInstances);
        api.MapPost("/workflows/{workflow}/instances", StartAsync);
        api.MapGet("/instances/{instanceId}", StatusAsync);
        api.MapGet("/instances", QueryAsync);
        api.MapPost("/instances/{instanceId}/events/{eventName}", RaiseEventAsync);
        api.MapPost("/instances/{instanceId}/terminate", TerminateAsync);
        api.MapDelete("/instances/{instanceId}", PurgeAsync);
        return app;
    }

    /// <summary>The links Durable Functions' clients expect after a start.</summary>
    public sealed record InstanceLinks(string Id, string StatusQueryGetUri, string SendEventPostUri, string TerminatePostUri, string PurgeHistoryDeleteUri);

    /// <summary>A problem, in words.</summary>
    public sealed record Problem(string Error);

    /// <summary>A purged instance.</summary>
    public sealed record Purged(string InstanceId);

    private static async Task<Results<Accepted<InstanceLinks>, NotFound<Problem>, Conflict<Problem>, BadRequest<Problem>>> StartAsync(
        string workflow, string? instanceId, HttpRequest request, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        var (input, error) = await ReadJsonAsync(request, cancellationToken);
        if (error is not null || (input is not null and not JsonObject))
        {
            return TypedResults.BadRequest(new Problem(error ?? "The body must be a JSON object (the instance's input)."));
        }

        var outcome = await engine.StartAsync(workflow, instanceId, (JsonObject?)input ?? [], cancellationToken);
        return outcome.Status switch
        {
            ApplyStatus.Applied => Accepted(request, outcome.State!.Id),
            ApplyStatus.Conflict => TypedResults.Conflict(new Problem(outcome.Reason!)),
            ApplyStatus.NotFound => TypedResults.NotFound(new Problem(outcome.Reason!)),
            _ => TypedResults.BadRequest(new Problem(outcome.Reason ?? "The instance could not be started.")),
        };
    }

    private static async Task<Results<Ok<InstanceStatusView>, NotFound<Problem>>> StatusAsync(
        string instanceId, bool? showHistory, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        if (!WorkflowEngine.IsValidInstanceId(instanceId) || await engine.Store.LoadAsync(instanceId, cancellationToken) is not { } loaded)
        {
            return TypedResults.NotFound(new Problem($"There is no instance {instanceId}."));
        }

        var pending = await engine.Store.PendingEffectsAsync(instanceId, cancellationToken);
        var history = showHistory == true ? await engine.Store.HistoryAsync(instanceId, cancellationToken) : null;
        return TypedResults.Ok(InstanceStatusView.From(loaded.State, pending, history));
    }

    private static async Task<Results<Ok<InstanceStatusView[]>, BadRequest<Problem>>> QueryAsync(
        string? status, string? workflow, DateTimeOffset? createdFrom, DateTimeOffset? createdTo, int? top, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        InstanceStatus? parsed = null;
        if (status is not null)
        {
            if (!Enum.TryParse<InstanceStatus>(status, ignoreCase: true, out var s))
            {
                return TypedResults.BadRequest(new Problem($"status must be one of {string.Join(", ", Enum.GetNames<InstanceStatus>())}."));
            }

            parsed = s;
        }

        var found = await engine.Store.QueryAsync(parsed, workflow, createdFrom, createdTo, Math.Clamp(top ?? 100, 1, 1000), cancellationToken);
        return TypedResults.Ok(found.Select(state => InstanceStatusView.From(state, null, null)).ToArray());
    }

    private static async Task<Results<Accepted, NotFound<Problem>, BadRequest<Problem>>> RaiseEventAsync(
        string instanceId, string eventName, string? eventId, HttpRequest request, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        if (!EventName().IsMatch(eventName))
        {
            return TypedResults.BadRequest(new Problem("An event name is 1–100 lower-case letters, digits, '-' or ':'."));
        }

        var (payload, error) = await ReadJsonAsync(request, cancellationToken);
        if (error is not null)
        {
            return TypedResults.BadRequest(new Problem(error));
        }

        var outcome = await engine.RaiseEventAsync(instanceId, eventName, payload, eventId, cancellationToken);
        return outcome.Status switch
        {
            ApplyStatus.NotFound => TypedResults.NotFound(new Problem($"There is no instance {instanceId}.")),
            ApplyStatus.Rejected => TypedResults.BadRequest(new Problem(outcome.Reason!)),
            _ => TypedResults.Accepted((string?)null),
        };
    }

    private static async Task<Results<Accepted, NotFound<Problem>, BadRequest<Problem>>> TerminateAsync(
        string instanceId, string? reason, WorkflowEngine engine, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500)
        {
            return TypedResults.BadRequest(new Problem("Give a reason (at most 500 characters): ?reason=…"));
        }

        var outcome = await engine.TerminateAsync(instanceId, reason, cancellationToken);
        return outcome.Status == ApplyStatus.NotFound
            ? TypedResults.NotFound(new Problem($"There is no instance {instanceId}."))
            : TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Ok<Purged>, NotFound<Problem>>> PurgeAsync(string instanceId, WorkflowEngine engine, CancellationToken cancellationToken) =>
        WorkflowEngine.IsValidInstanceId(instanceId) && await engine.Store.PurgeAsync(instanceId, cancellationToken)
            ? TypedResults.Ok(new Purged(instanceId))
            : TypedResults.NotFound(new Problem($"There is no instance {instanceId}."));

    private static Accepted<InstanceLinks> Accepted(HttpRequest request, string id)
    {
        var root = $"{request.Scheme}://{request.Host}/api/instances/{id}";
        return TypedResults.Accepted(root, new InstanceLinks(id, root, root + "/events/{eventName}", root + "/terminate?reason={text}", root));
    }

    private static async Task<(JsonNode? Json, string? Error)> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, $"The body is over {MaxBodyBytes / 1024} KiB.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxBodyBytes)
        {
            return (null, $"The body is over {MaxBodyBytes / 1024} KiB.");
        }

        if (buffer.Length == 0)
        {
            return (null, null);
        }

        try
        {
            return (JsonNode.Parse(buffer.ToArray()), null);
        }
        catch (JsonException e)
        {
            return (null, $"The body is not valid JSON: {e.Message}");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9:-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex EventName();
}

/// <summary>An instance as the API shows it: where it is, and why it is waiting.</summary>
public sealed record InstanceStatusView(
    string InstanceId, string Workflow, string Version, string Status, string? Step, string? Awaiting,
    DurableTimer? NextTimer, IReadOnlyList<DurableTimer> Timers, IReadOnlyList<string>? PendingEffects,
    string? Outcome, string? Error, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, JsonObject Data, IReadOnlyList<HistoryEntry>? History)
{
    /// <summary>Builds the view.</summary>
    public static InstanceStatusView From(InstanceState state, IReadOnlyList<Askel.Runtime.Store.DueEffect>? pending, IReadOnlyList<HistoryEntry>? history) =>
        new(state.Id, state.Workflow, state.Version, state.Status.ToString(), state.Step, state.Awaiting, state.NextTimer, state.Timers,
            pending?.Select(p => p.Effect.Id).ToArray(), state.Outcome, state.Error, state.CreatedAt, state.UpdatedAt, state.Data, history);
}
