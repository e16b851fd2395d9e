using System.Globalization;
using System.Text;

namespace Needlework.Imaging.Frames;

/// <summary>
/// Binary PPM (P6, maxval 255): the frame format fed to the video encoder and written by QEMU's
/// screendump. Writing is a header plus one copy of the frame buffer; reading is strict.
/// </summary>
public static class Ppm
{
    /// <summary>Longest header this writer produces: "P6\n" + two 10-digit numbers + "\n255\n".</summary>
    public const int MaxHeaderLength = 32;

    /// <summary>Writes the P6 header for a frame of the given size into <paramref name="destination"/>, returning its length.</summary>
    public static int WriteHeader(int width, int height, Span<byte> destination)
    {
        // Plain ASCII digits: no culture, no allocation.
        var written = 0;
        written += Ascii("P6\n", destination[written..]);
        width.TryFormat(destination[written..], out var n, default, CultureInfo.InvariantCulture);
        written += n;
        destination[written++] = (byte)' ';
        height.TryFormat(destination[written..], out n, default, CultureInfo.InvariantCulture);
        written += n;
        written += Ascii("\n255\n", destination[written..]);
        return written;
    }

    /// <summary>Writes a whole frame as PPM: one header write and one pixel write.</summary>
    public static void Write(Frame frame, Stream destination)
    {
        Span<byte> header = stackalloc byte[MaxHeaderLength];
        var length = WriteHeader(frame.Width, frame.Height, header);
        destination.Write(header[..length]);
        destination.Write(frame.ReadOnlyPixels);
    }

    public static byte[] Encode(Frame frame)
    {
        Span<byte> header = stackalloc byte[MaxHeaderLength];
        var length = WriteHeader(frame.Width, frame.Height, header);
        var result = new byte[length + frame.ReadOnlyPixels.Length];
        header[..length].CopyTo(result);
        frame.ReadOnlyPixels.CopyTo(result.AsSpan(length));
        return result;
    }

    public static void WriteFile(Frame frame, string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        Write(frame, stream);
    }

    public static Frame ReadFile(string path) => Read(File.ReadAllBytes(path), path);

    /// <summary>
    /// Parses a complete P6 image. Anything but exactly one well-formed image with maxval 255 is a
    /// <see cref="PpmFormatException"/> naming <paramref name="source"/>, the fault and its byte offset.
    /// </summary>
    public static Frame Read(ReadOnlySpan<byte> data, string source)
    {
        var (width, height, pixelStart) = ParseHeader(data, source);
        return Copy(data[pixelStart..], width, height);
    }

    /// <summary>
    /// <see cref="Read"/> and <see cref="FrameScaler.FitTo"/> in one: a screen smaller than
    /// <paramref name="width"/> x <paramref name="height"/> is copied straight into the padded frame, without
    /// a frame of its own size first (a capture every half second: 2.4 MB less to allocate and copy each time).
    /// The screen's own size comes back in <paramref name="screenWidth"/> and <paramref name="screenHeight"/>.
    /// </summary>
    public static Frame ReadFitted(ReadOnlySpan<byte> data, string source, int width, int height, out int screenWidth, out int screenHeight)
    {
        (screenWidth, screenHeight, var pixelStart) = ParseHeader(data, source);
        var pixels = data[pixelStart..];
        return screenWidth <= width && screenHeight <= height && (screenWidth, screenHeight) != (width, height)
            ? FrameScaler.Pad(pixels, screenWidth, screenHeight, width, height)
            : FrameScaler.FitTo(Copy(pixels, screenWidth, screenHeight), width, height);
    }

    private static Frame Copy(ReadOnlySpan<byte> pixels, int width, int height)
    {
        var frame = new Frame(width, height);
        pixels[..frame.Pixels.Length].CopyTo(frame.Pixels);
        return frame;
    }

    /// <summary>Checks the whole image and returns its size and where its pixels start.</summary>
    private static (int Width, int Height, int PixelStart) ParseHeader(ReadOnlySpan<byte> data, string source)
    {
        var reader = new HeaderReader(data, source);
        if (data.Length < 2 || data[0] != (byte)'P' || data[1] != (byte)'6')
        {
            throw reader.Error(0, "not a binary PPM: expected magic \"P6\"");
        }

        reader.Position = 2;
        var width = reader.ReadNumber("width");
        var height = reader.ReadNumber("height");
        var maxval = reader.ReadNumber("maxval");
        if (width == 0 || height == 0)
        {
            throw reader.Error(reader.Position, $"image size {width}x{height} is empty");
        }

        if (maxval != 255)
        {
            throw reader.Error(reader.Position, $"maxval {maxval} is not supported (only 255)");
        }

        // Exactly one whitespace byte separates the header from the pixels.
        if (reader.Position >= data.Length || !IsWhitespace(data[reader.Position]))
        {
            throw reader.Error(reader.Position, "expected one whitespace byte after maxval");
        }

        var pixelStart = reader.Position + 1;
        var expected = (long)width * height * 3;
        var available = data.Length - pixelStart;
        if (available < expected)
        {
            throw reader.Error(pixelStart, $"truncated pixel data: {available} of {expected} bytes for {width}x{height}");
        }

        if (available > expected)
        {
            throw reader.Error(pixelStart + expected, $"{available - expected} unexpected bytes after the pixel data");
        }

        return (width, height, pixelStart);
    }

    private static int Ascii(string text, Span<byte> destination) => Encoding.ASCII.GetBytes(text, destination);

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';

    private ref struct HeaderReader(ReadOnlySpan<byte> data, string source)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public int Position { get; set; }

        public readonly PpmFormatException Error(long offset, string what) =>
            new($"{source}: {what} (at byte {offset})");

        public int ReadNumber(string field)
        {
            SkipWhitespaceAndComments();
            var start = Position;
            long value = 0;
            while (Position < _data.Length && _data[Position] is >= (byte)'0' and <= (byte)'9')
            {
                value = (value * 10) + (_data[Position] - '0');
                if (value > 1 << 20)
                {
                    throw Error(start, $"{field} is too large");
                }

                Position++;
            }

            if (Position == start)
            {
                throw Position >= _data.Length
                    ? Error(Position, $"header ends before {field}")
                    : Error(Position, $"expected a decimal {field}, found byte 0x{_data[Position]:x2}");
            }

            return (int)value;
        }

        private void SkipWhitespaceAndComments()
        {
            while (Position < _data.Length)
            {
                if (IsWhitespace(_data[Position]))
                {
                    Position++;
                }
                else if (_data[Position] == (byte)'#')
                {
                    while (Position < _data.Length && _data[Position] != (byte)'\n')
                    {
                        Position++;
                    }
                }
                else
                {
                    return;
                }
            }
        }
    }
}
