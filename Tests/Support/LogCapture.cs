using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>A logger provider that keeps every line written through it (all levels), for asserting on what reaches the log.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLine> _lines = new();

    public IReadOnlyList<CapturedLine> Lines => [.. _lines];

    public IEnumerable<CapturedLine> In(string category) => Lines.Where(l => l.Category == category);

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    internal sealed record CapturedLine(string Category, LogLevel Level, EventId EventId, string Message);

    private sealed class CapturingLogger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue(new CapturedLine(category, logLevel, eventId, formatter(state, exception)));
    }
}
