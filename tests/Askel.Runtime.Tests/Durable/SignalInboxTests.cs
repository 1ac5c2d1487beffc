using Askel.Runtime.Durable;
using Askel.Runtime.Tests.Engine;

namespace Askel.Runtime.Tests.Durable;

/// <summary>The signal inbox on Azurite: what an instance has applied is forgotten, the rest comes back oldest first.</summary>
public sealed class SignalInboxTests
{
    private static readonly DateTimeOffset Start = new(2027, 3, 15, 9, 0, 0, TimeSpan.Zero);

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Take_ForgetsTheAppliedTogether_EvenWhenSomeWereForgottenBefore_AndReturnsTheRestOldestFirst()
    {
        await using var f = await DurableFixture.StartAsync(Start, TestWorkflows.FormChase());
        foreach (var (id, minute) in new[] { ("a", 1), ("b", 2), ("c", 3), ("d", 0) })
        {
            await f.Inbox.WriteAsync("p-1", new WorkflowSignal("note", [], id, Start.AddMinutes(minute)), None);
        }

        Assert.Equal(["d", "c"], (await f.Inbox.TakeAsync("p-1", ["a", "b", "b"], None)).Select(s => s.Id));

        // Taken again with one already forgotten, as a retried activity would: the other goes all the same.
        Assert.Equal(["c"], (await f.Inbox.TakeAsync("p-1", ["a", "d"], None)).Select(s => s.Id));
        Assert.Equal(["c"], (await f.Inbox.TakeAsync("p-1", [], None)).Select(s => s.Id));
    }
}
