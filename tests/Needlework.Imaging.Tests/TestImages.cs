using System.Text.Json;
using Needlework.Imaging.Frames;

namespace Needlework.Imaging.Tests;

/// <summary>Generated screens and needles for tests: deterministic noise, so every position is unique.</summary>
internal static class TestImages
{
    public static Frame Background(int width = 1024, int height = 768, int seed = 1)
    {
        // Random 8x8 grey blocks: no two places look alike, and a 3x3 blur keeps the content.
        var frame = new Frame(width, height);
        var random = new Random(seed);
        var shades = new byte[(width / 8) + 1, (height / 8) + 1];
        for (var by = 0; by < shades.GetLength(1); by++)
        {
            for (var bx = 0; bx < shades.GetLength(0); bx++)
            {
                shades[bx, by] = (byte)random.Next(20, 220);
            }
        }

        var pixels = frame.Pixels;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var shade = shades[x / 8, y / 8];
                var i = (y * width + x) * 3;
                pixels[i] = shade;
                pixels[i + 1] = shade;
                pixels[i + 2] = shade;
            }
        }

        return frame;
    }

    /// <summary>A plain screen, like a desktop or console background.</summary>
    public static Frame Flat(byte grey = 60, int width = 1024, int height = 768)
    {
        var frame = new Frame(width, height);
        frame.Pixels.Fill(grey);
        return frame;
    }

    /// <summary>A patch of coarse random blocks, distinct from the background.</summary>
    public static Frame Patch(int width, int height, int seed)
    {
        var patch = new Frame(width, height);
        var random = new Random(seed);
        var blocks = new byte[(width / 5) + 1, (height / 5) + 1];
        for (var by = 0; by < blocks.GetLength(1); by++)
        {
            for (var bx = 0; bx < blocks.GetLength(0); bx++)
            {
                blocks[bx, by] = (byte)random.Next(0, 256);
            }
        }

        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var v = blocks[x / 5, y / 5];
                var i = (y * width + x) * 3;
                patch.Pixels[i] = v;
                patch.Pixels[i + 1] = (byte)(255 - v);
                patch.Pixels[i + 2] = (byte)(v / 2);
            }
        }

        return patch;
    }

    public static Frame With(Frame background, Frame patch, int x, int y)
    {
        var frame = background.Clone();
        Paste(frame, patch, x, y);
        return frame;
    }

    public static void Paste(Frame frame, Frame patch, int x, int y)
    {
        for (var row = 0; row < patch.Height; row++)
        {
            patch.GetRow(row).CopyTo(frame.GetRow(y + row)[(x * 3)..]);
        }
    }

    public static void Fill(Frame frame, int x, int y, int width, int height, byte r, byte g, byte b)
    {
        for (var row = y; row < y + height; row++)
        {
            var span = frame.GetRow(row);
            for (var col = x; col < x + width; col++)
            {
                span[col * 3] = r;
                span[(col * 3) + 1] = g;
                span[(col * 3) + 2] = b;
            }
        }
    }

    /// <summary>Writes <c>name.png</c> and <c>name.json</c> into <paramref name="directory"/>.</summary>
    public static void WriteNeedle(string directory, string name, Frame image, object json)
    {
        Directory.CreateDirectory(directory);
        Png.WriteFile(image, Path.Combine(directory, name + ".png"));
        File.WriteAllText(Path.Combine(directory, name + ".json"), JsonSerializer.Serialize(json));
    }
}
