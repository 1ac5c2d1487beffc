using System.Globalization;
using Askel.App.Security;
using Askel.Runtime.Client;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using static Askel.App.Workflows.InstanceManagementEndpoints;

namespace Askel.App.Workflows;

/// <summary>
/// The instance-management API as functions: each signs the caller in, requires an admin or a coordinator
/// (<see cref="AskelRoles.ManageInstances"/>), reads its query values, and calls <see cref="InstanceManagementEndpoints"/>,
/// which scopes every call to the caller's projects and audits it. A query value that does not parse is a 400.
/// </summary>
public sealed class InstanceManagementFunctions(RequestAccess signIn, InstanceAccess access, IWorkflowClient workflows, Privacy.ParticipantRecords records)
{
    /// <summary>Starts an instance (admins only; never in a project's namespace).</summary>
    [Function("instances-start")]
    public Task<IResult> StartAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/workflows/{workflow}/instances")] HttpRequest request, string workflow, CancellationToken cancellationToken) =>
        Allowed(request, async () => await InstanceManagementEndpoints.StartAsync(workflow, Query(request, "instanceId"), request, request.HttpContext.User, access, workflows, cancellationToken));

    /// <summary>An instance's status, with its history on <c>?showHistory=true</c>.</summary>
    [Function("instances-status")]
    public Task<IResult> StatusAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/instances/{instanceId}")] HttpRequest request, string instanceId, CancellationToken cancellationToken) =>
        Allowed(request, async () => Parse(request, "showHistory", bool.TryParse, out bool? showHistory) is { } bad
            ? bad
            : await InstanceManagementEndpoints.StatusAsync(instanceId, showHistory, request.HttpContext.User, access, workflows, cancellationToken));

    /// <summary>Instances by status, workflow and creation time, newest first.</summary>
    [Function("instances-query")]
    public Task<IResult> QueryAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/instances")] HttpRequest request, CancellationToken cancellationToken) =>
        Allowed(request, async () =>
        {
            var bad = new[]
            {
                Parse(request, "createdFrom", TryParseTime, out DateTimeOffset? createdFrom),
                Parse(request, "createdTo", TryParseTime, out DateTimeOffset? createdTo),
                Parse(request, "top", TryParseInt, out int? top),
            }.FirstOrDefault(problem => problem is not null);
            return bad is not null ? bad : await InstanceManagementEndpoints.QueryAsync(
                Query(request, "status"), Query(request, "workflow"), createdFrom, createdTo, top, request.HttpContext.User, access, workflows, cancellationToken);
        });

    /// <summary>Purges finished instances created before <c>?createdTo</c> (admins only).</summary>
    [Function("instances-purge-many")]
    public Task<IResult> PurgeFinishedAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/instances")] HttpRequest request, CancellationToken cancellationToken) =>
        Allowed(request, async () => Parse(request, "createdTo", TryParseTime, out DateTimeOffset? createdTo) is { } bad
            ? bad
            : await InstanceManagementEndpoints.PurgeFinishedAsync(Query(request, "status"), createdTo, request.HttpContext.User, access, workflows, cancellationToken));

    /// <summary>Tells an instance an event (the body is its JSON payload).</summary>
    [Function("instances-raise-event")]
    public Task<IResult> RaiseEventAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/instances/{instanceId}/events/{eventName}")] HttpRequest request, string instanceId, string eventName,
        CancellationToken cancellationToken) =>
        Allowed(request, async () => await InstanceManagementEndpoints.RaiseEventAsync(
            instanceId, eventName, Query(request, "eventId"), request, request.HttpContext.User, access, workflows, cancellationToken));

    /// <summary>Ends an instance; <c>?reason=</c> is required and audited.</summary>
    [Function("instances-terminate")]
    public Task<IResult> TerminateAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/instances/{instanceId}/terminate")] HttpRequest request, string instanceId, CancellationToken cancellationToken) =>
        Allowed(request, async () => await InstanceManagementEndpoints.TerminateAsync(instanceId, Query(request, "reason"), request.HttpContext.User, access, workflows, cancellationToken));

    /// <summary>Pauses an instance; <c>?reason=</c> is required and audited.</summary>
    [Function("instances-suspend")]
    public Task<IResult> SuspendAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/instances/{instanceId}/suspend")] HttpRequest request, string instanceId, CancellationToken cancellationToken) =>
        Allowed(request, async () => await InstanceManagementEndpoints.SuspendAsync(instanceId, Query(request, "reason"), request.HttpContext.User, access, workflows, cancellationToken));

    /// <summary>Resumes a suspended instance; <c>?reason=</c> is required and audited.</summary>
    [Function("instances-resume")]
    public Task<IResult> ResumeAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/instances/{instanceId}/resume")] HttpRequest request, string instanceId, CancellationToken cancellationToken) =>
        Allowed(request, async () => await InstanceManagementEndpoints.ResumeAsync(instanceId, Query(request, "reason"), request.HttpContext.User, access, workflows, cancellationToken));

    /// <summary>Purges one finished instance; a participant's with their identifying data (an erasure).</summary>
    [Function("instances-purge")]
    public Task<IResult> PurgeAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/instances/{instanceId}")] HttpRequest request, string instanceId, CancellationToken cancellationToken) =>
        Allowed(request, async () => await InstanceManagementEndpoints.PurgeAsync(instanceId, request.HttpContext.User, access, workflows, records, cancellationToken));

    // A page on another site cannot use a signed-in browser to call the API (no antiforgery token: it has no pages).
    private Task<IResult> Allowed(HttpRequest request, Func<Task<IResult>> handle) =>
        CrossSiteRequests.IsCrossSite(request)
            ? Task.FromResult<IResult>(TypedResults.Json(new Problem("The instance API does not answer requests from another site."), statusCode: StatusCodes.Status403Forbidden))
            : signIn.WhenAllowedAsync(request, AskelRoles.ManageInstances, handle);

    private static string? Query(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    private delegate bool TryParser<T>(string text, out T value);

    // An absent value is null; one that does not parse answers 400, as typed query parameters do.
    private static BadRequest<Problem>? Parse<T>(HttpRequest request, string name, TryParser<T> parse, out T? value)
        where T : struct
    {
        value = null;
        if (Query(request, name) is not { } text)
        {
            return null;
        }

        if (!parse(text, out var parsed))
        {
            return TypedResults.BadRequest(new Problem($"{name} '{text}' is not a valid {typeof(T).Name}."));
        }

        value = parsed;
        return null;
    }

    private static bool TryParseTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    private static bool TryParseInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}
