using Askel.App.Coordinator.Components;
using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Projects;
using Microsoft.AspNetCore.Antiforgery;
using static Askel.App.Coordinator.Components.Formats;

namespace Askel.App.Coordinator;

/// <summary>A participant's plan: shown, and reviewed by saving its next version.</summary>
public static partial class CoordinatorPages
{
    /// <summary>The plan with its form, holding the plan as it stands and empty rows to add to; the read is audited.</summary>
    internal static async Task<IResult> PlanPageAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        if (await ViewParticipantAsync(services, context.User, projectId, id, "view-plan", cancellationToken) is not (var project, var participant))
        {
            return NotFound(page);
        }

        var history = await services.GetRequiredService<Plans>().HistoryAsync(project.Id, participant.Id, cancellationToken);
        var today = DayOf(services.GetRequiredService<TimeProvider>().GetUtcNow());
        var current = history.Count == 0 ? null : history[^1];
        var values = new PlanEntry(
            NewFormKey(),
            [.. Padded(current?.Goals.Select(g => new PlanGoalEntry(g.Type, g.Text)) ?? [], Plans.MaxGoals, new PlanGoalEntry("", ""))],
            [.. Padded(current?.Steps.Select(s => new PlanStepEntry(s.Text, s.Owner, Day(s.Due), s.Done)) ?? [], Plans.MaxSteps, new PlanStepEntry("", "", "", false))],
            Day(today.AddMonths(project.PlanReviewMonths)));
        return PlanForm(page, project, participant, history, values, [], context.Request.Query["saved"] == "1", today, StatusCodes.Status200OK);
    }

    /// <summary>Saves the posted plan as its next version and shows it; with problems, or once they have left, shows the form as posted (422).</summary>
    internal static async Task<IResult> SavePlanAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken, casework: true);
        if (action is null)
        {
            return refusal!;
        }

        var posted = action.Posted;
        var entry = new PlanEntry(
            FormKey(posted["key"].ToString()),
            [.. Rows(posted, "goal-text-", Plans.MaxGoals).Select(i => new PlanGoalEntry(posted[$"goal-type-{i}"].ToString(), posted[$"goal-text-{i}"].ToString()))],
            [.. Rows(posted, "step-text-", Plans.MaxSteps).Select(i => new PlanStepEntry(
                posted[$"step-text-{i}"].ToString(), posted[$"step-owner-{i}"].ToString(), posted[$"step-due-{i}"].ToString(), posted[$"step-done-{i}"] == "yes"))],
            posted["reviewOn"].ToString());
        var today = DayOf(services.GetRequiredService<TimeProvider>().GetUtcNow());
        var plans = services.GetRequiredService<Plans>();
        var problems = entry.Check(today, action.Project.PlanReviewMonths);
        if (problems.Count == 0)
        {
            var (outcome, _) = await plans.SaveAsync(action.Project, action.Participant, entry, action.User, cancellationToken);
            if (outcome != Plans.Outcome.Closed)
            {
                return FormFlow.SeeOther(action.Page.Href($"/coordinator/projects/{action.Project.Id}/participants/{action.Participant.Id}/plan?saved=1"));
            }
        }

        var history = await plans.HistoryAsync(action.Project.Id, action.Participant.Id, cancellationToken);
        var participant = await services.GetRequiredService<ParticipantTables>().FindParticipantAsync(action.Project.Id, action.Participant.Id, cancellationToken) ?? action.Participant;
        return PlanForm(action.Page, action.Project, participant, history, entry, problems, false, today, StatusCodes.Status422UnprocessableEntity);
    }

    // The indices of the posted rows (a row is posted with its text field), one past the limit at most so too many is seen.
    private static IEnumerable<int> Rows(IFormCollection posted, string field, int limit) =>
        Enumerable.Range(0, limit + 1).TakeWhile(i => posted.ContainsKey(field + i));

    // The rows as they stand and empty ones to add to: two more, at least three, at most the limit.
    private static IEnumerable<T> Padded<T>(IEnumerable<T> rows, int limit, T empty)
    {
        var list = rows.ToList();
        return list.Concat(Enumerable.Repeat(empty, Math.Max(0, Math.Min(limit, Math.Max(3, list.Count + 2)) - list.Count)));
    }

    private static ComponentPage<PlanPage, PlanView> PlanForm(
        PageContext page, Project project, Participant participant, IReadOnlyList<Plan> history, PlanEntry values, IReadOnlyList<(string Field, string Problem)> problems, bool saved,
        DateOnly today, int status)
    {
        var basePath = $"/coordinator/projects/{project.Id}/participants/{participant.Id}";
        return new(
            page with { Path = basePath + "/plan" },
            new PlanView($"{participant.FirstName} {participant.LastName}", basePath, history.Count == 0 ? null : history[^1], history, values, problems,
                participant.LeftAt is not null, saved, today, project.PlanReviewMonths),
            status);
    }
}
