using Askel.App.Messaging.Email;
using Askel.App.Projects;
using Azure.Core;
using Microsoft.Extensions.Options;
using Microsoft.Kiota.Abstractions;

namespace Askel.App.Summaries;

/// <summary>Where the members of a project's manager group (an Entra ID group) are read.</summary>
public interface IManagerDirectory
{
    /// <summary>
    /// The email addresses of the group's users, nested groups included; null when this directory cannot read groups
    /// at all (no Microsoft Graph configured, as in local runs).
    /// </summary>
    /// <exception cref="ManagerGroupException">The group could not be read now (an error, a refusal, no answer).</exception>
    Task<IReadOnlyList<string>?> MembersAsync(string groupId, CancellationToken cancellationToken);
}

/// <summary>A manager group could not be read; the message has no personal data.</summary>
public sealed class ManagerGroupException(string message, Exception? inner = null, bool permanent = false) : Exception(message, inner)
{
    /// <summary>Graph refused for good (400, 403 no permission, 404 no such group): waiting will not mend it.</summary>
    public bool Permanent { get; } = permanent;
}

/// <summary>The directory of a process without Microsoft Graph: it reads no group.</summary>
public sealed class NoManagerDirectory : IManagerDirectory
{
    /// <inheritdoc />
    public Task<IReadOnlyList<string>?> MembersAsync(string groupId, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>?>(null);
}

/// <summary>
/// Reads a group's members through Microsoft Graph with the mail provider's settings (<c>Askel:Graph</c>: its address
/// and credentials, or the managed identity): <c>GET /v1.0/groups/{id}/transitiveMembers/graph.user?$select=mail,userPrincipalName</c>,
/// following <c>@odata.nextLink</c> page by page. The app needs the <c>GroupMember.Read.All</c> application permission.
/// A member's address is their <c>mail</c>, else their user principal name.
/// </summary>
public sealed class GraphManagerDirectory(IHttpClientFactory httpClients, IOptions<GraphMailOptions> options, TokenCredential credential) : IManagerDirectory
{
    /// <summary>At most this many pages are read (100 users each by default): a runaway paging loop ends.</summary>
    public const int MaxPages = 100;

    /// <summary>
    /// Whether Graph can be used: in Azure (a managed identity may sign in), or with a Graph setting given
    /// (<c>Askel__Graph__ClientId</c>, <c>Askel__Graph__TenantId</c>, or Graph as the email provider).
    /// </summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrEmpty(configuration["WEBSITE_INSTANCE_ID"])
            || configuration[$"{Askel.App.Messaging.MessagingOptions.Section}:Email"] == "graph"
            || !string.IsNullOrEmpty(configuration[$"{GraphMailOptions.Section}:ClientId"])
            || !string.IsNullOrEmpty(configuration[$"{GraphMailOptions.Section}:TenantId"]);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>?> MembersAsync(string groupId, CancellationToken cancellationToken)
    {
        using var graph = GraphMailProvider.Client(httpClients.CreateClient(GraphMailProvider.HttpClientName), options.Value, credential);
        var members = new List<string>();
        try
        {
            var users = graph.Groups[groupId].TransitiveMembers.GraphUser;
            var page = await users.GetAsync(request => request.QueryParameters.Select = ["mail", "userPrincipalName"], cancellationToken);
            for (var pages = 1; page is not null; pages++)
            {
                members.AddRange((page.Value ?? []).Select(u => u.Mail is { Length: > 0 } mail ? mail : u.UserPrincipalName).OfType<string>().Where(a => a.Length > 0));
                if (page.OdataNextLink is not { Length: > 0 } next)
                {
                    break;
                }

                if (pages == MaxPages)
                {
                    throw new ManagerGroupException($"the group has more than {MaxPages} pages of members");
                }

                page = await users.WithUrl(next).GetAsync(cancellationToken: cancellationToken);
            }
        }
        catch (ApiException e)
        {
            var error = e is Microsoft.Graph.Models.ODataErrors.ODataError { Error: { } main } ? ": " + (main.Code ?? main.Message) : "";
            throw new ManagerGroupException($"Graph {e.ResponseStatusCode}{error}", e, permanent: e.ResponseStatusCode is 400 or 403 or 404);
        }
        catch (Exception e) when (e is HttpRequestException or Azure.Identity.AuthenticationFailedException
                                      || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ManagerGroupException($"Graph did not answer or sign-in failed ({e.GetType().Name})", e);
        }

        return members;
    }
}

/// <summary>Who gets a project's summary: the managers in its file and the members of its manager group, each once.</summary>
public sealed partial class ManagerRecipients(IManagerDirectory directory, ILogger<ManagerRecipients> logger)
{
    /// <summary>
    /// The addresses, file managers first, without duplicates (compared case-insensitively). A group that this process
    /// cannot read (no Graph) is logged and left out.
    /// </summary>
    /// <exception cref="ManagerGroupException">The group could not be read now (or was refused and the file names no manager).</exception>
    public async Task<IReadOnlyList<string>> ForAsync(Project project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var addresses = new List<string>();
        void Add(IEnumerable<string> candidates)
        {
            foreach (var address in candidates.Select(a => a.Trim()).Where(a => a.Length > 0))
            {
                if (seen.Add(address))
                {
                    addresses.Add(address);
                }
            }
        }

        Add(project.Managers);
        if (project.ManagerGroup is { } group)
        {
            IReadOnlyList<string>? members;
            try
            {
                members = await directory.MembersAsync(group, cancellationToken);
            }
            catch (ManagerGroupException e) when (e.Permanent && addresses.Count > 0)
            {
                // No permission or no such group: the file's managers still get their summary, and the log says why.
                LogGroupRefused(logger, project.Id, e.Message);
                return addresses;
            }

            if (members is null)
            {
                LogGroupUnreadable(logger, project.Id);
            }
            else
            {
                LogGroupRead(logger, project.Id, members.Count);
                Add(members);
            }
        }

        return addresses;
    }

    [LoggerMessage(1810, LogLevel.Warning, "The manager group of project {Project} cannot be read: Microsoft Graph is not configured (Askel__Graph__…), so its summary goes to the managers in its file only")]
    private static partial void LogGroupUnreadable(ILogger logger, string project);

    [LoggerMessage(1812, LogLevel.Error, "The manager group of project {Project} was refused ({Reason}): its summary goes to the managers in its file only until the group or Graph's GroupMember.Read.All permission is fixed")]
    private static partial void LogGroupRefused(ILogger logger, string project, string reason);

    [LoggerMessage(1811, LogLevel.Information, "The manager group of project {Project} has {Members} member(s)")]
    private static partial void LogGroupRead(ILogger logger, string project, int members);
}
