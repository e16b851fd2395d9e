using System.Globalization;

namespace Needlework.Video;

/// <summary>The program and arguments a <see cref="VideoEncoder"/> starts; kept apart so it is tested without a process.</summary>
/// <param name="FileName">The program.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Timestamped">
/// True when the encoder reads <see cref="TimestampedPpmStream"/>: frames with their times, so an unchanged frame
/// is not sent again but shown longer. False for a plain stream of PPM images, one per frame, repeats included.
/// </param>
public sealed record EncoderCommand(string FileName, IReadOnlyList<string> Arguments, bool Timestamped = false)
{
    /// <summary>The command as one line, for the log.</summary>
    public override string ToString() => string.Join(' ', Arguments.Prepend(FileName).Select(QuoteForDisplay));

    /// <summary>Builds the encoder command for the given options.</summary>
    public static EncoderCommand For(VideoEncoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> command = [];
        if (options.Niceness != 0)
        {
            // nice execs the encoder, so the PID we watch and kill is the encoder's own.
            command.AddRange(["nice", "-n", options.Niceness.ToString(CultureInfo.InvariantCulture)]);
        }

        // An external command reads what os-autoinst gives it, a plain PPM stream. Theora in Ogg cannot show a frame
        // longer than its frame rate says, so Theora gets every repeat too.
        var timestamped = options.ExternalCommand is null && options.Codec != VideoCodec.Theora;
        if (options.ExternalCommand is { } external)
        {
            command.AddRange(["/bin/sh", "-c", ExpandExternal(external, options.OutputPath)]);
        }
        else
        {
            command.Add(options.FfmpegPath);
            command.AddRange(FfmpegArguments(options, timestamped));
        }

        return new EncoderCommand(command[0], command[1..], timestamped);
    }

    /// <summary>
    /// os-autoinst's rule for EXTERNAL_VIDEO_ENCODER_CMD: the placeholder is replaced as it is, otherwise
    /// the output path is appended in single quotes.
    /// </summary>
    internal static string ExpandExternal(string command, string outputPath) =>
        command.Contains(VideoEncoderOptions.OutputFilePlaceholder, StringComparison.Ordinal)
            ? command.Replace(VideoEncoderOptions.OutputFilePlaceholder, outputPath, StringComparison.Ordinal)
            : $"{command} {ShellQuote(outputPath)}";

    internal static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static List<string> FfmpegArguments(VideoEncoderOptions options, bool timestamped)
    {
        List<string> args =
        [
            "-y", "-hide_banner", "-nostdin",
            "-stats_period", options.ProgressPeriod.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
        ];
        args.AddRange(timestamped
            // PPM frames with their times on stdin; each is encoded once and shown until the next (a time-lapse at
            // the video rate, an unchanged screen one long frame), so the video keeps the times it was given.
            ? ["-f", "matroska", "-vcodec", "ppm", "-i", "-", "-fps_mode", "passthrough"]
            // PPM frames on stdin, each lasting one frame at the video rate (a time-lapse).
            : ["-f", "image2pipe", "-vcodec", "ppm", "-framerate", options.FramesPerSecond.ToString(CultureInfo.InvariantCulture), "-i", "-"]);
        args.AddRange(options.Codec switch
        {
            // Constrained quality: crf with a bitrate cap, realtime so a 2-core worker keeps up. No look-ahead:
            // realtime makes no use of it, and its 25 frame buffers make libvpx zero about 55 MB at start.
            // VP9's screen-content tuning: a quarter smaller on the GRUB example's frames, at the same CPU. One
            // thread: 7% less CPU than two, and still about 90 wholly new 1024x768 frames a second, 45 times
            // the capture rate, while the other core stays with the SUT.
            VideoCodec.Vp9 => ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "5", "-crf", "35", "-b:v", "1500k", "-threads", "1", "-lag-in-frames", "0", "-tune-content", "screen"],
            VideoCodec.Vp8 => ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "5", "-crf", "30", "-b:v", "1500k", "-lag-in-frames", "0"],
            VideoCodec.Theora => ["-c:v", "libtheora", "-q:v", "7"],
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Codec, "unknown video codec"),
        });
        args.AddRange(["-pix_fmt", "yuv420p", options.OutputPath]);
        return args;
    }

    private static string QuoteForDisplay(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or '%')
            ? argument
            : ShellQuote(argument);
}
