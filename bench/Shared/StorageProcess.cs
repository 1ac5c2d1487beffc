using System.Diagnostics;
using System.Globalization;

namespace Askel.Bench;

/// <summary>The Azurite (node) process this benchmark started, to measure its CPU; found among this process's children.</summary>
/// <remarks>Linked into both benchmark programs, so they measure Azurite the same way.</remarks>
internal static class StorageProcess
{
    public static Process? Find()
    {
        foreach (var process in Process.GetProcessesByName("node"))
        {
            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."
                var stat = File.ReadAllText($"/proc/{process.Id}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == Environment.ProcessId)
                {
                    return process;
                }
            }
            catch (IOException)
            {
            }
        }

        return null;
    }

    /// <summary>The 1-, 5- and 15-minute load averages (Linux), or n/a.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    public static TimeSpan Cpu(Process? process)
    {
        if (process is null)
        {
            return default;
        }

        process.Refresh();
        return process.TotalProcessorTime;
    }
}
