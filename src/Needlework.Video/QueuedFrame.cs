using Needlework.Imaging.Frames;

namespace Needlework.Video;

/// <summary>An entry of the encoder queue: a frame to write, or null for a repeat of the last one.</summary>
internal readonly record struct QueuedFrame(Frame? Frame, DateTimeOffset CapturedAt);
