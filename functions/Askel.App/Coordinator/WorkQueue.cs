using System.Security.Claims;
using Askel.App.Forecasts;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Client;

namespace Askel.App.Coordinator;

/// <summary>Something about one participant that needs their coordinator now.</summary>
/// <param name="Project">The participant's project.</param>
/// <param name="Participant">Who it is about.</param>
/// <param name="When">The time that orders it: a task's due (or opening) time, an expiry, the last contact, a coaching end.</param>
public abstract record WorkItem(Project Project, Participant Participant, DateTimeOffset When);

/// <summary>An open coordinator task; <see cref="WorkItem.When"/> is its due time, or when it opened.</summary>
public sealed record TaskWork(Project Project, Participant Participant, OpenTask Task, DateTimeOffset When) : WorkItem(Project, Participant, When);

/// <summary>A form link (or a confirmation) that expires soon; <see cref="WorkItem.When"/> is the expiry.</summary>
/// <param name="Form">The Askel form awaited, or null when the step awaits a confirmation of a form kept elsewhere.</param>
public sealed record ExpiringForm(Project Project, Participant Participant, string? Form, DateTimeOffset When) : WorkItem(Project, Participant, When);

/// <summary>A channel that does not work: a bounce or wrong number, or an opt-out that leaves no channel.</summary>
/// <param name="Channel"><c>email</c> or <c>sms</c>.</param>
/// <param name="State"><c>invalid</c>, <c>failing</c> or <c>opted-out</c>.</param>
public sealed record UnusableContact(Project Project, Participant Participant, string Channel, string State, DateTimeOffset When) : WorkItem(Project, Participant, When);

/// <summary>No contact for longer than the project's <c>noContactWeeks</c>; <see cref="WorkItem.When"/> is the last contact.</summary>
public sealed record NoRecentContact(Project Project, Participant Participant, DateTimeOffset When) : WorkItem(Project, Participant, When);

/// <summary>Coaching ends soon (the wait for their leaving times out); <see cref="WorkItem.When"/> is that time.</summary>
public sealed record LeavingSoon(Project Project, Participant Participant, DateTimeOffset When) : WorkItem(Project, Participant, When);

/// <summary>Their plan is due for review soon, or overdue; <see cref="WorkItem.When"/> is its review day.</summary>
public sealed record PlanReviewDue(Project Project, Participant Participant, DateTimeOffset When) : WorkItem(Project, Participant, When);

/// <summary>Their coordinator no longer coordinates the project: someone should take them on; <see cref="WorkItem.When"/> is their enrolment.</summary>
public sealed record WithoutCoordinator(Project Project, Participant Participant, DateTimeOffset When) : WorkItem(Project, Participant, When);

/// <summary>How the plans of a coordinator's participants in one project stand today: those who have not left, with a plan, and up to date.</summary>
public sealed record PlanStanding(Project Project, int Participants, int WithPlan, int UpToDate)
{
    /// <summary>The share of their plans that are up to date, or null with no plans.</summary>
    public double? Share => WithPlan == 0 ? null : (double)UpToDate / WithPlan;
}

/// <summary>The work queue as read: what needs the coordinator now, how their participants' plans stand per project, and the early warnings of projects nearing their end.</summary>
public sealed record QueueRead(IReadOnlyList<WorkItem> Items, IReadOnlyList<PlanStanding> Plans, IReadOnlyList<(Project Project, ExitWarning Warning)> Warnings);

/// <summary>
/// The coordinator's work queue: across the projects they may open, what needs them now, for the participants in their
/// care and those without a coordinator (theirs left the project). Built from the participant rows, one query of the
/// project's workflow statuses and the open-tasks table; reading it is audited as a read of each project's list.
/// </summary>
public sealed class WorkQueue(ParticipantService participants, IWorkflowClient workflows, OpenTasks openTasks, ExitForecasts forecasts, TimeProvider time)
{
    /// <summary>The queue's sections (the kind of item and the text key of its heading), in the order a coordinator works through them.</summary>
    public static IReadOnlyList<(Type Kind, string Title)> Sections { get; } =
    [
        (typeof(TaskWork), "today-tasks"),
        (typeof(WithoutCoordinator), "today-orphans"),
        (typeof(ExpiringForm), "today-expiring"),
        (typeof(UnusableContact), "today-contacts"),
        (typeof(NoRecentContact), "today-quiet"),
        (typeof(PlanReviewDue), "today-plans"),
        (typeof(LeavingSoon), "today-leaving"),
    ];

    /// <summary>How far ahead an expiring form link is shown.</summary>
    public static TimeSpan ExpiryWindow { get; } = TimeSpan.FromDays(3);

    /// <summary>How far ahead a plan's review day is shown.</summary>
    public static TimeSpan PlanWindow { get; } = TimeSpan.FromDays(14);

    /// <summary>How far ahead a coaching end is shown.</summary>
    public static TimeSpan LeavingWindow { get; } = TimeSpan.FromDays(28);

