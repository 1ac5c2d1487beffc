using System.Collections.Concurrent;
using System.Threading.Channels;
using Askel.App.CustomHandler;

namespace Askel.App.Tests;

/// <summary>A function handler that records every invocation and can be told to fail.</summary>
public sealed class RecordingHandler(string name, bool fail = false) : IFunctionHandler
{
    private readonly Channel<InvocationRequest> _arrivals = Channel.CreateUnbounded<InvocationRequest>();

    public string Name { get; } = name;

    public ConcurrentQueue<InvocationRequest> Invocations { get; } = new();

    public Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        Invocations.Enqueue(request);
        _arrivals.Writer.TryWrite(request);
        if (fail)
        {
            throw new InvalidOperationException("told to fail");
        }

        return Task.FromResult(InvocationResponse.Done($"{Name} ran"));
    }

    /// <summary>Waits for the next invocation (bounded, so a missing one fails the test instead of hanging it).</summary>
    public async Task<InvocationRequest> NextAsync() =>
        await _arrivals.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
}
