using Microsoft.Extensions.Logging;

namespace Voting.Server.Tests.Infrastructure;

/// <summary>
/// Keeps the host's error logs (with their exceptions) so a test that sees a 500 can say why:
/// xunit does not show the host's console.
/// </summary>
public sealed class ErrorLog : ILoggerProvider
{
    private readonly List<string> _entries = [];

    public IReadOnlyList<string> Entries
    {
        get
        {
            lock (_entries) return [.. _entries];
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ErrorLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            lock (log._entries) log._entries.Add($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
