using Askel.App.Audit;
using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.Runtime.Calendar;
using Askel.Runtime.Definitions;
using Askel.Runtime.Simulation;

namespace Askel.App.Forecasts;

/// <summary>The early warning: as the project's end nears, the exit forms still to come and how many of them are at risk.</summary>
/// <param name="EndDate">The project's end date.</param>
/// <param name="WeeksLeft">Whole weeks to it, a part week counted as one.</param>
/// <param name="Pending">Participants whose exit form is still to come (not received, its link not yet expired).</param>
/// <param name="AtRisk">Those of them who are less likely than not to send it in (<see cref="ExitForecasts.AtRiskBelow"/>).</param>
/// <param name="NoChannel">Those at risk whom no message can reach: no address, or a bounced, failing or opted-out one.</param>
/// <param name="Calibration">The response rates it rests on.</param>
public sealed record ExitWarning(DateOnly EndDate, int WeeksLeft, int Pending, int AtRisk, int NoChannel, Calibration Calibration)
{
    /// <summary>The project ends within a week: the warning says "within a week", not "in 1 weeks".</summary>
    public bool Soon => WeeksLeft <= 1;
}

/// <summary>
/// The early warning of the monthly summary and the work queue, from the simulation's model: each participant whose exit
/// form is still to come gets the exit step's messages still to be sent on the channels the workflow would choose for
/// them, each answered at the project's calibrated rate (<see cref="AnswerChance"/>). Shown from <see cref="HorizonWeeks"/> weeks
/// before the project's end until the end.
/// </summary>
public sealed class ExitForecasts(
    ResponseHistory history, ParticipantService participants, WorkflowCatalog workflows, FormCatalog forms, AuditLog audit, TimeProvider time)
{
    /// <summary>How long before the project's end the warning is given: time enough to find a working channel for everyone.</summary>
    public const int HorizonWeeks = 26;

    /// <summary>A participant whose chance of sending the exit form in is below this is at risk.</summary>
    public const double AtRiskBelow = 0.5;

    /// <summary>The warning for <paramref name="participants"/> of <paramref name="project"/>, or null outside the horizon or for a workflow with no exit form.</summary>
    /// <param name="project">The project.</param>
    /// <param name="participants">Whom it counts: the project's participants (the summary), or a coordinator's (the work queue).</param>
    /// <param name="actor">Who reads the project's history, for the audit log.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<ExitWarning?> WarnAsync(Project project, IReadOnlyList<Participant> participants, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        var now = time.GetUtcNow();
        var daysLeft = DaysLeft(project, now);
        if (daysLeft < 0 || daysLeft > HorizonWeeks * 7 || !workflows.TryGet(project.Workflow, out var definition) || ExitStep(definition) is not { } step)
        {
            return null;
        }

        var calibration = await history.CalibrateAsync(project, actor, cancellationToken);
        return Of(project, definition, step, participants, calibration, now);
    }

    /// <summary>
    /// The warning for the whole project in its summary of <paramref name="month"/> (<c>yyyy-MM</c>): only in the summary of
    /// this month or the last, since it says how things stand now. The read of the project's participants is audited as
    /// a forecast (it shows no one).
    /// </summary>
    public async Task<ExitWarning?> ForSummaryAsync(Project project, string month, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (string.CompareOrdinal(month, SummaryCalculator.PreviousMonth(time.GetUtcNow())) < 0)
        {
            return null;
        }

        var everyone = await participants.ReadForFiguresAsync(project.Id, cancellationToken);
        var warning = await WarnAsync(project, everyone, actor, cancellationToken);
        if (warning is not null)
        {
            await audit.RecordAsync(actor, "forecast", project.Id, null, $"{everyone.Count} participants", cancellationToken);
        }

        return warning;
    }

    /// <summary>The warning, worked out (see <see cref="WarnAsync"/>).</summary>
    internal static ExitWarning Of(Project project, WorkflowDefinition definition, Step exit, IEnumerable<Participant> participants, Calibration calibration, DateTimeOffset now)
    {
        var (attempts, expires) = exit is ChasedStep chased
            ? (chased.Attempts, chased.Expires)
            : throw new ArgumentException($"The step {exit.Id} sends no form to chase.", nameof(exit));
        var zone = definition.Calendar.TimeZone;
        var pending = 0;
        var atRisk = 0;
        var noChannel = 0;
        foreach (var participant in participants.Where(p => p.ExitReceivedAt is null))
        {
            // Someone who has left is in the exit step since that day: the messages already sent are behind them.
            var left = participant.LeftAt;
            if (left is not null && expires.AddTo(left.Value, zone) <= now)
            {
                continue; // the link has expired: the form is missing, no longer at risk
            }

            pending++;
            var sent = left is null ? 0 : attempts.Count(a => definition.Calendar.NextAllowed(a.After.AddTo(left.Value, zone)) <= now);
            var chance = AnswerChance.Of(definition, exit, calibration.Profile, participant.Language, participant.Reaches, sent + 1);
            if (chance < AtRiskBelow)
            {
                atRisk++;
                noChannel += definition.Channels.Any(participant.Reaches) ? 0 : 1;
            }
        }

        return new ExitWarning(project.EndDate, (DaysLeft(project, now) + 6) / 7, pending, atRisk, noChannel, calibration);
    }

    // Days from today in Helsinki to the project's last day; negative once it has ended.
    private static int DaysLeft(Project project, DateTimeOffset now) => project.EndDate.DayNumber - CalendarPolicy.Default.DayOf(now).DayNumber;

    // The first step that chases the exit form: an Askel form reporting exit, or a form kept elsewhere that says reports: exit.
    private Step? ExitStep(WorkflowDefinition definition) =>
        definition.Steps.Values.FirstOrDefault(s => s switch
        {
            AskStep ask => forms.Find(ask.Form) is { } form && FormResponses.Reports(form) == ReportedForm.Exit,
            ExternalStep external => external.Reports == ReportedForm.Exit,
            _ => false,
        });
}