    /// <summary>
    /// The items of <paramref name="projects"/> for <paramref name="user"/>, each kind in its order (see <see cref="WorkItem.When"/>),
    /// and how the plans of the participants in their care stand in each project.
    /// </summary>
    /// <param name="user">Whose queue.</param>
    /// <param name="projects">The projects <paramref name="user"/> may open.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <param name="actor">Who reads it, for the audit log, when not the user (the daily digest).</param>
    public async Task<QueueRead> ForAsync(ClaimsPrincipal user, IEnumerable<Project> projects, CancellationToken cancellationToken, string? actor = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(projects);
        var name = user.Identity?.Name ?? "";
        var now = time.GetUtcNow();
        var today = Components.Formats.DayOf(now);
        var items = new List<WorkItem>();
        var plans = new List<PlanStanding>();
        var warnings = new List<(Project, ExitWarning)>();
        foreach (var project in projects)
        {
            // Their participants are kept under the project's name for them (matched by object id where it has one).
            var me = project.CoordinatorName(user) ?? name;
            var mine = (await participants.ListAsync(project.Id, actor ?? name, cancellationToken))
                .Where(p => string.Equals(p.AssignedCoordinator(), me, StringComparison.OrdinalIgnoreCase) || !project.IsCoordinator(p.AssignedCoordinator()))
                .ToDictionary(p => p.InstanceId, StringComparer.Ordinal);
            if (mine.Count == 0)
            {
                continue;
            }

            var staying = mine.Values.Where(p => p.LeftAt is null && string.Equals(p.AssignedCoordinator(), me, StringComparison.OrdinalIgnoreCase)).ToList();
            plans.Add(new PlanStanding(
                project, staying.Count, staying.Count(p => p.PlanReviewAt is not null),
                staying.Count(p => p.PlanReviewDay() >= today)));
            if (await forecasts.WarnAsync(project, [.. mine.Values], actor ?? name, cancellationToken) is { AtRisk: > 0 } warning)
            {
                warnings.Add((project, warning));
            }

            var states = (await workflows.QueryAsync(new InstanceQuery(null, null, null, null, int.MaxValue, project.Id + "."), cancellationToken))
                .ToDictionary(s => s.InstanceId, s => (WorkflowStatus?)s, StringComparer.Ordinal);
            foreach (var task in await openTasks.ListAsync(project.Id + ".", states, cancellationToken))
            {
                if (mine.TryGetValue(task.InstanceId, out var participant))
                {
                    items.Add(new TaskWork(project, participant, task, task.Due ?? task.OpenedAt ?? now));
                }
            }

            foreach (var participant in mine.Values)
            {
                var state = states.GetValueOrDefault(participant.InstanceId);
                items.AddRange(ItemsOf(project, participant, state, now));
            }
        }

        return new([.. items.OrderBy(i => i.When)], plans, warnings);
    }

    /// <summary>What one participant needs now, apart from open tasks.</summary>
    internal static IEnumerable<WorkItem> ItemsOf(Project project, Participant participant, WorkflowStatus? state, DateTimeOffset now)
    {
        if (state?.Waiting is AwaitingForm or AwaitingConfirmation && state.ExpiresAt is { } expires && expires > now && expires - now <= ExpiryWindow)
        {
            yield return new ExpiringForm(project, participant, (state.Waiting as AwaitingForm)?.Form, expires);
        }

        if (state?.Waiting is AwaitingEvent && state.Timers.Where(t => t.Kind == "timeout").Select(t => (DateTimeOffset?)t.Due).Min() is { } ends && ends - now <= LeavingWindow)
        {
            yield return new LeavingSoon(project, participant, ends);
        }

        // A bounced address or a wrong number needs fixing whatever else works; an opt-out is the participant's choice,
        // and needs the coordinator only when it leaves no way to reach them.
        var channels = new[] { ("email", participant.Email, participant.EmailState, participant.EmailStateAt), ("sms", participant.Phone, participant.SmsState, participant.SmsStateAt) };
        var anyUsable = participant.Reaches("email") || participant.Reaches("sms");
        foreach (var (channel, address, channelState, at) in channels)
        {
            if (address is not null && channelState is not null && (channelState != ContactChannels.OptedOut || !anyUsable))
            {
                yield return new UnusableContact(project, participant, channel, channelState, at ?? participant.EnrolledAt);
            }
        }

        if (!project.IsCoordinator(participant.AssignedCoordinator()) && state is not { IsFinished: true })
        {
            yield return new WithoutCoordinator(project, participant, participant.EnrolledAt);
        }

        var closed = project.IsClosed(Components.Formats.DayOf(now)); // no casework is owed in a closed project
        if (!closed && participant is { LeftAt: null, PlanReviewAt: { } review } && review - now <= PlanWindow)
        {
            yield return new PlanReviewDue(project, participant, review);
        }

        var last = participant.LastContact();
        if (!closed && participant.LeftAt is null && state is { IsFinished: false } && now - last > TimeSpan.FromDays(7 * project.NoContactWeeks))
        {
            yield return new NoRecentContact(project, participant, last);
        }
    }
}
