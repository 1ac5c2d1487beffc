using System.Globalization;
using System.Text.Json.Nodes;
using Askel.Runtime.Client;
using Askel.Runtime.Definitions;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;

namespace Askel.Runtime.Simulation;

/// <summary>
/// Synthetic participants and coordinators for one workflow: what each instance starts with, how people answer
/// the messages and tasks they get (as <see cref="ParticipantBehaviour"/> draws it), and the report of a run.
/// Whatever carries the instances — the in-memory <see cref="Simulator"/> or a real task hub — asks it the same
/// questions, so both give the same answers. Safe to call from several threads.
/// </summary>
public sealed class Cohort
{
    private readonly Lock _gate = new();
    private readonly List<Sent> _sends = [];
    private readonly Dictionary<string, bool[]> _answersOn = new(StringComparer.Ordinal);
    private readonly List<int> _taskDays = [];

    /// <summary>A cohort of <see cref="SimulationOptions.Participants"/> people for <paramref name="definition"/>.</summary>
    public Cohort(WorkflowDefinition definition, SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Participants, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Days, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.EnrolmentWeeks);
        if (options.EnrolmentWeeks * 7L >= options.Days && options.EnrolmentWeeks > 0)
        {
            throw new ArgumentException($"Enrolment over {options.EnrolmentWeeks} weeks does not end before the run's {options.Days} days do.", nameof(options));
        }
        Definition = definition;
        Options = options;
        for (var i = 0; i < options.Participants; i++)
        {
            _answersOn[InstanceId(i)] = [.. definition.Channels.Select(c => Behaviour.AnswersOn(i, c))];
        }
    }

    /// <summary>The simulated workflow.</summary>
    public WorkflowDefinition Definition { get; }

    /// <summary>What is simulated.</summary>
    public SimulationOptions Options { get; }

    /// <summary>When the run stops, whether or not every instance has finished.</summary>
    public DateTimeOffset End => Options.Start.AddDays(Options.Days);

    private ParticipantBehaviour Behaviour => Options.Behaviour;

    private TimeZoneInfo Zone => Definition.Calendar.TimeZone;

    /// <summary>The instance id of participant <paramref name="index"/> (0-based).</summary>
    public static string InstanceId(int index) => string.Create(CultureInfo.InvariantCulture, $"p{index + 1:D5}");

    /// <summary>
    /// When participant <paramref name="index"/> (0-based) enrols: all at the start, or spread evenly over the days of
    /// <see cref="SimulationOptions.EnrolmentWeeks"/>, at the start's local time of day (across a change to or from summer time too).
    /// </summary>
    public DateTimeOffset StartOf(int index)
    {
        var local = TimeZoneInfo.ConvertTime(Options.Start, Zone).DateTime.AddDays((long)index * Options.EnrolmentWeeks * 7 / Options.Participants);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>What participant <paramref name="index"/>'s instance starts with: a language, and which channels it has.</summary>
    public JsonObject Input(int index)
    {
        var channels = new JsonObject();
        foreach (var channel in Definition.Channels)
        {
            var missing = Behaviour.Draw($"missing|{index}|{channel}") < Options.Missing.GetValueOrDefault(channel);
            channels[channel] = missing ? "missing" : "ok";
        }

        var input = (JsonObject)Options.Input.DeepClone();
        input["language"] = Definition.Languages[index % Definition.Languages.Count];
        input["channels"] = channels;
        return input;
    }

    /// <summary>
    /// Records an effect carried out at <paramref name="now"/> and returns what its person will do about it: a form
    /// sent, a confirmation, a task's outcome, due at some later time; or null when nobody ever answers it.
    /// </summary>
    public SimulatedAnswer? Answer(Effect effect, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(effect);
        var entry = EffectId.TryParse(effect.Id, out var id) ? id.StepEntry : effect.Id;
        var answerId = $"sim.{effect.Id}";
        if (effect.Kind == "task")
        {
            lock (_gate)
            {
                _taskDays.Add(DayOf(now));
            }

            var step = effect.Payload["step"]!.GetValue<string>();
            var outcomes = effect.Payload["outcomes"]?.AsArray().Select(o => o!.GetValue<string>()).ToArray() ?? [];
            return Behaviour.TaskOutcome(effect.Id, outcomes) is { } outcome
                ? new SimulatedAnswer(now + Behaviour.TaskDelay, effect.InstanceId, entry, new TaskCompleted(step, outcome, "simulation", answerId))
                : null;
        }

        if (effect.Kind == "escalation")
        {
            return null; // a reminder to staff of an overdue task: not a send to a participant, and nobody answers it
        }

        var channel = effect.Payload["channel"]?.GetValue<string>() ?? "";
        WorkflowEvent? answer = effect.Payload["form"]?.GetValue<string>() is { } form ? new FormSubmitted(form, "participant", "", answerId)
            : effect.Payload["external"]?.GetValue<string>() is { } external ? new ExternalConfirmed(external, "simulation", answerId)
            : null;
        var awaited = answer switch { FormSubmitted f => f.Form, ExternalConfirmed x => $"external:{x.External}", _ => null };
        lock (_gate)
        {
            _sends.Add(new Sent(new SimulatedSend(now, DayOf(now), effect.InstanceId, effect.Id, channel, effect.Payload["template"]?.GetValue<string>() ?? ""), awaited));
        }

        var index = Array.IndexOf([.. Definition.Channels], channel);
        if (answer is null || index < 0 || !_answersOn.TryGetValue(effect.InstanceId, out var answersOn) || !answersOn[index])
        {
            return null;
        }

        var attempt = effect.Payload["attempt"]?.GetValue<int>() ?? 1;
        if (!Behaviour.Answers(effect.Id, channel, attempt, effect.Payload["language"]?.GetValue<string>() ?? Definition.Languages[0]))
        {
            return null;
        }

        var due = now + Behaviour.AnswerDelay(effect.Id);
        // After the link expired, the participant can no longer answer.
        var expires = effect.Payload["expiresAt"]?.GetValue<string>() is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture)
            : DateTimeOffset.MaxValue;
        return due < expires ? new SimulatedAnswer(due, effect.InstanceId, entry, answer) : null;
    }

    /// <summary>The report of the run, from how every instance ended.</summary>
    public SimulationReport Report(IReadOnlyList<InstanceState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        Sent[] sent;
        int[] taskDays;
        lock (_gate)
        {
            taskDays = [.. _taskDays];
            sent = [.. _sends
                .OrderBy(s => s.Send.At)
                .ThenBy(s => s.Send.InstanceId, StringComparer.Ordinal)
                .ThenBy(s => s.Send.EffectId, StringComparer.Ordinal)];
        }

        var sends = sent.Select(s => s.Send).ToArray();
        var channels = Definition.Channels;
        var perDay = sends
            .GroupBy(s => s.Day)
            .OrderBy(g => g.Key)
            .Select(g => new DailySends(
                g.Key,
                LocalDate(Options.Start).AddDays(g.Key),
                [.. channels.Select(c => KeyValuePair.Create(c, g.Count(s => s.Channel == c)))],
                g.Count()))
            .ToArray();
        var finals = states
            .GroupBy(s => (s.Status, Detail: s.Status switch
            {
                InstanceStatus.Completed => s.Outcome ?? "",
                InstanceStatus.Failed or InstanceStatus.Terminated => s.Error ?? "",
                _ => s.Step ?? "",
            }))
            .Select(g => new FinalStateCount(g.Key.Status, g.Key.Detail, g.Count()))
            .OrderByDescending(f => f.Count)
            .ThenBy(f => f.Status)
            .ThenBy(f => f.Detail, StringComparer.Ordinal)
            .ToArray();
        var byId = states.ToDictionary(s => s.Id, StringComparer.Ordinal);
        // Forms in the order they were first asked for (sends are in time order).
        var forms = sent
            .Where(s => s.Awaited is not null)
            .GroupBy(s => s.Awaited!, StringComparer.Ordinal)
            .Select(g =>
            {
                var asked = g.Select(s => s.Send.InstanceId).Distinct(StringComparer.Ordinal).ToArray();
                return new FormCapture(g.Key, asked.Length, asked.Count(id => byId.TryGetValue(id, out var state) && HasAnswered(state, g.Key)));
            })
            .ToArray();
        var lastDay = sends.Select(s => s.Day).Concat(taskDays).DefaultIfEmpty(0).Max();
        // One pass over the sends and the tasks, not one per week and channel.
        var sendsPerWeek = sends.CountBy(s => (Week: s.Day / 7, s.Channel)).ToDictionary();
        var tasksPerWeek = taskDays.CountBy(d => d / 7).ToDictionary();
        var weeks = Enumerable.Range(0, (lastDay / 7) + 1)
            .Select(week => new WeeklyLoad(
                week,
                LocalDate(Options.Start).AddDays(week * 7),
                [.. channels.Select(c => KeyValuePair.Create(c, sendsPerWeek.GetValueOrDefault((week, c))))],
                tasksPerWeek.GetValueOrDefault(week)))
            .ToArray();
        int? finishedOnDay = states.Count > 0 && states.All(s => s.IsFinished) ? DayOf(states.Max(s => s.UpdatedAt)) : null;
        return new SimulationReport(
            Definition.Name,
            Definition.Version,
            Options.Participants,
            Options.Days,
            Options.Start,
            channels,
            perDay,
            weeks,
            [.. channels.Select(c => KeyValuePair.Create(c, sends.Count(s => s.Channel == c)))],
            taskDays.Length,
            finals,
            forms,
            finishedOnDay,
            sends);
    }

    private int DayOf(DateTimeOffset instant) => LocalDate(instant).DayNumber - LocalDate(Options.Start).DayNumber;

    private DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    private static bool HasAnswered(InstanceState state, string name) =>
        name.StartsWith("external:", StringComparison.Ordinal)
            ? state.Data["external"]?[name["external:".Length..]] is not null
            : state.Data["forms"]?[name] is not null;

    private sealed record Sent(SimulatedSend Send, string? Awaited);
}

