using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Helpdesk.Web.Tests.Fixtures;

/// <summary>Every log line an app writes, with its level and category, for tests about what is (not) logged.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();
    public ILogger CreateLogger(string category) => new Logger(this, category);
    public void Dispose() { }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel level) => true;
        public void Log<TState>(LogLevel level, EventId id, TState state, Exception? e, Func<TState, Exception?, string> format) =>
            owner.Lines.Enqueue($"{level} {category}: {format(state, e)} {e}");
    }
}
