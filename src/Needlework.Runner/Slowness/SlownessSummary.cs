using System.Text.Json;
using Needlework.Runner.Results;
using Needlework.Video;

namespace Needlework.Runner.Slowness;

/// <summary>
/// The summary of stats.json, and the statistics of base_state.json when the job was stopped for slowness.
/// Times in milliseconds unless the name ends in S (seconds).
/// </summary>
/// <param name="DurationS">Seconds the monitor ran.</param>
/// <param name="IntervalS">The expected capture interval (SCREENSHOTINTERVAL).</param>
/// <param name="Captures">Capture attempts.</param>
/// <param name="Frames">Captures that gave a frame.</param>
/// <param name="Failures">Captures that failed or timed out.</param>
/// <param name="IntervalMs">Time between successive frames.</param>
/// <param name="LatencyMs">Capture request to frame (or to failure).</param>
/// <param name="BaselineLatencyMs">The job's latency baseline for NEEDLEWORK_SLOWNESS_FACTOR, floored; null before it is measured.</param>
/// <param name="NeedleSearchMs">Time of each needle search (one per check).</param>
/// <param name="PngEncodeMs">PNG encode time of each result screenshot.</param>
/// <param name="ResponseMs">SUT responsiveness: input to visible screen change.</param>
/// <param name="VideoQueueMax">The most frames handed to the video sink and not yet written, as sampled.</param>
/// <param name="Video">The video sink's counters: frames, repeats, drops, queue depth, write cost, encoder CPU.</param>
/// <param name="Warnings">Stall warnings logged (os-autoinst's "we detected a stall").</param>
/// <param name="Category">slow_sut or slow_worker when a limit stopped the job.</param>
/// <param name="Message">The stop message ("too slow: ...") when a limit stopped the job.</param>
public sealed record SlownessSummary(
    double DurationS,
    double IntervalS,
    long Captures,
    long Frames,
    long Failures,
    TimingSummary IntervalMs,
    TimingSummary LatencyMs,
    double? BaselineLatencyMs,
    StallSummary Stalls,
    TimingSummary NeedleSearchMs,
    TimingSummary PngEncodeMs,
    TimingSummary ResponseMs,
    long? VideoQueueMax,
    VideoSinkStatistics? Video,
    HostSummary Host,
    double? MaxStallS,
    double? MaxStalledPercent,
    double WindowS,
    double? Factor,
    long Warnings,
    string? Category,
    string? Message)
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("duration_s", DurationS);
        writer.WriteNumber("interval_s", IntervalS);
        writer.WriteNumber("captures", Captures);
        writer.WriteNumber("frames", Frames);
        writer.WriteNumber("failures", Failures);
        IntervalMs.WriteTo(writer, "interval_ms");
        LatencyMs.WriteTo(writer, "latency_ms");
        writer.Optional("baseline_latency_ms", BaselineLatencyMs);
        Stalls.WriteTo(writer, "stalls");
        NeedleSearchMs.WriteTo(writer, "needle_search_ms");
        PngEncodeMs.WriteTo(writer, "png_encode_ms");
        ResponseMs.WriteTo(writer, "response_ms");
        writer.Optional("video_queue_max", VideoQueueMax);
        if (Video is { } video)
        {
            writer.WriteStartObject("video");
            writer.WriteNumber("frames_written", video.FramesWritten);
            writer.WriteNumber("repeats_written", video.RepeatsWritten);
            writer.WriteNumber("frames_dropped", video.FramesDropped);
            writer.WriteNumber("max_queue_depth", video.MaxQueueDepth);
            writer.WriteNumber("write_time_p50_ms", video.WriteTimeP50Ms);
            writer.WriteNumber("write_time_p95_ms", video.WriteTimeP95Ms);
            writer.WriteNumber("write_time_max_ms", video.WriteTimeMaxMs);
            writer.WriteNumber("bytes_written", video.BytesWritten);
            writer.Optional("encoder_cpu_time", video.EncoderCpuTime);
            writer.Optional("frames_encoded", video.FramesEncoded);
            writer.Optional("encoder_speed", video.EncoderSpeed);
            writer.WriteNumber("video_frames", video.VideoFrames);
            writer.WriteEndObject();
        }

        Host.WriteTo(writer, "host");
        writer.Optional("max_stall_s", MaxStallS);
        writer.Optional("max_stalled_percent", MaxStalledPercent);
        writer.WriteNumber("window_s", WindowS);
        writer.Optional("factor", Factor);
        writer.WriteNumber("warnings", Warnings);
        writer.Optional("category", Category);
        writer.Optional("message", Message);
        writer.WriteEndObject();
    }
}
