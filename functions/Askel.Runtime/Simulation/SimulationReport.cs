using Askel.Runtime.Engine;

namespace Askel.Runtime.Simulation;

/// <summary>One message the simulated runtime sent.</summary>
/// <param name="At">When it was dispatched (virtual time).</param>
/// <param name="Day">Calendar days since the start day, in the workflow's time zone (0 = the start day).</param>
/// <param name="InstanceId">The participant's instance.</param>
/// <param name="EffectId">The message effect's id.</param>
/// <param name="Channel">sms or email.</param>
/// <param name="Template">The message template.</param>
public sealed record SimulatedSend(DateTimeOffset At, int Day, string InstanceId, string EffectId, string Channel, string Template);

/// <summary>The messages sent on one day that had any.</summary>
/// <param name="Day">Calendar days since the start day.</param>
/// <param name="Date">The local date in the workflow's time zone.</param>
/// <param name="ByChannel">Messages per channel, in the workflow's channel order (every channel listed).</param>
/// <param name="Total">All messages that day.</param>
public sealed record DailySends(int Day, DateOnly Date, IReadOnlyList<KeyValuePair<string, int>> ByChannel, int Total);

/// <summary>What one week of the run asked of the channels and of the coordinators.</summary>
/// <param name="Week">Weeks since the start day (0 = the seven days from it).</param>
/// <param name="From">The week's first local date.</param>
/// <param name="ByChannel">Messages per channel, in the workflow's channel order (every channel listed).</param>
/// <param name="Tasks">Coordinator tasks opened.</param>
public sealed record WeeklyLoad(int Week, DateOnly From, IReadOnlyList<KeyValuePair<string, int>> ByChannel, int Tasks)
{
    /// <summary>All messages that week.</summary>
    public int Messages => ByChannel.Sum(c => c.Value);
}

/// <summary>How many instances ended in one state.</summary>
/// <param name="Status">Their status.</param>
/// <param name="Detail">The end outcome (completed), the step (waiting) or the reason (failed, terminated).</param>
/// <param name="Count">How many.</param>
public sealed record FinalStateCount(InstanceStatus Status, string Detail, int Count);

/// <summary>How many participants were asked for a form (or an external form), and how many gave it.</summary>
/// <param name="Form">The form's name, or <c>external:&lt;name&gt;</c>.</param>
/// <param name="Asked">Participants who got at least one message for it.</param>
/// <param name="Answered">Participants whose instance recorded it.</param>
public sealed record FormCapture(string Form, int Asked, int Answered)
{
    /// <summary>Answered as a percentage of asked (0 when nobody was asked).</summary>
    public double RatePercent => Asked == 0 ? 0 : 100.0 * Answered / Asked;
}

/// <summary>What a <see cref="Simulator"/> run did.</summary>
/// <param name="Workflow">The workflow's name.</param>
/// <param name="Version">The simulated version.</param>
/// <param name="Participants">How many instances were started.</param>
/// <param name="Days">How many days the clock covered.</param>
/// <param name="Start">When the instances started.</param>
/// <param name="Channels">The workflow's channels, in preference order.</param>
/// <param name="SendsPerDay">Messages per day, only days with messages, in order.</param>
/// <param name="Weeks">Messages and tasks per week, every week from the start to the last that had any.</param>
/// <param name="Totals">Messages per channel over the whole run.</param>
/// <param name="TasksOpened">Coordinator tasks opened.</param>
/// <param name="FinalStates">How the instances ended, most common first.</param>
/// <param name="Forms">Capture per form, in order of first ask.</param>
/// <param name="AllFinishedOnDay">The day the last instance finished, or null if some never did.</param>
/// <param name="Sends">Every message, in time order.</param>
public sealed record SimulationReport(
    string Workflow,
    string Version,
    int Participants,
    int Days,
    DateTimeOffset Start,
    IReadOnlyList<string> Channels,
    IReadOnlyList<DailySends> SendsPerDay,
    IReadOnlyList<WeeklyLoad> Weeks,
    IReadOnlyList<KeyValuePair<string, int>> Totals,
    int TasksOpened,
    IReadOnlyList<FinalStateCount> FinalStates,
    IReadOnlyList<FormCapture> Forms,
    int? AllFinishedOnDay,
    IReadOnlyList<SimulatedSend> Sends)
{
    /// <summary>All messages sent.</summary>
    public int TotalMessages => Totals.Sum(t => t.Value);
}
