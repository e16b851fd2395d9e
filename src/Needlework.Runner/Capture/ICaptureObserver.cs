namespace Needlework.Runner.Capture;

/// <summary>Told about every capture tick, on the capture thread: must return at once (statistics, stall detection).</summary>
public interface ICaptureObserver
{
    /// <param name="frame">The frame taken, or null when the capture failed or timed out.</param>
    /// <param name="scheduled">Monotonic time the tick was due.</param>
    /// <param name="started">Monotonic time the capture was requested.</param>
    /// <param name="finished">Monotonic time the frame arrived (or the attempt ended).</param>
    /// <param name="changed">True when the frame differs from the previous one enough to be a new video frame.</param>
    void OnCapture(CapturedFrame? frame, long scheduled, long started, long finished, bool changed);
}
