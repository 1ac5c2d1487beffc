using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Askel.App.Privacy;
using Askel.Runtime.Client;
using Askel.Runtime.Engine;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Askel.App.Workflows;

/// <summary>
/// The instance-management HTTP API, modelled on Durable Functions': start, status with history, query, raise event,
/// terminate, suspend, resume, purge one, purge finished ones by age. Admins reach every instance; a coordinator only
/// the participants' instances of their own projects (<see cref="InstanceAccess"/>), and every call is audited.
/// </summary>
public static partial class InstanceManagementEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>The links Durable Functions' clients expect after a start.</summary>
    public sealed record InstanceLinks(string Id, string StatusQueryGetUri, string SendEventPostUri, string TerminatePostUri, string PurgeHistoryDeleteUri);

    /// <summary>A problem, in words.</summary>
    public sealed record Problem(string Error);

    /// <summary>A purged instance.</summary>
    public sealed record Purged(string InstanceId);

    /// <summary>What a purge of finished instances did.</summary>
    /// <param name="Purged">How many were purged.</param>
    /// <param name="Kept">Participants' instances that matched and were kept (they go with the participant's data).</param>
    /// <param name="More">True when more may match than one call purges: call again.</param>
    public sealed record PurgedMany(int Purged, int Kept, bool More);

    private static NotFound<Problem> NoInstance(string instanceId) => TypedResults.NotFound(new Problem($"There is no instance {instanceId}."));

    internal static async Task<Results<Accepted<InstanceLinks>, NotFound<Problem>, Conflict<Problem>, BadRequest<Problem>, ForbidHttpResult>> StartAsync(
        string workflow, string? instanceId, HttpRequest request, ClaimsPrincipal user, InstanceAccess access, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        // A participant's instance starts when they are enrolled, in their project's namespace; the API starts others.
        if (!InstanceAccess.IsAdmin(user))
        {
            return TypedResults.Forbid();
        }

        if (instanceId is not null && access.OwnerOf(instanceId).Project is { } project)
        {
            return TypedResults.BadRequest(new Problem($"Instance ids starting '{project.Id}.' belong to the participants of project {project.Id}: choose another id."));
        }

        var (input, error) = await ReadJsonAsync(request, cancellationToken);
        if (error is not null || (input is not null and not JsonObject))
        {
            return TypedResults.BadRequest(new Problem(error ?? "The body must be a JSON object (the instance's input)."));
        }

        var id = instanceId ?? Guid.NewGuid().ToString("N");
        var started = await workflows.StartAsync(workflow, id, (JsonObject?)input ?? [], cancellationToken);
        await access.AuditAsync(user, "api-start", InstanceOwner.None, $"{workflow} {id}: {started}", cancellationToken);
        return started switch
        {
            StartStatus.Started => Accepted(request, id),
            StartStatus.Exists => TypedResults.Conflict(new Problem($"Instance {id} exists already.")),
            StartStatus.UnknownWorkflow => TypedResults.NotFound(new Problem($"There is no workflow '{workflow}'.")),
            _ => TypedResults.BadRequest(new Problem("An instance id is 1–100 letters, digits, '.', '-' or '_', starting with a letter or digit.")),
        };
    }

    internal static async Task<Results<Ok<InstanceStatusView>, NotFound<Problem>>> StatusAsync(
        string instanceId, bool? showHistory, ClaimsPrincipal user, InstanceAccess access, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (access.Find(user, instanceId) is not { } owner || await workflows.StatusAsync(instanceId, cancellationToken) is not { } status)
        {
            return NoInstance(instanceId);
        }

        var history = showHistory == true ? await workflows.HistoryAsync(instanceId, cancellationToken) : null;
        await access.AuditAsync(user, "api-status", owner, showHistory == true ? "with history" : null, cancellationToken);
        return TypedResults.Ok(InstanceStatusView.From(status, history));
    }

    internal static async Task<Results<Ok<InstanceStatusView[]>, BadRequest<Problem>>> QueryAsync(
        string? status, string? workflow, DateTimeOffset? createdFrom, DateTimeOffset? createdTo, int? top,
        ClaimsPrincipal user, InstanceAccess access, IWorkflowClient workflows, CancellationToken cancellationToken)
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

        var query = new InstanceQuery(parsed, workflow, createdFrom, createdTo, Math.Clamp(top ?? 100, 1, 1000));
        List<WorkflowStatus> found;
        if (access.ListableProjects(user) is { } projects)
        {
            // A coordinator's own projects only, each by its participants' id prefix.
            found = [];
            foreach (var project in projects)
            {
                found.AddRange(await workflows.QueryAsync(query with { IdPrefix = project.Id + "." }, cancellationToken));
                await access.AuditAsync(user, "api-query", new InstanceOwner(project, null), null, cancellationToken);
            }
        }
        else
        {
            found = [.. await workflows.QueryAsync(query, cancellationToken)];
            await access.AuditAsync(user, "api-query", InstanceOwner.None, null, cancellationToken);
        }

        return TypedResults.Ok(found.OrderByDescending(f => f.CreatedAt).Take(query.Top).Select(f => InstanceStatusView.From(f, null)).ToArray());
    }

    internal static async Task<Results<Accepted, NotFound<Problem>, BadRequest<Problem>>> RaiseEventAsync(
        string instanceId, string eventName, string? eventId, HttpRequest request, ClaimsPrincipal user, InstanceAccess access, IWorkflowClient workflows,
        CancellationToken cancellationToken)
    {
        if (access.Find(user, instanceId) is not { } owner)
        {
            return NoInstance(instanceId);
        }

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
        await access.AuditAsync(user, "api-raise-event", owner, $"{eventName}: {outcome.Status}", cancellationToken);
        return outcome.Status switch
        {
            RaiseStatus.NotFound => NoInstance(instanceId),
            RaiseStatus.Rejected => TypedResults.BadRequest(new Problem(outcome.Reason!)),
            _ => TypedResults.Accepted((string?)null),
        };
    }

    internal static Task<Results<Accepted, NotFound<Problem>, BadRequest<Problem>>> TerminateAsync(
        string instanceId, string? reason, ClaimsPrincipal user, InstanceAccess access, IWorkflowClient workflows, CancellationToken cancellationToken) =>
        ChangeAsync(instanceId, reason, "api-terminate", workflows.TerminateAsync, user, access, cancellationToken);

    internal static Task<Results<Accepted, NotFound<Problem>, BadRequest<Problem>>> SuspendAsync(
        string instanceId, string? reason, ClaimsPrincipal user, InstanceAccess access, IWorkflowClient workflows, CancellationToken cancellationToken) =>
        ChangeAsync(instanceId, reason, "api-suspend", workflows.SuspendAsync, user, access, cancellationToken);

    internal static Task<Results<Accepted, NotFound<Problem>, BadRequest<Problem>>> ResumeAsync(
        string instanceId, string? reason, ClaimsPrincipal user, InstanceAccess access, IWorkflowClient workflows, CancellationToken cancellationToken) =>
        ChangeAsync(instanceId, reason, "api-resume", workflows.ResumeAsync, user, access, cancellationToken);

    // Terminate, suspend and resume: each needs a reason, which the audit record keeps.
    private static async Task<Results<Accepted, NotFound<Problem>, BadRequest<Problem>>> ChangeAsync(
        string instanceId, string? reason, string action, Func<string, string, CancellationToken, Task<bool>> change,
        ClaimsPrincipal user, InstanceAccess access, CancellationToken cancellationToken)
    {
        if (access.Find(user, instanceId) is not { } owner)
        {
            return NoInstance(instanceId);
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500)
        {
            return TypedResults.BadRequest(new Problem("Give a reason (at most 500 characters): ?reason=…"));
        }

        if (!await change(instanceId, reason, cancellationToken))
        {
            return NoInstance(instanceId);
        }

        await access.AuditAsync(user, action, owner, reason, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>
    /// Purges a finished instance. A participant's goes with every row tied to it: the participant's identifying data
    /// is erased as by the erasure page (else the pages, finding no instance, would start them again from their intake).
    /// </summary>
    internal static async Task<Results<Ok<Purged>, NotFound<Problem>, Conflict<Problem>>> PurgeAsync(
        string instanceId, ClaimsPrincipal user, InstanceAccess access, IWorkflowClient workflows, ParticipantRecords records, CancellationToken cancellationToken)
    {
        if (access.Find(user, instanceId) is not { } owner || await workflows.StatusAsync(instanceId, cancellationToken) is not { } status)
        {
            return NoInstance(instanceId);
        }

        if (!status.IsFinished)
        {
            return TypedResults.Conflict(new Problem("Only a finished instance is purged: terminate it first."));
        }

        var purged = owner is { Project: { } project, ParticipantId: { } participantId }
            ? await records.EraseAsync(project.Id, participantId, user.Identity?.Name ?? "", "instance purged through the API", cancellationToken) == ErasureOutcome.Erased
            : await workflows.PurgeAsync(instanceId, cancellationToken);
        if (!purged)
        {
            return NoInstance(instanceId);
        }

        await access.AuditAsync(user, "api-purge", owner, instanceId, cancellationToken);
        return TypedResults.Ok(new Purged(instanceId));
    }

    internal static async Task<Results<Ok<PurgedMany>, BadRequest<Problem>, ForbidHttpResult>> PurgeFinishedAsync(
        string? status, DateTimeOffset? createdTo, ClaimsPrincipal user, InstanceAccess access, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        if (!InstanceAccess.IsAdmin(user))
        {
            return TypedResults.Forbid();
        }

        InstanceStatus? finished = null;
        if (status is not null)
        {
            if (!Enum.TryParse<InstanceStatus>(status, ignoreCase: true, out var s) || s is not (InstanceStatus.Completed or InstanceStatus.Failed or InstanceStatus.Terminated))
            {
                return TypedResults.BadRequest(new Problem("status must be one of Completed, Failed, Terminated: only finished instances are purged."));
            }

            finished = s;
        }

        if (createdTo is null)
        {
            return TypedResults.BadRequest(new Problem("Give createdTo: instances started before it are purged (e.g. ?createdTo=2026-01-01T00:00:00Z)."));
        }

        const int Batch = 500;
        var (purged, kept, more) = (0, 0, false);
        foreach (var each in finished is { } one ? [one] : new[] { InstanceStatus.Completed, InstanceStatus.Failed, InstanceStatus.Terminated })
        {
            var found = await workflows.QueryAsync(new InstanceQuery(each, null, null, createdTo, Batch), cancellationToken);
            more |= found.Count == Batch;
            foreach (var instance in found)
            {
                if (access.OwnerOf(instance.InstanceId).Project is not null)
                {
                    kept++;
                }
                else if (await workflows.PurgeAsync(instance.InstanceId, cancellationToken))
                {
                    purged++;
                }
            }
        }

        await access.AuditAsync(user, "api-purge-finished", InstanceOwner.None, $"status {status ?? "any finished"}, created before {createdTo:o}: {purged} purged, {kept} kept", cancellationToken);
        return TypedResults.Ok(new PurgedMany(purged, kept, more && purged > 0));
    }

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

        if (!request.HasJsonContentType())
        {
            // A page on another site can post text/plain without the browser asking first; application/json it cannot.
            return (null, "The body must be sent as application/json.");
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
        return new(status.InstanceId, status.Workflow, status.Version, status.Suspended ? "Suspended" : status.Status.ToString(), status.Step, status.Waiting?.Name, status.NextTimer, status.Timers,
            status.Outcome, status.Error, status.CreatedAt, status.UpdatedAt, status.Data, history);
    }
}
