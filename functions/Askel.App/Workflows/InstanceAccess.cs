using System.Security.Claims;
using Askel.App.Audit;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Security;

namespace Askel.App.Workflows;

/// <summary>Whose an instance is: a participant's of a project (<c>{project}.{participant}</c>), or no project's.</summary>
/// <param name="Project">The project, or null for an instance started through the API by an admin.</param>
/// <param name="ParticipantId">The participant, with <paramref name="Project"/>.</param>
public sealed record InstanceOwner(Project? Project, string? ParticipantId)
{
    /// <summary>The audit log's partition for instances of no project.</summary>
    public const string NoProject = "-";

    /// <summary>An instance of no project (started through the API), or a call about no one instance.</summary>
    public static InstanceOwner None { get; } = new(null, null);
}

/// <summary>
/// Who may do what to which instance through the instance API, and the audit record of it. An admin may reach every
/// instance; a coordinator only the participants' instances of their own projects — anything else is answered as if
/// it did not exist. Every call leaves an audit record (the instance's project, or <see cref="InstanceOwner.NoProject"/>).
/// </summary>
public sealed class InstanceAccess(ProjectCatalog projects, AuditLog audit)
{
    /// <summary>The owner of <paramref name="instanceId"/> when <paramref name="user"/> may reach it, else null.</summary>
    public InstanceOwner? Find(ClaimsPrincipal user, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(user);
        var owner = OwnerOf(instanceId);
        return IsAdmin(user) || (owner.Project is { } project && user.IsInRole(AskelRoles.Coordinator) && project.IsCoordinator(user)) ? owner : null;
    }

    /// <summary>The owner of an instance id: a participant's when it is <c>{project}.{participant}</c> of a known project.</summary>
    public InstanceOwner OwnerOf(string instanceId) =>
        Participant.ParseInstanceId(instanceId) is var (projectId, participantId) && projects.Find(projectId) is { } project
            ? new InstanceOwner(project, participantId)
            : InstanceOwner.None;

    /// <summary>The projects whose instances <paramref name="user"/> may list, or null for every instance (an admin).</summary>
    public IReadOnlyList<Project>? ListableProjects(ClaimsPrincipal user) =>
        IsAdmin(user) ? null : [.. projects.All.Where(p => user.IsInRole(AskelRoles.Coordinator) && p.IsCoordinator(user))];

    /// <summary>Whether <paramref name="user"/> is an admin.</summary>
    public static bool IsAdmin(ClaimsPrincipal user) => user?.IsInRole(AskelRoles.Admin) == true;

    /// <summary>Records that <paramref name="user"/> did <paramref name="action"/> (<c>api-…</c>) to an instance of <paramref name="owner"/>.</summary>
    public Task AuditAsync(ClaimsPrincipal user, string action, InstanceOwner owner, string? detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return audit.RecordAsync(Name(user), action, owner.Project?.Id ?? InstanceOwner.NoProject, owner.ParticipantId, detail, cancellationToken);
    }

    private static string Name(ClaimsPrincipal user) => user.Identity?.Name ?? "";
}
