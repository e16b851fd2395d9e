using System.Globalization;
using Needlework.Imaging.Frames;

namespace Needlework.Runner.Results;

/// <summary>A screen to record, with its place in the video (24 fps, one capture per frame).</summary>
public sealed record CapturedFrameInfo(Frame Frame, long? VideoFrame)
{
    public IReadOnlyList<string>? FrameTime =>
        VideoFrame is { } n
            ? [(n / 24.0).ToString("F2", CultureInfo.InvariantCulture), ((n + 1) / 24.0).ToString("F2", CultureInfo.InvariantCulture)]
            : null;
}
