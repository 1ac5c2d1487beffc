using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Askel.Testing;

/// <summary>
/// Keeps the latest warnings and errors a component logged (the Durable Task backend's, in a durable test), so that a
/// test that gives up waiting can say what the backend saw: a split brain, an abandoned work item, a storage timeout.
/// </summary>
public sealed class RecentWarnings : ILoggerProvider
{
    private const int Kept = 40;
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>The latest lines, oldest first, or "none".</summary>
    public string Summary => _lines.IsEmpty ? "none" : string.Join(Environment.NewLine, _lines);

    /// <summary>A logger factory that logs only here.</summary>
    public ILoggerFactory Factory() => LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(this));

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void Keep(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > Kept && _lines.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(RecentWarnings provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Keep($"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
            }
        }
    }
}
