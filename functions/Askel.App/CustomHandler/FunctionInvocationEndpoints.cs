using Microsoft.AspNetCore.Http.HttpResults;

namespace Askel.App.CustomHandler;

/// <summary>The custom handler's side of the host contract for non-HTTP triggers.</summary>
public static class FunctionInvocationEndpoints
{
    /// <summary>A queue message is at most 64 KiB; a timer payload is tiny. Anything far larger is not the host.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Maps <c>POST /{functionName}</c> for every registered <see cref="IFunctionHandler"/>.</summary>
    public static IEndpointRouteBuilder MapFunctionInvocations(this IEndpointRouteBuilder app)
    {
        foreach (var handler in app.ServiceProvider.GetServices<IFunctionHandler>())
        {
            app.MapPost($"/{handler.Name}", (HttpContext context, ILogger<IFunctionHandler> logger, CancellationToken cancellationToken) =>
                    InvokeAsync(handler, context, logger, cancellationToken))
                .ExcludeFromDescription();
        }

        return app;
    }

    private static async Task<Results<Ok<InvocationResponse>, BadRequest<InvocationError>, JsonHttpResult<InvocationResponse>>> InvokeAsync(
        IFunctionHandler handler, HttpContext context, ILogger logger, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(context.Request, cancellationToken);
        if (body is null)
        {
            logger.InvocationRejected(handler.Name, $"the body is over {MaxBodyBytes} bytes");
            return TypedResults.BadRequest(new InvocationError($"The body is over {MaxBodyBytes} bytes."));
        }

        var request = InvocationRequest.TryParse(body, out var error);
        if (request is null)
        {
            logger.InvocationRejected(handler.Name, error!);
            return TypedResults.BadRequest(new InvocationError(error!));
        }

        try
        {
            return TypedResults.Ok(await handler.InvokeAsync(request, cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.InvocationFailed(e, handler.Name);
            return TypedResults.Json(
                new InvocationResponse { Logs = [$"{handler.Name} failed: {e.GetType().Name}: {e.Message}"] },
                statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

/// <summary>Why an invocation was refused.</summary>
public sealed record InvocationError(string Error);
