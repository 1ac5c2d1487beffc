using System.Reflection;
using Microsoft.DurableTask;

namespace Askel.App.LocalHost;

/// <summary>
/// An orchestrator function as a Durable Task orchestrator, for the local task hub worker: the trigger parameter gets
/// the orchestration context and the one other parameter the input, as the Durable extension binds them in Azure.
/// </summary>
internal sealed class FunctionOrchestrator(FunctionMethod function, IServiceProvider services) : ITaskOrchestrator
{
    public Type InputType { get; } = InputParameter(function)?.ParameterType ?? typeof(object);

    public Type OutputType => typeof(object);

    public async Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
    {
        await using var scope = services.CreateAsyncScope();
        return await function.InvokeAsync(scope.ServiceProvider, [.. function.Parameters.Select(p =>
            p == function.TriggerParameter ? context : p.ParameterType == typeof(CancellationToken) ? CancellationToken.None : input)]);
    }

    /// <summary>Checks the parameters at start-up: the context, at most one input, a cancellation token.</summary>
    public static void Check(FunctionMethod function)
    {
        if (function.TriggerParameter.ParameterType != typeof(TaskOrchestrationContext))
        {
            throw function.Unservable(function.TriggerParameter, "is the orchestration trigger; take TaskOrchestrationContext");
        }

        if (function.Parameters.Where(p => p != function.TriggerParameter && p.ParameterType != typeof(CancellationToken)).Skip(1).FirstOrDefault() is { } extra)
        {
            throw function.Unservable(extra, "is a second input; an orchestrator takes its context and one input");
        }
    }

    private static ParameterInfo? InputParameter(FunctionMethod function) =>
        function.Parameters.FirstOrDefault(p => p != function.TriggerParameter && p.ParameterType != typeof(CancellationToken));
}

/// <summary>An activity function as a Durable Task activity: the trigger parameter gets the input.</summary>
internal sealed class FunctionActivity(FunctionMethod function, IServiceProvider services) : ITaskActivity
{
    public Type InputType => function.TriggerParameter.ParameterType;

    public Type OutputType => typeof(object);

    public async Task<object?> RunAsync(TaskActivityContext context, object? input)
    {
        await using var scope = services.CreateAsyncScope();
        return await function.InvokeAsync(scope.ServiceProvider, [.. function.Parameters.Select(p =>
            p == function.TriggerParameter ? input : (object)CancellationToken.None)]);
    }

    /// <summary>Checks the parameters at start-up: the input and a cancellation token.</summary>
    public static void Check(FunctionMethod function)
    {
        if (function.Parameters.FirstOrDefault(p => p != function.TriggerParameter && p.ParameterType != typeof(CancellationToken)) is { } extra)
        {
            throw function.Unservable(extra, "is not the activity's input or a cancellation token");
        }
    }
}
