using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ReuseQueue.IntegrationTests.Infrastructure;

/// <summary>Sends log lines to the test's output, so a failing test shows what the autoscaler did.</summary>
public sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
{
    private readonly DateTime _start = DateTime.UtcNow;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(TestOutputLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                var elapsed = (DateTime.UtcNow - provider._start).TotalSeconds;
                provider.Output.WriteLine($"{elapsed,6:0.00}s {logLevel,-11} {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}");
            }
            catch (InvalidOperationException)
            {
                // The test already finished; its output is closed.
            }
        }
    }

    private ITestOutputHelper Output { get; } = output;
}
