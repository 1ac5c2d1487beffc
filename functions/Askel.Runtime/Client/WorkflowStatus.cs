using System.Text.Json.Nodes;
using Askel.Runtime.Engine;

namespace Askel.Runtime.Client;

/// <summary>An instance as the app sees it: where it is, what it waits for and until when. No personal data.</summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="Workflow">Its workflow's name.</param>
/// <param name="Version">The pinned definition version it runs.</param>
/// <param name="Status">Waiting, completed, failed or terminated.</param>
/// <param name="Step">The current step, if any.</param>
/// <param name="StepEntry">How many steps it has entered (part of every message id).</param>
/// <param name="Attempt">How many of the step's attempts have been sent.</param>
/// <param name="Awaiting">What it waits for, if anything.</param>
/// <param name="Timers">Its pending timers.</param>
/// <param name="Outcome">The end step's outcome, once completed.</param>
/// <param name="Error">Why it failed or was terminated.</param>
/// <param name="CreatedAt">When it started.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="Data">What it has recorded: its input, forms, tasks, events and channel states.</param>
public sealed record WorkflowStatus(
    string InstanceId, string Workflow, string Version, InstanceStatus Status, string? Step, int StepEntry, int Attempt, Awaiting? Awaiting,
    IReadOnlyList<DurableTimer> Timers, string? Outcome, string? Error, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, JsonObject Data)
{
    /// <summary>True once nothing more can happen to it.</summary>
    public bool IsFinished => Status is InstanceStatus.Completed or InstanceStatus.Failed or InstanceStatus.Terminated;

    /// <summary>Paused by a person: its timers and events wait until it is resumed.</summary>
    public bool Suspended { get; init; }

    /// <summary>When it entered its current step (an ask step: when its first message went, or was due).</summary>
    public DateTimeOffset? StepEnteredAt { get; init; }

    /// <summary>The earliest pending timer.</summary>
    public DurableTimer? NextTimer => Timers.Count == 0 ? null : Timers.MinBy(t => t.Due);

    /// <summary>When the current step's link or confirmation expires, if it does.</summary>
    public DateTimeOffset? ExpiresAt => Timers.Where(t => t.Kind == "expire").Select(t => (DateTimeOffset?)t.Due).Min();

    /// <summary>What it waits for, when it still waits.</summary>
    public Awaiting? Waiting => IsFinished ? null : Awaiting;

    /// <summary>The status of <paramref name="state"/>.</summary>
    public static WorkflowStatus Of(InstanceState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state.Id, state.Workflow, state.Version, state.Status, state.Step, state.StepEntry, state.Attempt, Client.Awaiting.Parse(state.Awaiting),
            [.. state.Timers], state.Outcome, state.Error, state.CreatedAt, state.UpdatedAt, (JsonObject)state.Data.DeepClone())
        {
            StepEnteredAt = state.StepEnteredAt,
        };
    }
}
