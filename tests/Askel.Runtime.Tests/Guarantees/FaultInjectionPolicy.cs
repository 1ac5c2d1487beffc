using Azure.Core;
using Azure.Core.Pipeline;

namespace Askel.Runtime.Tests.Guarantees;

/// <summary>
/// Kills the "process" at one storage call: before the request is sent (the crash falls between
/// the previous call and this one), or after storage applied it but before the caller learns so.
/// </summary>
internal sealed class FaultInjectionPolicy(int failAt, bool afterSend) : HttpPipelinePolicy
{
    private int _calls;

    public int Calls => _calls;

    public string? Failed { get; private set; }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The runtime only makes asynchronous storage calls.");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var call = Interlocked.Increment(ref _calls);
        if (call == failAt && !afterSend)
        {
            Failed = Describe(message);
            throw new SimulatedCrashException($"crash before call {call}: {Failed}");
        }

        await ProcessNextAsync(message, pipeline);
        if (call == failAt)
        {
            Failed = Describe(message);
            throw new SimulatedCrashException($"crash after call {call}: {Failed}");
        }
    }

    private static string Describe(HttpMessage message) => $"{message.Request.Method} {Uri.UnescapeDataString(message.Request.Uri.ToUri().PathAndQuery)}";
}

internal sealed class SimulatedCrashException(string message) : Exception(message);
