using Microsoft.Extensions.Logging;

namespace ReuseQueue.Autoscaler.Tests;

/// <summary>A logger that keeps every entry in memory, so tests can assert which events were logged.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly List<(EventId EventId, LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(EventId EventId, LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Returns the ids of the logged events, in order.</summary>
    public IReadOnlyList<int> EventIds => Entries.Select(entry => entry.EventId.Id).ToList();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add((eventId, logLevel, formatter(state, exception)));
        }
    }
}
