using System.Globalization;

namespace Needlework.Video;

/// <summary>
/// Reads ffmpeg's progress lines from its stderr. Pure, so it is tested on captured text; anything
/// that is not a progress line is left to the log.
/// </summary>
public static class FfmpegProgressParser
{
    public static bool TryParse(ReadOnlySpan<char> line, out FfmpegProgress? progress)
    {
        progress = null;
        line = line.Trim();
        if (!line.StartsWith("frame=", StringComparison.Ordinal))
        {
            return false;
        }

        long? frame = null;
        double? fps = null;
        double? speed = null;
        TimeSpan? time = null;
        var isFinal = false;

        // Fields are "key=value" with padding spaces after '=' ("fps= 24"), so read key, skip blanks, read value.
        var rest = line;
        while (!rest.IsEmpty)
        {
            var eq = rest.IndexOf('=');
            if (eq <= 0)
            {
                break;
            }

            var key = rest[..eq].Trim();
            rest = rest[(eq + 1)..].TrimStart();
            var end = rest.IndexOf(' ');
            var value = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[end..].TrimStart();

            switch (key)
            {
                case "frame":
                    if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var f))
                    {
                        frame = f;
                    }

                    break;
                case "fps":
                    fps = ParseDouble(value);
                    break;
                case "time":
                    time = ParseTime(value);
                    break;
                case "speed":
                    speed = value.EndsWith('x') ? ParseDouble(value[..^1]) : null;
                    break;
                case "Lsize":
                    isFinal = true;
                    break;
                default:
                    break;
            }
        }

        if (frame is null)
        {
            return false;
        }

        progress = new FfmpegProgress(frame.Value, fps, time, speed, isFinal);
        return true;
    }

    private static double? ParseDouble(ReadOnlySpan<char> value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>"HH:MM:SS.cc", possibly negative at start-up ("-577014:32:22.77"), or "N/A".</summary>
    private static TimeSpan? ParseTime(ReadOnlySpan<char> value)
    {
        if (value.StartsWith('-'))
        {
            return null;
        }

        Span<Range> parts = stackalloc Range[4];
        if (value.Split(parts, ':') != 3
            || !int.TryParse(value[parts[0]], NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(value[parts[1]], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || !double.TryParse(value[parts[2]], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        return TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(minutes) + TimeSpan.FromSeconds(seconds);
    }
}
