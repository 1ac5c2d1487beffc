using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Askel.App.Security;
using Askel.Runtime.Client;
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
        string workflow, string? instanceId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var (input, error) = await ReadJsonAsync(request, cancellationToken);
        if (error is not null || (input is not null and not JsonObject))
        {
            return TypedResults.BadRequest(new Problem(error ?? "The body must be a JSON object (the instance's input)."));
        }

        var id = instanceId ?? Guid.NewGuid().ToString("N");
        return await workflows.StartAsync(workflow, id, (JsonObject?)input ?? [], cancellationToken) switch
        {
            StartStatus.Started => Accepted(request, id),
            StartStatus.Exists => TypedResults.Conflict(new Problem($"Instance {id} exists already.")),
            StartStatus.UnknownWorkflow => TypedResults.NotFound(new Problem($"There is no workflow '{workflow}'.")),
            _ => TypedResults.BadRequest(new Problem("An instance id is 1–100 letters, digits, '.', '-' or '_', starting with a letter or digit.")),
        };
    }

    private static async Task<Results<Ok<InstanceStatusView>, NotFound<Problem>>> StatusAsync(
        string instanceId, bool? showHistory, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (await workflows.StatusAsync(instanceId, cancellationToken) is not { } status)
        {
            return TypedResults.NotFound(new Problem($"There is no instance {instanceId}."));
        }

        var history = showHistory == true ? await workflows.HistoryAsync(instanceId, cancellationToken) : null;
        return TypedResults.Ok(InstanceStatusView.From(status, history));
    }

    private static async Task<Results<Ok<InstanceStatusView[]>, BadRequest<Problem>>> QueryAsync(
        string? status, string? workflow, DateTimeOffset? createdFrom, DateTimeOffset? createdTo, int? top, IWorkflowClient workflows, CancellationToken cancellationToken)
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

        var found = await workflows.QueryAsync(new InstanceQuery(parsed, workflow, createdFrom, createdTo, Math.Clamp(top ?? 100, 1, 1000)), cancellationToken);
        return TypedResults.Ok(found.Select(status => InstanceStatusView.From(status, null)).ToArray());
    }

    private static async Task<Results<Accepted, NotFound<Problem>, BadRequest<Problem>>> RaiseEventAsync(
        string instanceId, string eventName, string? eventId, HttpRequest request, IWorkflowClient workflows, CancellationToken cancellationToken)
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

        var outcome = await workflows.RaiseAsync(instanceId, WorkflowEvent.FromWire(eventName, payload, eventId ?? Guid.NewGuid().ToString("N")), cancellationToken);
        return outcome.Status switch
        {
            RaiseStatus.NotFound => TypedResults.NotFound(new Problem($"There is no instance {instanceId}.")),
            RaiseStatus.Rejected => TypedResults.BadRequest(new Problem(outcome.Reason!)),
            _ => TypedResults.Accepted((string?)null),
        };
    }

    private static async Task<Results<Accepted, NotFound<Problem>, BadRequest<Problem>>> TerminateAsync(
        string instanceId, string? reason, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500)
        {
            return TypedResults.BadRequest(new Problem("Give a reason (at most 500 characters): ?reason=…"));
        }

        return await workflows.TerminateAsync(instanceId, reason, cancellationToken)
            ? TypedResults.Accepted((string?)null)
            : TypedResults.NotFound(new Problem($"There is no instance {instanceId}."));
    }

    private static async Task<Results<Ok<Purged>, NotFound<Problem>>> PurgeAsync(string instanceId, IWorkflowClient workflows, CancellationToken cancellationToken) =>
        await workflows.PurgeAsync(instanceId, cancellationToken)
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
    DurableTimer? NextTimer, IReadOnlyList<DurableTimer> Timers,
    string? Outcome, string? Error, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, JsonObject Data, IReadOnlyList<HistoryEntry>? History)
{
    /// <summary>Builds the view.</summary>
    public static InstanceStatusView From(WorkflowStatus status, IReadOnlyList<HistoryEntry>? history)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new(status.InstanceId, status.Workflow, status.Version, status.Status.ToString(), status.Step, status.Waiting?.Name, status.NextTimer, status.Timers,
            status.Outcome, status.Error, status.CreatedAt, status.UpdatedAt, status.Data, history);
    }
}
