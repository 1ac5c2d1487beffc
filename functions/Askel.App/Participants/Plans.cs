using System.Globalization;
using System.Text.Json;
using Askel.App.Audit;
using Askel.App.Forms;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.Runtime.Storage;
using Azure;
using Azure.Data.Tables;

namespace Askel.App.Participants;

/// <summary>A goal of a participant's plan: its kind (one of <see cref="Plans.GoalTypes"/>) and what it is, in their words.</summary>
public sealed record PlanGoal(string Type, string Text);

/// <summary>An agreed step: what is done, who does it (one of <see cref="Plans.Owners"/>), by when, and whether it is done.</summary>
public sealed record PlanStep(string Text, string Owner, DateOnly Due, bool Done);

/// <summary>
/// One version of a participant's plan. Every save is a review: a new version with the next review day. The plan is up to
/// date while its review day has not passed.
/// </summary>
/// <param name="ParticipantId">Whose plan.</param>
/// <param name="Version">1 for the first plan, then one more per review.</param>
/// <param name="Goals">The goals.</param>
/// <param name="Steps">The agreed steps.</param>
/// <param name="ReviewOn">The day it is to be reviewed by.</param>
/// <param name="Coordinator">The coordinator responsible for the participant when it was saved: the plan debt is theirs.</param>
/// <param name="SavedBy">Who saved it.</param>
/// <param name="SavedAt">When.</param>
/// <param name="Key">The form's key, so a repeated post saves once.</param>
public sealed record Plan(
    string ParticipantId, int Version, IReadOnlyList<PlanGoal> Goals, IReadOnlyList<PlanStep> Steps, DateOnly ReviewOn, string Coordinator, string SavedBy, DateTimeOffset SavedAt,
    string Key)
{
    /// <summary>Whether the plan is up to date on <paramref name="day"/>: its review day has not passed.</summary>
    public bool UpToDateOn(DateOnly day) => ReviewOn >= day;
}

/// <summary>A goal as the plan form posts it; a row left empty is no goal.</summary>
public sealed record PlanGoalEntry(string Type, string Text)
{
    /// <summary>Whether the row was left empty.</summary>
    public bool IsEmpty => Type.Length == 0 && Text.Trim().Length == 0;
}

/// <summary>A step as the plan form posts it; a row left empty is no step.</summary>
public sealed record PlanStepEntry(string Text, string Owner, string Due, bool Done)
{
    /// <summary>Whether the row was left empty.</summary>
    public bool IsEmpty => Text.Trim().Length == 0 && Owner.Length == 0 && Due.Trim().Length == 0;
}

/// <summary>A plan as the form posts it, every field as text, checked by <see cref="Check"/>.</summary>
public sealed record PlanEntry(string Key, IReadOnlyList<PlanGoalEntry> Goals, IReadOnlyList<PlanStepEntry> Steps, string ReviewOn)
{
    /// <summary>
    /// What is wrong, by field (<c>goal-text-{i}</c>, <c>step-text-{i}</c>, <c>reviewOn</c>): at least one goal; each goal with a
    /// kind and a short plain text; each step with a text, an owner and a due day within a year back and two ahead; a
    /// review day after today and no later than the project's review interval (<paramref name="reviewMonths"/>).
    /// </summary>
    public IReadOnlyList<(string Field, string Problem)> Check(DateOnly today, int reviewMonths)
    {
        var problems = new List<(string, string)>();
        if (Goals.Count > Plans.MaxGoals || Steps.Count > Plans.MaxSteps)
        {
            return [("goal-text-0", "plan-too-many")];
        }

        for (var i = 0; i < Goals.Count; i++)
        {
            var goal = Goals[i];
            if (!goal.IsEmpty && (!Plans.GoalTypes.Contains(goal.Type, StringComparer.Ordinal) || !Plans.IsText(goal.Text)))
            {
                problems.Add(($"goal-text-{i}", "plan-goal-invalid"));
            }
        }

        if (Goals.All(g => g.IsEmpty))
        {
            problems.Add(("goal-text-0", "plan-goal-missing"));
        }

        for (var i = 0; i < Steps.Count; i++)
        {
            var step = Steps[i];
            if (!step.IsEmpty && (!Plans.IsText(step.Text) || !Plans.Owners.Contains(step.Owner, StringComparer.Ordinal)
                || Day(step.Due) is not { } due || due < today.AddYears(-1) || due > today.AddYears(2)))
            {
                problems.Add(($"step-text-{i}", "plan-step-invalid"));
            }
        }

        if (Day(ReviewOn) is not { } review || review <= today || review > today.AddMonths(reviewMonths))
        {
            problems.Add(("reviewOn", "plan-review-invalid"));
        }

        return problems;
    }

