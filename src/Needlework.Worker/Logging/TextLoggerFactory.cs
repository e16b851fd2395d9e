using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Needlework.Worker.Logging;

/// <summary>
/// A minimal logger factory writing one line per message to a text writer (stderr for the CLI, the test
/// output in tests), so the worker needs no logging framework beyond the abstractions.
/// </summary>
public sealed class TextLoggerFactory(TextWriter writer, LogLevel minimum, TimeProvider time) : ILoggerFactory
{
    private readonly Lock gate = new();

    public ILogger CreateLogger(string categoryName) => new TextLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
        // Providers are not supported: this factory is its own single sink.
    }

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"[{time.GetUtcNow().UtcDateTime:HH:mm:ss.fff}] {Short(level)} {category}: {message}");
        lock (gate)
        {
            try
            {
                writer.WriteLine(line);
                if (exception is not null)
                {
                    writer.WriteLine(exception.ToString());
                }
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or IOException)
            {
                // The sink is gone (a finished test's output); logging must never break the worker.
            }
        }
    }

    private static string Short(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private sealed class TextLogger(TextLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= factory.MinimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                factory.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }

    private LogLevel MinimumLevel => minimum;
}
