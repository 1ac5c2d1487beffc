using System.Diagnostics;

namespace Askel.Testing;

/// <summary>A real <c>askel</c> process started the way the Functions host or a developer starts it.</summary>
public sealed class AskelProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<string> _running = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AskelProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.Exited += (_, _) => _running.TrySetException(new InvalidOperationException("askel exited: " + string.Join('\n', Output)));
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything it printed so far.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    /// <summary>Starts <paramref name="executable"/> (a path to <c>askel</c> or <c>askel.dll</c>) in <paramref name="workingDirectory"/>.</summary>
    public static AskelProcess Start(string executable, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = executable.EndsWith(".dll", StringComparison.Ordinal)
            ? new ProcessStartInfo("dotnet") { ArgumentList = { executable } }
            : new ProcessStartInfo(executable);
        start.WorkingDirectory = workingDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.Start();
        return new AskelProcess(process);
    }

    /// <summary>Waits for the line that says Askel is listening (bounded, so a hang fails the test).</summary>
    public Task<string> RunningAsync() => _running.Task.WaitAsync(TimeSpan.FromSeconds(60));

    /// <summary>Raised for every line it prints (on the reader's thread).</summary>
    public event Action<string>? LineReceived;

    /// <summary>Waits for the process to end by itself and returns its exit code (bounded).</summary>
    public async Task<int> ExitCodeAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        LineReceived?.Invoke(line);

        if (line.Contains("Askel is running at", StringComparison.Ordinal))
        {
            _running.TrySetResult(line);
        }
    }
}
