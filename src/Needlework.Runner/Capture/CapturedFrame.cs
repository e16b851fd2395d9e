using Needlework.Imaging.Frames;

namespace Needlework.Runner.Capture;

/// <summary>One screen as captured: its number in the capture sequence (the video frame number) and when it was taken.</summary>
/// <param name="Timestamp">Monotonic time of the capture, from <see cref="TimeProvider.GetTimestamp"/>.</param>
public sealed record CapturedFrame(Frame Frame, long Number, long Timestamp, DateTimeOffset WallClock);
