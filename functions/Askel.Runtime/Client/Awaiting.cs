namespace Askel.Runtime.Client;

/// <summary>What a waiting instance waits for: the typed answer to "why is it waiting".</summary>
public abstract record Awaiting
{
    /// <summary>The step function's name for it, as the instance API and the history show it.</summary>
    public abstract string Name { get; }

    /// <summary>Reads the step function's own name for it (<c>form:x</c>, <c>confirm:x</c>, <c>task:x</c>, or an event name).</summary>
    public static Awaiting? Parse(string? awaited) => awaited switch
    {
        null or "" => null,
        _ when awaited.StartsWith("form:", StringComparison.Ordinal) => new AwaitingForm(awaited["form:".Length..]),
        _ when awaited.StartsWith("confirm:", StringComparison.Ordinal) => new AwaitingConfirmation(awaited["confirm:".Length..]),
        _ when awaited.StartsWith("task:", StringComparison.Ordinal) => new AwaitingTask(awaited["task:".Length..]),
        _ => new AwaitingEvent(awaited),
    };
}

/// <summary>A form from the participant (its link is out).</summary>
public sealed record AwaitingForm(string Form) : Awaiting
{
    /// <inheritdoc/>
    public override string Name => "form:" + Form;
}

/// <summary>A person's confirmation that a form kept in another system was filled in.</summary>
public sealed record AwaitingConfirmation(string External) : Awaiting
{
    /// <inheritdoc/>
    public override string Name => "confirm:" + External;
}

/// <summary>A coordinator completing the task opened at step <paramref name="Step"/>.</summary>
public sealed record AwaitingTask(string Step) : Awaiting
{
    /// <inheritdoc/>
    public override string Name => "task:" + Step;
}

/// <summary>A named event, e.g. <c>left</c>.</summary>
public sealed record AwaitingEvent(string Event) : Awaiting
{
    /// <inheritdoc/>
    public override string Name => Event;
}
