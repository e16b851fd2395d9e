using System.Globalization;

namespace Needlework.Worker.Jobs;

/// <summary>worker-log.txt in the pool directory: what the worker did for this job and what the runner printed; uploaded at the end.</summary>
public sealed class JobLog(string path, TimeProvider time) : IDisposable
{
    public const string FileName = "worker-log.txt";
    private readonly StreamWriter writer = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    private readonly Lock gate = new();
    private bool closed;

    public void Write(string line)
    {
        lock (gate)
        {
            if (!closed)
            {
                writer.WriteLine($"[{time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}] {line}");
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            closed = true;
            writer.Dispose();
        }
    }
}
