using Needlework.Imaging.Frames;

namespace Needlework.Video;

/// <summary>
/// An entry of the encoder queue: a frame to write, or null for a repeat of the last one. A class: a queue of a
/// value type is generic code that cannot be precompiled, and two small objects a second cost less than its JIT.
/// </summary>
internal sealed record QueuedFrame(Frame? Frame, DateTimeOffset CapturedAt);
