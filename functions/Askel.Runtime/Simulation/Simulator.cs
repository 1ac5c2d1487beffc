using System.Text.Json.Nodes;
using Askel.Runtime.Definitions;
using Askel.Runtime.Engine;

namespace Askel.Runtime.Simulation;

/// <summary>What to simulate besides the workflow.</summary>
public sealed record SimulationOptions
{
    /// <summary>How long a run covers when not told: long enough for any workflow we have.</summary>
    public const int DefaultDays = 400;

    /// <summary>How many synthetic participants (instances) to start.</summary>
    public int Participants { get; init; } = 1000;

    /// <summary>How many days the virtual clock runs; the run stops early once every instance has finished.</summary>
    public int Days { get; init; } = DefaultDays;

    /// <summary>When the first instance starts.</summary>
    public DateTimeOffset Start { get; init; } = new(2027, 1, 4, 9, 0, 0, TimeSpan.FromHours(2));

    /// <summary>Over how many weeks from <see cref="Start"/> the participants enrol, evenly (0: all at the start).</summary>
    public int EnrolmentWeeks { get; init; }

    /// <summary>Per channel, the probability (0–1) that a participant has no such channel (<c>channels.&lt;c&gt; = "missing"</c>).</summary>
    public IReadOnlyDictionary<string, double> Missing { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>How participants and coordinators behave.</summary>
    public ParticipantBehaviour Behaviour { get; init; } = new();

    /// <summary>Values every instance starts with besides its language and channels (e.g. <c>project.endDate</c>).</summary>
    public JsonObject Input { get; init; } = [];
}

/// <summary>
/// Runs a workflow definition for a <see cref="Cohort"/> in memory: each instance is the pure step function
/// (<see cref="Interpreter"/>) applied to its start, then to its timers and its people's answers in time order,
/// exactly as the generic orchestrator applies them (a timer at its due time, an answer at the time it is told).
/// No storage, no clock: a year of a thousand participants takes a moment.
/// </summary>
public static class Simulator
{
    /// <summary>Simulates <paramref name="definition"/> (a valid, loaded definition).</summary>
    /// <param name="definition">The workflow.</param>
    /// <param name="options">Who, how many, for how long.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <param name="maxParallelism">How many instances run at once (-1: as many as there are cores).</param>
    /// <exception cref="ArgumentOutOfRangeException">Participants or days are not positive.</exception>
    public static SimulationReport Run(WorkflowDefinition definition, SimulationOptions options, CancellationToken cancellationToken, int maxParallelism = -1)
    {
        var cohort = new Cohort(definition, options);
        var states = new InstanceState[options.Participants];
        // Instances are independent: each runs on its own, and the report orders what they did.
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = maxParallelism };
        Parallel.For(0, options.Participants, parallel, i => states[i] = RunOne(cohort, i));
        return cohort.Report(states);
    }

    private static InstanceState RunOne(Cohort cohort, int index)
    {
        var definition = cohort.Definition;
        var start = cohort.StartOf(index);
        var state = new InstanceState
        {
            Id = Cohort.InstanceId(index), Workflow = definition.Name, Version = definition.Version, CreatedAt = start, UpdatedAt = start,
        };
        var pending = new PendingAnswers();

        void Apply(Trigger trigger, DateTimeOffset now)
        {
            foreach (var effect in Interpreter.Apply(state, definition, trigger, now).Effects)
            {
                if (cohort.Answer(effect, now) is { } answer)
                {
                    pending.Keep(answer);
                }
            }
        }

        Apply(new StartTrigger(cohort.Input(index)), start);
        while (!state.IsFinished)
        {
            var timer = state.NextTimer;
            var answer = pending.Earliest;
            if (answer is not null && (timer is null || answer.Due <= timer.Due))
            {
                if (answer.Due > cohort.End)
                {
                    break;
                }

                pending.Remove(answer);
                var e = answer.Event;
                Apply(new EventTrigger(e.Name, e.Payload(), e.Id), answer.Due > state.UpdatedAt ? answer.Due : state.UpdatedAt);
            }
            else if (timer is not null && timer.Due <= cohort.End)
            {
                Apply(new TimerTrigger(timer.Id), timer.Due);
            }
            else
            {
                break; // nothing more happens before the end
            }
        }

        return state;
    }
}
