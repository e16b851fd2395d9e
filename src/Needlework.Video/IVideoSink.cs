using Needlework.Imaging.Frames;

namespace Needlework.Video;

/// <summary>
/// Where the capture loop sends one frame per capture interval. Adding never blocks and never
/// throws for encoder trouble: a sink that cannot keep up or has lost its encoder drops frames,
/// counts them and reports why at the end. Meant for a single producer (the capture loop).
/// </summary>
public interface IVideoSink : IAsyncDisposable, IDisposable
{
    /// <summary>
    /// Queues a new screen. The sink keeps a reference to <paramref name="frame"/> (no copy) until it
    /// has been written, so the caller must not write into it afterwards.
    /// </summary>
    void AddFrame(Frame frame);

    /// <summary>Queues an unchanged screen: the last frame is written again.</summary>
    void AddRepeat();

    /// <summary>Why the video is incomplete or missing, once something went wrong; null while all is well.</summary>
    string? FailureReason { get; }

    /// <summary>A snapshot of the counters so far.</summary>
    VideoSinkStatistics GetStatistics();

    /// <summary>
    /// Writes what is queued, lets the encoder finish the file within bounded waits, kills it when it
    /// does not, and reports the outcome. Calling it again returns the same outcome.
    /// </summary>
    Task<VideoSinkResult> CompleteAsync(CancellationToken cancellationToken);
}
