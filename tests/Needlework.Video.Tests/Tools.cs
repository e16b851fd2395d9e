using System.Diagnostics;
using System.Globalization;

namespace Needlework.Video.Tests;

/// <summary>Runs the real tools (ffmpeg, ffprobe) with a time limit; a missing tool fails the test, never skips it.</summary>
internal static class Tools
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"{fileName} did not start (run scripts/setup.sh to install it)");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"{fileName} did not finish within {timeout}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>Frame count (decoded, not from the header) and container duration of a video, by ffprobe.</summary>
    public static async Task<(long Frames, double DurationSeconds)> ProbeAsync(string video)
    {
        var (code, output, error) = await RunAsync("ffprobe",
            ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames:format=duration", "-of", "default=noprint_wrappers=1", video],
            TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"ffprobe failed on {video}: {error}");
        var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1]);
        return (long.Parse(values["nb_read_frames"], CultureInfo.InvariantCulture), double.Parse(values["duration"], CultureInfo.InvariantCulture));
    }

    /// <summary>Presentation times of the video packets in order; an encoder's left-out repeats have none.</summary>
    public static async Task<List<double>> PacketTimesAsync(string video)
    {
        var (code, output, error) = await RunAsync("ffprobe",
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time", "-of", "csv=p=0", video],
            TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"ffprobe failed on {video}: {error}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(time => double.Parse(time.TrimEnd(','), CultureInfo.InvariantCulture))
            .Order()
            .ToList();
    }

    /// <summary>Live descendants of a process, from /proc (zombies count as gone).</summary>
    public static List<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var child) && ReadStat(child) is { } stat && stat.State != 'Z')
            {
                parents[child] = stat.ParentId;
            }
        }

        var result = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var (child, parent) in parents)
            {
                if (parent == current)
                {
                    result.Add(child);
                    frontier.Enqueue(child);
                }
            }
        }

        return result;
    }

    public static bool IsAlive(int pid) => ReadStat(pid) is { } stat && stat.State != 'Z';

    private static (char State, int ParentId)? ReadStat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
