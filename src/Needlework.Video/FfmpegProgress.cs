namespace Needlework.Video;

/// <summary>One ffmpeg progress line ("frame=  48 fps= 24 ... time=00:00:02.00 ... speed=1.98x").</summary>
/// <param name="Frame">Frames encoded so far.</param>
/// <param name="FramesPerSecond">Encoding rate in frames per wall-clock second, when reported.</param>
/// <param name="Time">Video time encoded so far, when reported.</param>
/// <param name="Speed">Video time per wall-clock time, when reported.</param>
/// <param name="IsFinal">The summary line ffmpeg prints when it is done ("Lsize=").</param>
public sealed record FfmpegProgress(long Frame, double? FramesPerSecond, TimeSpan? Time, double? Speed, bool IsFinal);
