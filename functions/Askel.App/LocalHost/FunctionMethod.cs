using System.Reflection;

namespace Askel.App.LocalHost;

/// <summary>
/// The method behind a declared function and how to call it as the isolated worker does: an instance of its class
/// per invocation, made from that invocation's services (constructor injection), its parameters bound by the caller.
/// </summary>
public sealed class FunctionMethod
{
    private FunctionMethod(FunctionDeclaration declaration, MethodInfo method)
    {
        Declaration = declaration;
        Method = method;
        Parameters = method.GetParameters();
    }

    /// <summary>What functions.metadata says.</summary>
    public FunctionDeclaration Declaration { get; }

    /// <summary>The method.</summary>
    public MethodInfo Method { get; }

    /// <summary>The method's parameters, in order.</summary>
    public IReadOnlyList<ParameterInfo> Parameters { get; }

    /// <summary>The function's name.</summary>
    public string Name => Declaration.Name;

    /// <summary>The trigger's parameter.</summary>
    public ParameterInfo TriggerParameter => Parameters.Single(p => p.Name == Declaration.Trigger.BindingName);

    /// <summary>Finds the entry point in <paramref name="assembly"/>.</summary>
    /// <exception cref="FunctionsMetadataException">No such public method, or it returns what the local host cannot answer with.</exception>
    public static FunctionMethod Resolve(FunctionDeclaration declaration, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        ArgumentNullException.ThrowIfNull(assembly);
        var dot = declaration.EntryPoint.LastIndexOf('.');
        var type = dot > 0 ? assembly.GetType(declaration.EntryPoint[..dot]) : null;
        var methods = type?.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.Name == declaration.EntryPoint[(dot + 1)..]).ToArray() ?? [];
        if (methods.Length != 1)
        {
            throw new FunctionsMetadataException($"Function '{declaration.Name}': its entry point {declaration.EntryPoint} is not one public method of {assembly.GetName().Name}.");
        }

        var function = new FunctionMethod(declaration, methods[0]);
        if (!function.Parameters.Any(p => p.Name == declaration.Trigger.BindingName))
        {
            throw new FunctionsMetadataException($"Function '{declaration.Name}' has no parameter '{declaration.Trigger.BindingName}' for its trigger.");
        }

        return function;
    }

    /// <summary>Calls the method with <paramref name="arguments"/> on a new instance made from <paramref name="services"/>; returns what it returned, awaited.</summary>
    public async Task<object?> InvokeAsync(IServiceProvider services, object?[] arguments)
    {
        var target = Method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, Method.DeclaringType!);
        var returned = Method.Invoke(target, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
        if (returned is not Task task)
        {
            return returned;
        }

        await task;
        return Method.ReturnType.IsGenericType ? Method.ReturnType.GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
    }

    /// <summary>A start-up error about one of this function's parameters.</summary>
    public FunctionsMetadataException Unservable(ParameterInfo parameter, string why) =>
        new($"Function '{Name}' ({Declaration.EntryPoint}): parameter '{parameter.Name}' ({parameter.ParameterType.Name}) {why}.");
}
