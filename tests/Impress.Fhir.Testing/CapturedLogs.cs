using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Impress.Fhir.Testing;

/// <summary>
/// A log provider that keeps every line a server logs, at every level, with its exception: what a test scans for
/// patient data that must never reach a log.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    /// <summary>The lines holding any of <paramref name="secrets"/> (names, national ids), with the secret found.</summary>
    public IReadOnlyList<string> Containing(IEnumerable<string> secrets)
    {
        var all = secrets.Where(s => s.Length > 0).ToList();
        return [.. _lines.SelectMany(line => all.Where(secret => line.Contains(secret, StringComparison.OrdinalIgnoreCase)).Select(secret => $"'{secret}' in: {line}"))];
    }

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The message, every structured value, and the exception with its message: whatever any sink could write.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {values} | {exception}");
        }
    }
}
