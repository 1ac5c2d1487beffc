using System.Globalization;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Definitions;
using Microsoft.Extensions.Primitives;

namespace Askel.App.Coordinator;

/// <summary>
/// What a project's list shows: a search (posted only, so a name or number stays out of addresses), filters by state,
/// coordinator, missing form and language, an order and a page. Values it does not know are ignored, not errors: the
/// list then shows more, never less.
/// </summary>
public sealed record ParticipantListQuery(string? Search, string? State, string? Coordinator, string? Form, string? Language, string Sort, int Page)
{
    /// <summary>The filter values and orders, as the list's form offers them.</summary>
    public static IReadOnlyList<string> States { get; } = ["active", "left"];

    /// <inheritdoc cref="States"/>
    public static IReadOnlyList<string> Forms { get; } = ["entry-missing", "exit-missing", "six-month-missing"];

    /// <inheritdoc cref="States"/>
    public static IReadOnlyList<string> Sorts { get; } = ["enrolled-desc", "enrolled-asc", "name", "contact"];

    /// <summary>The value of <c>coordinator</c> that keeps the participants whose coordinator left the project.</summary>
    public const string NoCoordinator = "none";

    /// <summary>The query from an address's query string or a posted form (a search only from a post).</summary>
    public static ParticipantListQuery From(Func<string, StringValues> value, bool posted)
    {
        ArgumentNullException.ThrowIfNull(value);
        string? One(string name, IReadOnlyList<string>? allowed = null) =>
            value(name).ToString().Trim() is { Length: > 0 and <= 200 } text && (allowed is null || allowed.Contains(text)) ? text : null;
        var page = int.TryParse(value("page").ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0 ? number : 1;
        return new(
            posted ? One("q") : null, One("state", States), One("coordinator"), One("form", Forms), One("language", WorkflowLoader.AllowedLanguages),
            One("sort", Sorts) ?? Sorts[0], page);
    }

    /// <summary>Whether anything narrows the list (a search or a filter).</summary>
    public bool Narrows => Search is not null || State is not null || Coordinator is not null || Form is not null || Language is not null;

    /// <summary>The filters and order as a query string (no search, no page), each value escaped; empty when all are defaults.</summary>
    public string Filters =>
        string.Join("&", new[] { ("state", State), ("coordinator", Coordinator), ("form", Form), ("language", Language), ("sort", Sort == Sorts[0] ? null : Sort) }
            .Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));

    /// <summary>The participants that match, in order.</summary>
    public IReadOnlyList<Participant> Apply(IEnumerable<Participant> participants, Project project, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(participants);
        ArgumentNullException.ThrowIfNull(project);
        var found = participants.Where(p =>
            (Search is null || ParticipantSearch.Matches(p, Search))
            && State switch { "active" => p.LeftAt is null, "left" => p.LeftAt is not null, _ => true }
            && (Coordinator is null || (Coordinator == NoCoordinator
                ? !project.IsCoordinator(p.AssignedCoordinator())
                : string.Equals(p.AssignedCoordinator(), Coordinator, StringComparison.OrdinalIgnoreCase)))
            && Form switch
            {
                "entry-missing" => p.EntryReceivedAt is null,
                "exit-missing" => p.LeftAt is not null && p.ExitReceivedAt is null,
                "six-month-missing" => p.LeftAt is { } left && left.AddMonths(6) <= now && p.SixMonthReceivedAt is null,
                _ => true,
            }
            && (Language is null || p.Language == Language));
        var names = StringComparer.Create(CultureInfo.GetCultureInfo("fi-FI"), CompareOptions.IgnoreCase);
        return Sort switch
        {
            "enrolled-asc" => [.. found.OrderBy(p => p.EnrolledAt)],
            "name" => [.. found.OrderBy(p => p.LastName, names).ThenBy(p => p.FirstName, names)],
            "contact" => [.. found.OrderBy(p => p.LastContact())],
            _ => [.. found.OrderByDescending(p => p.EnrolledAt)],
        };
    }
}
