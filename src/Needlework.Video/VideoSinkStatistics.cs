namespace Needlework.Video;

/// <summary>
/// Counters of a video sink. <see cref="FramesWritten"/> + <see cref="RepeatsWritten"/> is the number
/// of frames in the video; <see cref="FramesEncoded"/> lagging far behind it means a slow encoder.
/// </summary>
/// <param name="FramesWritten">New frames written to the encoder.</param>
/// <param name="RepeatsWritten">
/// Unchanged frames put in the video: written again to a plain PPM stream, or, when the encoder takes timestamps,
/// the frame before them shown longer (nothing is written for them).
/// </param>
/// <param name="FramesDropped">Frames and repeats that never reached the encoder (queue full, encoder gone).</param>
/// <param name="MaxQueueDepth">The most frames ever waiting in the queue.</param>
/// <param name="WriteTimeP50Ms">
/// Median time to write one PPM into the encoder's pipe. The pipe is made to hold a whole frame where the
/// system allows (4 MiB; 1 MiB for an unprivileged user by default), so this is the copy, plus any wait for
/// an encoder that has fallen a pipe's worth behind: it rises with encoder back-pressure.
/// </param>
/// <param name="WriteTimeP95Ms">95th percentile of the same.</param>
/// <param name="WriteTimeMaxMs">Longest single write.</param>
/// <param name="BytesWritten">Bytes written into the encoder's pipe: PPM images, their headers and any timestamp envelope.</param>
/// <param name="EncoderCpuTime">User + system CPU of the encoder process (from /proc), last sample before it exited.</param>
/// <param name="FramesEncoded">
/// Frames the encoder reported done in its last progress line. When it takes timestamps, repeats are no frames
/// of their own: it is then compared with <see cref="FramesWritten"/>.
/// </param>
/// <param name="EncoderSpeed">The encoder's last reported speed relative to real time at the video's frame rate.</param>
public sealed record VideoSinkStatistics(
    long FramesWritten,
    long RepeatsWritten,
    long FramesDropped,
    int MaxQueueDepth,
    double WriteTimeP50Ms,
    double WriteTimeP95Ms,
    double WriteTimeMaxMs,
    long BytesWritten,
    TimeSpan? EncoderCpuTime,
    long? FramesEncoded,
    double? EncoderSpeed)
{
    public static VideoSinkStatistics Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, null, null, null);

    /// <summary>Frames in the video: new ones and repeats.</summary>
    public long VideoFrames => FramesWritten + RepeatsWritten;
}
