using Askel.Runtime.Definitions;
using Askel.Runtime.Effects;
using Askel.Runtime.Engine;
using Askel.Runtime.Simulation;
using Askel.Runtime.Tests.Durable;
using Askel.Testing;

namespace Askel.Runtime.Tests.Simulation;

/// <summary>
/// <c>askel simulate</c> runs the step function in memory; the product runs it in the generic orchestrator on the
/// task hub. The same cohort, behaving the same way, must give the same report on both: every message at the same
/// time, the same capture rates, the same endings.
/// </summary>
public sealed class SimulationMatchesTaskHubTests
{
    [Fact]
    public async Task SmallMixedCohort_SameReportInMemoryAndOnTheTaskHub()
    {
        var definition = WorkflowCatalog.Load(Repository.Path("workflows")).Get("form-chase-example");
        var options = new SimulationOptions
        {
            Participants = 12,
            Missing = new Dictionary<string, double>(StringComparer.Ordinal) { ["email"] = 0.25 },
            Behaviour = new ParticipantBehaviour
            {
                NeverAnswer = new Dictionary<string, double>(StringComparer.Ordinal) { ["sms"] = 0.5, ["email"] = 0.3 },
                AnswerDelayMin = TimeSpan.FromHours(1),
                AnswerDelayMax = TimeSpan.FromDays(4),
                TaskOutcomes = [KeyValuePair.Create("answered-by-phone", 0.5), KeyValuePair.Create("unreachable", 0.3)],
                Seed = 7,
            },
        };

        var inMemory = Simulator.Run(definition, options, CancellationToken.None);
        var onTheHub = await RunOnTaskHubAsync(definition, options);

        Assert.Equal(inMemory.Sends, onTheHub.Sends);
        Assert.Equal(inMemory.Forms, onTheHub.Forms);
        Assert.Equal(inMemory.FinalStates, onTheHub.FinalStates);
        Assert.Equal((inMemory.TasksOpened, inMemory.AllFinishedOnDay), (onTheHub.TasksOpened, onTheHub.AllFinishedOnDay));
        Assert.True(inMemory.FinalStates.Count > 1 && inMemory.Forms.Single().Answered > 0, "the behaviour should give mixed outcomes");
    }

    /// <summary>The full path: instances on a real task hub, answers told through the typed client when the clock reaches them.</summary>
    private static async Task<SimulationReport> RunOnTaskHubAsync(WorkflowDefinition definition, SimulationOptions options)
    {
        var cohort = new Cohort(definition, options);
        await using var f = await DurableFixture.StartAsync(options.Start, new DurableFixtureOptions(TimeControlled: true), definition);
        var pending = new PendingAnswers();
        f.Effects.Behaviour = effect =>
        {
            if (cohort.Answer(effect, f.Time.GetUtcNow()) is { } answer)
            {
                lock (pending)
                {
                    pending.Keep(answer);
                }
            }

            return EffectResult.Done;
        };

        var ids = Enumerable.Range(0, options.Participants).Select(Cohort.InstanceId).ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            await f.Workflows.StartAsync(definition.Name, ids[i], cohort.Input(i), CancellationToken.None);
        }

        while (true)
        {
            await f.SettleAsync();
            IReadOnlyList<SimulatedAnswer> due;
            lock (pending)
            {
                var next = new[] { pending.Earliest?.Due, f.NextTimerDue }.Where(d => d is not null).Min();
                if (next is null || next > cohort.End)
                {
                    break;
                }

                f.Time.SetUtcNow(next.Value);
                due = pending.TakeUntil(next.Value);
            }

            foreach (var answer in due)
            {
                await f.Workflows.RaiseAsync(answer.InstanceId, answer.Event, CancellationToken.None);
            }
        }

        var states = new List<InstanceState>();
        foreach (var id in ids)
        {
            var status = (await f.Workflows.StatusAsync(id, CancellationToken.None))!;
            states.Add(new InstanceState
            {
                Id = status.InstanceId, Workflow = status.Workflow, Version = status.Version, Status = status.Status, Step = status.Step,
                Outcome = status.Outcome, Error = status.Error, Data = status.Data, CreatedAt = status.CreatedAt, UpdatedAt = status.UpdatedAt,
            });
        }

        return cohort.Report(states);
    }
}
