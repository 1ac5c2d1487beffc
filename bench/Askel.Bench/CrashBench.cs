using System.Globalization;
using Askel.Testing;

namespace Askel.Bench;

/// <summary>
/// <c>bench/run.sh crash</c>: the crash guarantee at full size. Participants run through a workflow by a worker in a
/// process of its own that is killed with SIGKILL again and again (<see cref="CrashRun"/>), against the same run
/// with no kill; prints what was lost (nothing, or it fails), how many effects ran again, and the time each took.
/// </summary>
internal static class CrashBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var participants = 1000;
        var kills = 20;
        var visibility = CrashRun.Visibility;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--participants" when Arguments.PositiveAfter(args, i, out var n):
                    participants = n;
                    i++;
                    break;
                case "--kills" when Arguments.PositiveAfter(args, i, out var k):
                    kills = k;
                    i++;
                    break;
                case "--visibility" when Arguments.PositiveAfter(args, i, out var s):
                    visibility = TimeSpan.FromSeconds(s);
                    i++;
                    break;
                default:
                    Console.Error.WriteLine("usage: Askel.Bench crash [--participants 1000] [--kills 20] [--visibility 30]");
                    return 2;
            }
        }

        Console.WriteLine(Inv($"Askel.Bench crash: {participants} participants, {kills} kills of the worker, visibility timeout {visibility.TotalSeconds} s, {Environment.ProcessorCount} cores, load {StorageProcess.LoadAverage()}"));
        var baseline = await CrashRun.RunAsync(participants, kills: 0, Console.WriteLine, visibility);
        var crashed = await CrashRun.RunAsync(participants, kills, Console.WriteLine, visibility);
        Console.WriteLine();
        Console.WriteLine(Inv($"{"run",-10} {"kills",6} {"seconds",8} {"effects",8} {"repeated",9} {"not done",9} {"missing",8}"));
        foreach (var (name, run) in new[] { ("no crash", baseline), ("crashes", crashed) })
        {
            Console.WriteLine(Inv($"{name,-10} {run.Kills,6} {run.Elapsed.TotalSeconds,8:0.0} {run.Effects,8} {run.Repeated,9} {run.NotDone.Count,9} {run.EffectsMissing.Count,8}"));
        }

        foreach (var line in crashed.NotDone.Concat(crashed.EffectsMissing).Take(20))
        {
            Console.WriteLine("LOST: " + line);
        }

        Console.WriteLine(Inv($"crashes/no-crash time ratio: {crashed.Elapsed / baseline.Elapsed:0.00}"));
        return crashed.NotDone.Count + crashed.EffectsMissing.Count + baseline.NotDone.Count + baseline.EffectsMissing.Count == 0 ? 0 : 1;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
