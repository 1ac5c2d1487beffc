using System.Reflection;

namespace Askel.App.LocalHost;

/// <summary>
/// The functions the local host serves, by trigger: every function in functions.metadata, each resolved to its method
/// and its parameters checked at start-up, so a function the local host could not call stops the start instead of
/// answering 500 later.
/// </summary>
public sealed class LocalFunctions
{
    private LocalFunctions(FunctionsMetadata metadata, IReadOnlyList<FunctionMethod> functions)
    {
        Metadata = metadata;
        Http = [.. functions.Where(f => f.Declaration.Trigger is HttpTrigger)];
        Timers = [.. functions.Where(f => f.Declaration.Trigger is TimerTrigger)];
        Orchestrators = [.. functions.Where(f => f.Declaration.Trigger is OrchestrationTrigger)];
        Activities = [.. functions.Where(f => f.Declaration.Trigger is ActivityTrigger)];
    }

    /// <summary>What was read.</summary>
    public FunctionsMetadata Metadata { get; }

    /// <summary>HTTP functions (<see cref="HttpFunctionEndpoints"/>).</summary>
    public IReadOnlyList<FunctionMethod> Http { get; }

    /// <summary>Timer functions (<see cref="LocalTimers"/>).</summary>
    public IReadOnlyList<FunctionMethod> Timers { get; }

    /// <summary>Durable orchestrators (<see cref="LocalTaskHubWorker"/>).</summary>
    public IReadOnlyList<FunctionMethod> Orchestrators { get; }

    /// <summary>Durable activities (<see cref="LocalTaskHubWorker"/>).</summary>
    public IReadOnlyList<FunctionMethod> Activities { get; }

    /// <summary>Reads functions.metadata in <paramref name="folder"/> and finds each function's method in <paramref name="assembly"/>.</summary>
    /// <exception cref="FunctionsMetadataException">A function cannot be served.</exception>
    public static LocalFunctions Load(string folder, Assembly assembly)
    {
        var metadata = FunctionsMetadata.Load(folder);
        var functions = metadata.Functions.Select(f => FunctionMethod.Resolve(f, assembly)).ToArray();
        foreach (var function in functions)
        {
            switch (function.Declaration.Trigger)
            {
                case HttpTrigger:
                    HttpFunctionEndpoints.Check(function);
                    break;
                case TimerTrigger trigger:
                    TimerTriggerRunner.Check(function, trigger);
                    break;
                case OrchestrationTrigger:
                    FunctionOrchestrator.Check(function);
                    break;
                case ActivityTrigger:
                    FunctionActivity.Check(function);
                    break;
            }
        }

        return new LocalFunctions(metadata, functions);
    }
}
