using System.Globalization;

namespace Needlework.Worker.Health;

/// <summary>
/// Reads load averages, CPU steal and memory from /proc. Steal is a share of the CPU time that passed
/// since the previous reading (the kernel's counters only ever grow), so the first reading is since boot.
/// </summary>
public sealed class HostStatistics(string procRoot, TimeProvider time)
{
    private readonly Lock gate = new();
    private (long Steal, long Total)? previous;

    public HostSnapshot Read()
    {
        var load = ReadLoad();
        return new HostSnapshot(
            load?[0], load?[1], load?[2],
            ReadSteal(),
            Environment.ProcessorCount,
            ReadMemory("MemTotal:"),
            ReadMemory("MemAvailable:"),
            time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// openQA's check: a load average above the threshold makes the worker unfit for new jobs, unless the
    /// load is already falling (the 1-minute figure below the 15-minute one means the host is recovering).
    /// </summary>
    public static string? OverloadReason(HostSnapshot snapshot, double threshold)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Load1 is not { } l1 || threshold <= 0)
        {
            return null;
        }

        var highest = Math.Max(l1, Math.Max(snapshot.Load5 ?? 0, snapshot.Load15 ?? 0));
        var falling = snapshot.Load15 is { } l15 && l1 < l15;
        return highest > threshold && !falling
            ? string.Create(CultureInfo.InvariantCulture, $"critical load: the load average ({l1:0.##} {snapshot.Load5:0.##} {snapshot.Load15:0.##}) is exceeding the configured threshold of {threshold:0.##} (CRITICAL_LOAD_AVG_THRESHOLD)")
            : null;
    }

    private double[]? ReadLoad()
    {
        var text = ReadFile("loadavg");
        var parts = text?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is not { Length: >= 3 })
        {
            return null;
        }

        var values = new double[3];
        for (var i = 0; i < 3; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                return null;
            }
        }

        return values;
    }

    private double? ReadSteal()
    {
        var line = ReadFile("stat")?.Split('\n').FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.TryParse(f, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0).ToArray();
        if (fields.Length < 8)
        {
            return null;
        }

        // user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user/nice]
        var total = fields.Take(8).Sum();
        var steal = fields[7];
        lock (gate)
        {
            var (stealDelta, totalDelta) = previous is { } p && total > p.Total ? (steal - p.Steal, total - p.Total) : (steal, total);
            previous = (steal, total);
            return totalDelta <= 0 ? 0 : Math.Round(100.0 * stealDelta / totalDelta, 2);
        }
    }

    private long? ReadMemory(string key)
    {
        var line = ReadFile("meminfo")?.Split('\n').FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        var number = line?[key.Length..].Trim().Split(' ')[0];
        return long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kib) ? kib : null;
    }

    private string? ReadFile(string name)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procRoot, name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
