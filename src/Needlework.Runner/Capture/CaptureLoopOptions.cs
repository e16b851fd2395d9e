namespace Needlework.Runner.Capture;

public sealed record CaptureLoopOptions
{
    /// <summary>SCREENSHOTINTERVAL: one frame this often (os-autoinst's default 0.5 s).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>How long one capture may take before the tick counts as failed (the SUT or worker is too slow to answer).</summary>
    public TimeSpan CaptureTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