    /// <summary>A <c>yyyy-MM-dd</c> day, or null.</summary>
    internal static DateOnly? Day(string text) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}

/// <summary>
/// Participants' plans, every version kept in the plans table (partition: the project; row: <c>{participant}|{version}</c>),
/// audited. The participant's row carries the current review day (the work queue reads it), and each save is a summary
/// event: the plans counted open and overdue at each month's end, per coordinator, so the summary shows the plan debt
/// without reading a plan. Once the participant has left, the plan is closed and can no longer be saved.
/// </summary>
public sealed class Plans(ParticipantTables tables, SummaryStore summary, AuditLog audit, TimeProvider time, ILogger<Plans> logger)
{
    /// <summary>The kinds of goal.</summary>
    public static IReadOnlyList<string> GoalTypes { get; } = ["work", "education", "language", "health", "other"];

    /// <summary>Who does a step: the participant, their coordinator, or a partner (TE services, Kela, a school).</summary>
    public static IReadOnlyList<string> Owners { get; } = ["participant", "coordinator", "partner"];

    /// <summary>How many goals and steps a plan holds: as many rows as the form has.</summary>
    public const int MaxGoals = 6, MaxSteps = 10;

    /// <summary>The longest goal or step text.</summary>
    public const int TextLength = 200;

    /// <summary>What became of a save.</summary>
    public enum Outcome
    {
        /// <summary>Saved as a new version.</summary>
        Saved,

        /// <summary>The same form posted again: nothing changed.</summary>
        Unchanged,

        /// <summary>They have left: the plan is closed.</summary>
        Closed,
    }

    /// <summary>Whether a goal or step text is a short plain text that no spreadsheet would run as a formula.</summary>
    public static bool IsText(string text) => PlainText.IsShort(text.Trim(), TextLength) && !PlainText.LooksLikeFormula(text.Trim());

