using System.Globalization;
using System.Text;

namespace Needlework.Video;

/// <summary>
/// Writes <c>video_time.vtt</c> as os-autoinst does: a WebVTT file with one cue per video frame, the
/// frame number as cue identifier, 1/fps seconds of video time, and the capture's local wall-clock
/// time as text ("[2024-05-01T10:11:12.345]"). Each cue is flushed, so after a crash the file is
/// valid up to the last frame written.
/// </summary>
public sealed class VideoTimeline : IDisposable
{
    private readonly FileStream _file;
    private readonly int _framesPerSecond;
    private readonly TimeZoneInfo _timeZone;
    private readonly byte[] _buffer = new byte[256];

    private VideoTimeline(FileStream file, int framesPerSecond, TimeZoneInfo timeZone)
    {
        _file = file;
        _framesPerSecond = framesPerSecond;
        _timeZone = timeZone;
    }

    public string Path => _file.Name;

    /// <summary>Creates (or truncates) the file and writes the WebVTT header.</summary>
    public static VideoTimeline Create(string path, int framesPerSecond, TimeZoneInfo timeZone)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(framesPerSecond, 1);
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        var timeline = new VideoTimeline(file, framesPerSecond, timeZone);
        timeline.WriteAscii("WEBVTT\n");
        return timeline;
    }

    /// <summary>Appends the cue of video frame <paramref name="frameNumber"/> (from 0), captured at <paramref name="capturedAt"/>.</summary>
    public void Append(long frameNumber, DateTimeOffset capturedAt) =>
        WriteAscii(FormatCue(frameNumber, TimeZoneInfo.ConvertTime(capturedAt, _timeZone), _framesPerSecond));

    public void Dispose() => _file.Dispose();

    /// <summary>
    /// One cue: a blank line, the frame number, "start --> end" in video time, and the wall-clock time.
    /// Milliseconds are truncated, as os-autoinst's integer arithmetic does.
    /// </summary>
    internal static string FormatCue(long frameNumber, DateTimeOffset wallClock, int framesPerSecond)
    {
        var startMs = frameNumber * 1000 / framesPerSecond;
        var endMs = (frameNumber + 1) * 1000 / framesPerSecond;
        var wall = wallClock.DateTime;
        return string.Create(CultureInfo.InvariantCulture,
            $"\n{frameNumber}\n{VideoTime(startMs)} --> {VideoTime(endMs)}\n[{wall:yyyy-MM-dd'T'HH:mm:ss.fff}]\n");
    }

    private static string VideoTime(long ms) =>
        string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00}.{ms % 1000:000}");

    private void WriteAscii(string text)
    {
        // Unbuffered stream: one write per cue reaches the OS at once.
        var length = Encoding.ASCII.GetBytes(text, _buffer);
        _file.Write(_buffer, 0, length);
    }
}
