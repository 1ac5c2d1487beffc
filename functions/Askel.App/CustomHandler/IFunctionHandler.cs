namespace Askel.App.CustomHandler;

/// <summary>The code behind one non-HTTP function, called by the host (or the local runner) on <c>POST /{Name}</c>.</summary>
public interface IFunctionHandler
{
    /// <summary>The function's name: its folder under <c>Triggers/</c>.</summary>
    string Name { get; }

    /// <summary>Runs one invocation. Throwing fails it, so the host retries (queues) or logs it (timers).</summary>
    Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken);
}