    /// <summary>
    /// Saves a checked entry (<see cref="PlanEntry.Check"/>) as the participant's next plan version, by <paramref name="actor"/>.
    /// The version row is added first, so two saves at once make two versions, never one lost; then the participant's
    /// row takes the review day, unless they have left (the version is taken back); then the summary counts it.
    /// </summary>
    public async Task<(Outcome Outcome, Plan? Plan)> SaveAsync(Project project, Participant participant, PlanEntry entry, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(participant);
        ArgumentNullException.ThrowIfNull(entry);
        for (var attempt = 0; ; attempt++)
        {
            var history = await HistoryAsync(project.Id, participant.Id, cancellationToken);
            var before = history.Count == 0 ? null : history[^1];
            if (history.FirstOrDefault(p => p.Key == entry.Key) is { } repeated)
            {
                return (Outcome.Unchanged, repeated);
            }

            if (participant.LeftAt is not null)
            {
                return (Outcome.Closed, before);
            }

            var plan = new Plan(
                participant.Id, (before?.Version ?? 0) + 1,
                [.. entry.Goals.Where(g => !g.IsEmpty).Select(g => new PlanGoal(g.Type, g.Text.Trim()))],
                [.. entry.Steps.Where(s => !s.IsEmpty).Select(s => new PlanStep(s.Text.Trim(), s.Owner, PlanEntry.Day(s.Due)!.Value, s.Done))],
                PlanEntry.Day(entry.ReviewOn)!.Value, participant.AssignedCoordinator(), actor, time.GetUtcNow(), entry.Key);
            try
            {
                await tables.Plans.AddEntityAsync(RowOf(project.Id, plan), cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 409 && attempt < 10)
            {
                continue; // another save took this version: read the history again
            }

            var closed = false;
            await tables.UpdateParticipantAsync(project.Id, participant.Id, p =>
            {
                closed = p.LeftAt is not null;
                if (!closed && (p.PlanVersion ?? 0) < plan.Version)
                {
                    p.PlanVersion = plan.Version;
                    p.PlanReviewAt = AtStartOf(plan.ReviewOn);
                    p.PlanSavedAt = plan.SavedAt;
                    p.PlanCoordinator = plan.Coordinator;
                }
            }, cancellationToken);
            if (closed)
            {
                await tables.Plans.DeleteEntityAsync(project.Id, KeyOf(plan), ETag.All, cancellationToken);
                return (Outcome.Closed, before);
            }

            await audit.RecordAsync(actor, "save-plan", project.Id, participant.Id, $"v{plan.Version}, review {plan.ReviewOn:yyyy-MM-dd}", cancellationToken);
            await summary.ApplyAfterChangeAsync(project.Id, SummaryEvents.Of(plan, before), logger, cancellationToken);
            return (Outcome.Saved, plan);
        }
    }

    /// <summary>Every version of the participant's plan, the first first.</summary>
    public async Task<IReadOnlyList<Plan>> HistoryAsync(string projectId, string participantId, CancellationToken cancellationToken) =>
        [.. (await tables.Plans.ReadAllAsync(TableRows.KeyPrefix(projectId, participantId + "|"), null, cancellationToken)).Select(PlanOf).OrderBy(p => p.Version)];

    /// <summary>The summary events of every plan version of the project, for a rebuild of its summary: each version over the one before.</summary>
    public async IAsyncEnumerable<SummaryEvent> SummaryEventsAsync(string projectId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Plan? before = null;
        await foreach (var row in tables.Plans.QueryAsync<TableEntity>(r => r.PartitionKey == projectId, cancellationToken: cancellationToken))
        {
            var plan = PlanOf(row); // rows come in key order: a participant's versions one after another
            yield return SummaryEvents.Of(plan, before?.ParticipantId == plan.ParticipantId ? before : null);
            before = plan;
        }
    }

    /// <summary>
    /// What erasure leaves of the participant's plans: each version's review day, coordinator and dates, which the summary
    /// counts, without its goals and steps (their words, which may name people).
    /// </summary>
    public async Task EraseAsync(string projectId, string participantId, CancellationToken cancellationToken)
    {
        foreach (var plan in await HistoryAsync(projectId, participantId, cancellationToken))
        {
            await tables.Plans.UpsertEntityAsync(RowOf(projectId, plan with { Goals = [], Steps = [] }), TableUpdateMode.Replace, cancellationToken);
        }
    }

    /// <summary>Deletes every version of the participant's plan (the retention run's purge).</summary>
    public Task PurgeAsync(string projectId, string participantId, CancellationToken cancellationToken) =>
        tables.Plans.DeleteAllAsync(TableRows.KeyPrefix(projectId, participantId + "|"), cancellationToken);

    /// <summary>The moment a day's plan review falls due, as the participant's row keeps it: the day at 00:00 UTC.</summary>
    public static DateTimeOffset AtStartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The version's row (the summary benchmark seeds its table with it).</summary>
    public static TableEntity RowOf(string projectId, Plan plan) => new(projectId, KeyOf(plan))
    {
        ["Version"] = plan.Version,
        ["Goals"] = JsonSerializer.Serialize(plan.Goals),
        ["Steps"] = JsonSerializer.Serialize(plan.Steps),
        ["ReviewOn"] = plan.ReviewOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["Coordinator"] = plan.Coordinator,
        ["SavedBy"] = plan.SavedBy,
        ["SavedAt"] = plan.SavedAt,
        ["Key"] = plan.Key,
    };

    private static string KeyOf(Plan plan) => $"{plan.ParticipantId}|{plan.Version.ToString("D5", CultureInfo.InvariantCulture)}";

    private static Plan PlanOf(TableEntity row) => new(
        row.RowKey[..row.RowKey.IndexOf('|', StringComparison.Ordinal)], row.GetInt32("Version") ?? 1,
        JsonSerializer.Deserialize<List<PlanGoal>>(row.GetString("Goals") ?? "[]") ?? [],
        JsonSerializer.Deserialize<List<PlanStep>>(row.GetString("Steps") ?? "[]") ?? [],
        PlanEntry.Day(row.GetString("ReviewOn") ?? "")!.Value, row.GetString("Coordinator") ?? "", row.GetString("SavedBy") ?? "",
        row.GetDateTimeOffset("SavedAt") ?? default, row.GetString("Key") ?? "");
}
