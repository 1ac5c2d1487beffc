using Askel.Testing;
using Xunit.Abstractions;

namespace Askel.Runtime.Tests.Guarantees;

/// <summary>
/// Guarantee 1 on the task hub: the worker killed with SIGKILL again and again while instances start, timers fire and
/// events are told loses nothing — every instance ends as it would have without the crashes, every effect is carried
/// out. Repeats are allowed (activities run at least once; the app's sender absorbs them by message id, see
/// RepeatedSendTests). The worker's messages stay hidden 30 s after a fetch (<see cref="CrashRun.Visibility"/> says why
/// not less). The full-size run, 1,000 participants and 20 kills, is <c>bench/run.sh crash</c>.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WorkerKilledFiveTimes_NothingLost_EveryInstanceEndsAsWithoutTheCrashes()
    {
        var report = await CrashRun.RunAsync(participants: 60, kills: 5, output.WriteLine);

        output.WriteLine($"{report.Effects} effects ({report.Repeated} repeated) in {report.Elapsed.TotalSeconds:0.0} s");
        Assert.Empty(report.NotDone);
        Assert.Empty(report.EffectsMissing);
    }
}
