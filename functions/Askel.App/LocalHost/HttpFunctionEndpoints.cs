using Microsoft.AspNetCore.Routing.Patterns;

namespace Askel.App.LocalHost;

/// <summary>
/// Serves the HTTP functions as the Functions host routes them: one endpoint per function, on its route and methods
/// from functions.metadata. A function gets the request (<see cref="HttpRequest"/>), its route values as strings, and the
/// request's cancellation; what it returns (an <see cref="IResult"/>) answers. Any other parameter fails the start.
/// </summary>
public static class HttpFunctionEndpoints
{
    /// <summary>Maps every HTTP function.</summary>
    public static void MapHttpFunctions(this IEndpointRouteBuilder endpoints, IEnumerable<FunctionMethod> functions)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(functions);
        foreach (var function in functions)
        {
            var trigger = (HttpTrigger)function.Declaration.Trigger;
            var pattern = RoutePatternFactory.Parse(trigger.Route);
            var bind = Binder(function, pattern);
            var endpoint = trigger.Methods.Count == 0
                ? endpoints.Map(pattern, context => InvokeAsync(function, bind, context))
                : endpoints.MapMethods(pattern.RawText!, trigger.Methods, context => InvokeAsync(function, bind, context));
            endpoint.WithDisplayName(function.Name).WithMetadata(function.Declaration);
        }
    }

    /// <summary>Checks at start-up that the local host can bind every parameter of <paramref name="function"/>.</summary>
    /// <exception cref="FunctionsMetadataException">It cannot.</exception>
    public static void Check(FunctionMethod function)
    {
        ArgumentNullException.ThrowIfNull(function);
        _ = Binder(function, RoutePatternFactory.Parse(((HttpTrigger)function.Declaration.Trigger).Route));
    }

    private static async Task InvokeAsync(FunctionMethod function, Func<HttpContext, object?[]> bind, HttpContext context)
    {
        switch (await function.InvokeAsync(context.RequestServices, bind(context)))
        {
            case IResult result:
                await result.ExecuteAsync(context);
                break;
            case null when function.Method.ReturnType == typeof(void) || function.Method.ReturnType == typeof(Task):
                break; // the function wrote the response itself
            case var other:
                throw new InvalidOperationException($"Function '{function.Name}' returned {other?.GetType().Name ?? "null"}, not an IResult.");
        }
    }

    private static Func<HttpContext, object?[]> Binder(FunctionMethod function, RoutePattern pattern)
    {
        var routeValues = pattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var binders = function.Parameters.Select(parameter => parameter switch
        {
            _ when parameter.Name == function.Declaration.Trigger.BindingName => parameter.ParameterType == typeof(HttpRequest)
                ? (Func<HttpContext, object?>)(context => context.Request)
                : throw function.Unservable(parameter, "is the HTTP trigger; take HttpRequest"),
            { ParameterType: var type } when type == typeof(CancellationToken) => context => context.RequestAborted,
            { ParameterType: var type, Name: { } name } when type == typeof(string) && routeValues.Contains(name) => context => context.Request.RouteValues[name]?.ToString(),
            _ => throw function.Unservable(parameter, $"is neither the request, a value of the route '{pattern.RawText}', nor a cancellation token"),
        }).ToArray();
        return context => [.. binders.Select(bind => bind(context))];
    }
}
