using System.Globalization;

namespace Needlework.Runner;

/// <summary>
/// autoinst-log.txt: one line per event, with a UTC timestamp and the source, flushed at once so a crash
/// loses nothing. Written from several threads.
/// </summary>
public sealed class RunnerLog : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TextWriter _writer;
    private readonly TextWriter? _echo;
    private readonly TimeProvider _time;

    public RunnerLog(string path, TimeProvider time, TextWriter? echo = null)
    {
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        _time = time;
        _echo = echo;
        Writer = new LineWriter(this);
    }

    /// <summary>A TextWriter that logs each line written to it (for QEMU's and ffmpeg's output).</summary>
    public TextWriter Writer { get; }

    public void Write(string source, string message)
    {
        var line = $"[{_time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)}] [{source}] {message}";
        lock (_lock)
        {
            _writer.WriteLine(line);
            _echo?.WriteLine(line);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer.Dispose();
        }
    }

    private sealed class LineWriter(RunnerLog log) : TextWriter
    {
        private readonly System.Text.StringBuilder _line = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_line)
            {
                if (value == '\n')
                {
                    log.Write("output", _line.ToString().TrimEnd('\r'));
                    _line.Clear();
                }
                else
                {
                    _line.Append(value);
                }
            }
        }

        public override void WriteLine(string? value) => log.Write("output", value ?? string.Empty);
    }
}