/// <summary>What a synthetic person does about an effect, and when.</summary>
/// <param name="Due">When it happens.</param>
/// <param name="InstanceId">The instance it is told to.</param>
/// <param name="Entry">The step entry the effect came from: of several answers to one entry, only the first counts.</param>
/// <param name="Event">What is told.</param>
public sealed record SimulatedAnswer(DateTimeOffset Due, string InstanceId, string Entry, WorkflowEvent Event);

/// <summary>
/// The answers people will give, kept until their time: of several answers to one step entry of an instance only the
/// earliest, since the first answer moves the instance on and later ones would find the step gone.
/// </summary>
public sealed class PendingAnswers
{
    private readonly Dictionary<(string Instance, string Event, string Entry), SimulatedAnswer> _answers = [];

    /// <summary>How many answers wait.</summary>
    public int Count => _answers.Count;

    /// <summary>The next answer due, or null when none waits.</summary>
    public SimulatedAnswer? Earliest => _answers.Count == 0 ? null : _answers.Values.MinBy(a => a.Due);

    /// <summary>Keeps <paramref name="answer"/> unless an earlier one to the same step entry waits already.</summary>
    public void Keep(SimulatedAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var key = Key(answer);
        if (!_answers.TryGetValue(key, out var earlier) || answer.Due < earlier.Due)
        {
            _answers[key] = answer;
        }
    }

    /// <summary>Forgets <paramref name="answer"/> (it has been given).</summary>
    public void Remove(SimulatedAnswer answer) => _answers.Remove(Key(answer ?? throw new ArgumentNullException(nameof(answer))));

    /// <summary>Takes the answers due by <paramref name="until"/>, earliest first.</summary>
    public IReadOnlyList<SimulatedAnswer> TakeUntil(DateTimeOffset until)
    {
        var due = _answers.Values.Where(a => a.Due <= until).OrderBy(a => a.Due).ToArray();
        foreach (var answer in due)
        {
            _answers.Remove(Key(answer));
        }

        return due;
    }

    private static (string, string, string) Key(SimulatedAnswer answer) => (answer.InstanceId, answer.Event.Name, answer.Entry);
}
