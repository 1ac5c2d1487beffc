using Askel.App.CustomHandler;

namespace Askel.App.LocalTriggers;

/// <summary>
/// Calls the handler the way the Functions host does: <c>POST /{function}</c> with the host's payload.
/// Locally that is this very process on its loopback address, so Azure and local share one code path.
/// </summary>
public sealed class FunctionInvoker(HttpClient handler, ILogger<FunctionInvoker> logger)
{
    // The host's payload names are PascalCase ("Data", "Metadata", "DequeueCount"): no naming policy.
    private static readonly System.Text.Json.JsonSerializerOptions HostJson = new();

    /// <summary>Invokes a function; true when the handler answered 2xx (the host's notion of success).</summary>
    public async Task<bool> InvokeAsync(string function, object payload, CancellationToken cancellationToken)
    {
        using var response = await handler.PostAsJsonAsync(new Uri(function, UriKind.Relative), payload, HostJson, cancellationToken);
        var answer = response.Content.Headers.ContentType?.MediaType == "application/json"
            ? await response.Content.ReadFromJsonAsync<InvocationResponse>(cancellationToken)
            : null;
        foreach (var line in answer?.Logs ?? [])
        {
            logger.FunctionLog(function, line);
        }

        if (!response.IsSuccessStatusCode)
        {
            logger.FunctionFailed(function, (int)response.StatusCode, answer?.Logs.LastOrDefault() ?? response.ReasonPhrase ?? "");
        }

        return response.IsSuccessStatusCode;
    }
}
