using Needlework.Imaging.Frames;

namespace Needlework.Runner.Backends.Qemu;

/// <summary>
/// The last two screendumps QEMU wrote, each with the frame made of it. A dump equal to one of them gives that
/// frame again: an unchanged screen, or one that blinks between two states (a text cursor), costs no parsing and no
/// new frame of 2.4 MB to fill. Frames are never written into once captured, so the same one can be handed out
/// again. Not thread-safe: the backend uses it under its capture lock.
/// </summary>
internal sealed class ScreendumpCache
{
    private byte[] _buffer = [];
    private Slot _newer = new();
    private Slot _older = new();

    /// <summary>The buffer the next dump is read into, at least <paramref name="length"/> bytes long.</summary>
    public byte[] BufferFor(int length)
    {
        if (_buffer.Length < length)
        {
            _buffer = new byte[length];
        }

        return _buffer;
    }

    /// <summary>
    /// The frame of the dump in the first <paramref name="length"/> bytes of <see cref="BufferFor"/>'s buffer,
    /// scaled or padded to <paramref name="width"/> x <paramref name="height"/>: the one made before when the dump
    /// equals one of the last two, else a new one, which then takes the older one's place.
    /// </summary>
    /// <exception cref="PpmFormatException">A new dump is not a well-formed PPM image (named by <paramref name="source"/>).</exception>
    public Frame FrameOf(int length, string source, int width, int height, out int screenWidth, out int screenHeight)
    {
        var dump = _buffer.AsSpan(0, length);
        if (!_newer.Holds(dump))
        {
            if (!_older.Holds(dump))
            {
                return FrameOfNewDump(dump, source, width, height, out screenWidth, out screenHeight);
            }

            (_newer, _older) = (_older, _newer);
        }

        (screenWidth, screenHeight) = (_newer.ScreenWidth, _newer.ScreenHeight);
        return _newer.Frame!;
    }

    private Frame FrameOfNewDump(ReadOnlySpan<byte> dump, string source, int width, int height, out int screenWidth, out int screenHeight)
    {
        var frame = Ppm.ReadFitted(dump, source, width, height, out screenWidth, out screenHeight);

        // The dump's buffer stays with its frame; the next dump is read into the older one's buffer.
        var replaced = _older;
        (replaced.Bytes, _buffer) = (_buffer, replaced.Bytes);
        (replaced.Length, replaced.Frame, replaced.ScreenWidth, replaced.ScreenHeight) = (dump.Length, frame, screenWidth, screenHeight);
        (_newer, _older) = (replaced, _newer);
        return frame;
    }

    /// <summary>A screendump as QEMU wrote it, and the frame made of it.</summary>
    private sealed class Slot
    {
        public byte[] Bytes = [];
        public int Length;
        public Frame? Frame;
        public int ScreenWidth;
        public int ScreenHeight;

        public bool Holds(ReadOnlySpan<byte> dump) => Frame is not null && dump.SequenceEqual(Bytes.AsSpan(0, Length));
    }
}
