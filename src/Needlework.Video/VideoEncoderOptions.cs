namespace Needlework.Video;

/// <summary>How a <see cref="VideoEncoder"/> runs its encoder and where it writes.</summary>
public sealed record VideoEncoderOptions
{
    /// <summary>os-autoinst's placeholder in EXTERNAL_VIDEO_ENCODER_CMD for the output file.</summary>
    public const string OutputFilePlaceholder = "%OUTPUT_FILE_NAME%";

    /// <summary>The video file, e.g. <c>video.webm</c> or <c>video.ogv</c> in the pool directory.</summary>
    public required string OutputPath { get; init; }

    /// <summary>The frame-to-wall-clock map (<c>video_time.vtt</c>); null writes none.</summary>
    public string? TimelinePath { get; init; }

    public VideoCodec Codec { get; init; } = VideoCodec.Vp9;

    /// <summary>
    /// A shell command line reading PPM frames on stdin, like os-autoinst's EXTERNAL_VIDEO_ENCODER_CMD:
    /// <see cref="OutputFilePlaceholder"/> is replaced by the output path, otherwise the quoted path is
    /// appended. When set, <see cref="Codec"/> and <see cref="FfmpegPath"/> are not used.
    /// </summary>
    public string? ExternalCommand { get; init; }

    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>Video frames per second: each captured frame lasts 1/24 s, a time-lapse as in os-autoinst.</summary>
    public int FramesPerSecond { get; init; } = 24;

    /// <summary>Frames waiting for the encoder; past this, new frames are dropped instead of blocking capture.</summary>
    public int QueueCapacity { get; init; } = 32;

    /// <summary>The encoder runs under <c>nice -n</c> this value (0: not at all), so it yields to the SUT.</summary>
    public int Niceness { get; init; } = 10;

    /// <summary>How often ffmpeg prints a progress line.</summary>
    public TimeSpan ProgressPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long completion waits for queued frames to reach the encoder.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long completion waits for the encoder to exit after its input is closed, before killing it.</summary>
    public TimeSpan ExitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Receives every line the encoder prints (e.g. autoinst-log.txt). Written from a background task:
    /// pass a <see cref="TextWriter.Synchronized"/> writer when others write to it too.
    /// </summary>
    public TextWriter? EncoderLog { get; init; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(FramesPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(DrainTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(ExitTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ProgressPeriod, TimeSpan.Zero);
        if (ExternalCommand is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(ExternalCommand);
        }
    }
}
