using Needlework.Imaging.Frames;

namespace Needlework.Video;

/// <summary>The sink for NOVIDEO: takes frames and does nothing, so the capture loop needs no special case.</summary>
public sealed class NoVideoSink : IVideoSink
{
    private static readonly Task<VideoSinkResult> Completed =
        Task.FromResult(new VideoSinkResult(null, null, VideoMissing: false, ErrorReason: null, ExitCode: null, VideoSinkStatistics.Empty));

    public string? FailureReason => null;

    public void AddFrame(Frame frame)
    {
    }

    public void AddRepeat()
    {
    }

    public VideoSinkStatistics GetStatistics() => VideoSinkStatistics.Empty;

    public Task<VideoSinkResult> CompleteAsync(CancellationToken cancellationToken) => Completed;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public void Dispose()
    {
    }
}
