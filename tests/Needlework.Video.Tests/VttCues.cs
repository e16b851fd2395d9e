using System.Globalization;
using System.Text.RegularExpressions;

namespace Needlework.Video.Tests;

/// <summary>Reads back a video_time.vtt: frame number, video start and end, wall-clock text.</summary>
internal static partial class VttCues
{
    public static List<(long Frame, TimeSpan Start, TimeSpan End, DateTime WallClock)> Read(string path)
    {
        var text = File.ReadAllText(path);
        Assert.StartsWith("WEBVTT\n", text, StringComparison.Ordinal);
        return CuePattern().Matches(text)
            .Select(m => (
                long.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture),
                TimeSpan.ParseExact(m.Groups["start"].Value, @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture),
                TimeSpan.ParseExact(m.Groups["end"].Value, @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture),
                DateTime.ParseExact(m.Groups["wall"].Value, "yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture)))
            .ToList();
    }

    [GeneratedRegex(@"(?<=\n\n)(?<n>\d+)\n(?<start>\d\d:\d\d:\d\d\.\d\d\d) --> (?<end>\d\d:\d\d:\d\d\.\d\d\d)\n\[(?<wall>[^\]\n]+)\]\n")]
    private static partial Regex CuePattern();
}
