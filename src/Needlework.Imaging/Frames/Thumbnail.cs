using System.Runtime.Intrinsics;

namespace Needlework.Imaging.Frames;

/// <summary>Result-screenshot thumbnails as openQA shows them: 45 pixels high, width in proportion.</summary>
public static class Thumbnail
{
    public const int Height = 45;

    /// <summary>
    /// Area-averaged down to <see cref="Height"/>: first by the largest whole factor that divides both sides and
    /// leaves at least the thumbnail (1024x768: 16, to 64x48), where a pixel is the mean of a block, then the
    /// small picture to the thumbnail's size with each source pixel weighted by how much of it a target pixel covers.
    /// </summary>
    public static Frame Create(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var width = Math.Max(1, frame.Width * Height / frame.Height);
        var factor = WholeFactor(frame.Width, frame.Height, width);
        return Resample(factor < 2 ? frame : Shrink(frame, factor), width, Height);
    }

    /// <summary>Each block of <paramref name="factor"/> by <paramref name="factor"/> pixels to its mean, rounded.</summary>
    internal static Frame Shrink(Frame frame, int factor)
    {
        var result = new Frame(frame.Width / factor, frame.Height / factor);
        var area = factor * factor;

        // Column sums of a band of rows: 16-bit holds 257 rows of 255, more than any factor a screen has.
        var columns = new ushort[frame.Stride];
        for (var y = 0; y < result.Height; y++)
        {
            Array.Clear(columns);
            for (var r = 0; r < factor; r++)
            {
                AddRow(frame.GetRow((y * factor) + r), columns);
            }

            var output = result.GetRow(y);
            for (var x = 0; x < result.Width; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var sum = 0;
                    for (var k = 0; k < factor; k++)
                    {
                        sum += columns[(((x * factor) + k) * 3) + c];
                    }

                    output[(x * 3) + c] = (byte)((sum + (area / 2)) / area);
                }
            }
        }

        return result;
    }

    private static void AddRow(ReadOnlySpan<byte> row, Span<ushort> columns)
    {
        var i = 0;
        for (; i + 16 <= row.Length; i += 16)
        {
            var (low, high) = Vector128.Widen(Vector128.Create(row.Slice(i, 16)));
            (Vector128.Create((ReadOnlySpan<ushort>)columns.Slice(i, 8)) + low).CopyTo(columns.Slice(i, 8));
            (Vector128.Create((ReadOnlySpan<ushort>)columns.Slice(i + 8, 8)) + high).CopyTo(columns.Slice(i + 8, 8));
        }

        for (; i < row.Length; i++)
        {
            columns[i] += row[i];
        }
    }

    /// <summary>Area resampling to any smaller size: a target pixel is the mean of the source it covers, by coverage.</summary>
    internal static Frame Resample(Frame frame, int width, int height)
    {
        var across = Coverage(frame.Width, width);
        var down = Coverage(frame.Height, height);
        var rows = new double[frame.Height * width * 3];
        for (var y = 0; y < frame.Height; y++)
        {
            var source = frame.GetRow(y);
            var target = rows.AsSpan(y * width * 3, width * 3);
            foreach (var (from, to, weight) in across)
            {
                for (var c = 0; c < 3; c++)
                {
                    target[(to * 3) + c] += source[(from * 3) + c] * weight;
                }
            }
        }

        var sums = new double[height * width * 3];
        foreach (var (from, to, weight) in down)
        {
            var row = rows.AsSpan(from * width * 3, width * 3);
            var target = sums.AsSpan(to * width * 3, width * 3);
            for (var i = 0; i < row.Length; i++)
            {
                target[i] += row[i] * weight;
            }
        }

        var result = new Frame(width, height);
        var pixels = result.Pixels;
        var scale = 1.0 / ((double)frame.Width / width * frame.Height / height);
        for (var i = 0; i < sums.Length; i++)
        {
            pixels[i] = (byte)Math.Min(255, (int)((sums[i] * scale) + 0.5));
        }

        return result;
    }

    /// <summary>Which source pixels each target pixel covers, and how much of each (1 for a whole one).</summary>
    private static Part[] Coverage(int sourceLength, int targetLength)
    {
        var scale = (double)sourceLength / targetLength;
        var parts = new Part[targetLength * ((int)Math.Ceiling(scale) + 1)];
        var count = 0;
        for (var t = 0; t < targetLength; t++)
        {
            var (start, end) = (t * scale, (t + 1) * scale);
            for (var s = (int)start; s < end && s < sourceLength; s++)
            {
                var weight = Math.Min(end, s + 1) - Math.Max(start, s);
                if (weight > 1e-9)
                {
                    parts[count++] = new Part(s, t, weight);
                }
            }
        }

        Array.Resize(ref parts, count);
        return parts;
    }

    private readonly record struct Part(int From, int To, double Weight);

    /// <summary>The largest whole number that divides both sides and leaves them at least the thumbnail's; 1 when none.</summary>
    internal static int WholeFactor(int sourceWidth, int sourceHeight, int thumbWidth)
    {
        for (var factor = Math.Min(sourceHeight / Height, sourceWidth / thumbWidth); factor >= 2; factor--)
        {
            if (sourceWidth % factor == 0 && sourceHeight % factor == 0)
            {
                return factor;
            }
        }

        return 1;
    }

    /// <summary>Writes <paramref name="screenshot"/> as PNG at <paramref name="path"/> and its thumbnail in <c>.thumbs/</c> beside it.</summary>
    public static void WriteWithThumbnail(Frame screenshot, string path)
    {
        Png.WriteFile(screenshot, path);
        var thumbs = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, ".thumbs");
        Directory.CreateDirectory(thumbs);
        Png.WriteFile(Create(screenshot), Path.Combine(thumbs, Path.GetFileName(path)));
    }
}
