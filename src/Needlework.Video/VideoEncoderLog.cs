using Microsoft.Extensions.Logging;

namespace Needlework.Video;

internal static partial class VideoEncoderLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Video encoder started (pid {Pid}, pipe of {PipeBytes} bytes): {Command}")]
    public static partial void Started(ILogger logger, int pid, int pipeBytes, EncoderCommand command);

    [LoggerMessage(Level = LogLevel.Error, Message = "Video encoder could not start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video: {Reason}")]
    public static partial void Failed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video queue is full ({Capacity} frames): dropping frames until the encoder catches up")]
    public static partial void QueueFull(ILogger logger, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Killing the video encoder (pid {Pid}) and its children")]
    public static partial void Killing(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Video encoder finished with code {ExitCode}: {Frames} frames ({Repeats} repeats), {Dropped} dropped, encoder CPU {CpuSeconds:F2} s")]
    public static partial void Finished(ILogger logger, int? exitCode, long frames, long repeats, long dropped, double cpuSeconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Video encoder: {Line}")]
    public static partial void Output(ILogger logger, string line);
}
