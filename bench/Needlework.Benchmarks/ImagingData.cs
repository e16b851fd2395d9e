using System.Text.Json;
using Needlework.Imaging.Frames;

namespace Needlework.Benchmarks;

/// <summary>
/// The images every imaging benchmark uses, written to a folder so that os-autoinst's tinycv can be
/// timed on exactly the same files: a 1024x768 screen, one needle with a 200x50 area (margin 50), and
/// twenty needles of which one matches.
/// </summary>
internal static class ImagingData
{
    public static void Write(string directory)
    {
        var one = Path.Combine(directory, "one");
        var twenty = Path.Combine(directory, "twenty");
        Directory.CreateDirectory(one);
        Directory.CreateDirectory(twenty);

        var background = Desktop();
        // The matching object sits a few pixels away from where the needles were taken, so every
        // check does the full search around the area rather than finding it unchanged in place.
        var screen = background.Clone();
        Paste(screen, Patch(200, 50, 113), 496, 429);
        Png.WriteFile(screen, Path.Combine(directory, "screen.png"));
        Png.WriteFile(Shifted(screen), Path.Combine(directory, "screen-changed.png"));

        var button = background.Clone();
        Paste(button, Patch(200, 50, 113), 490, 425);
        WriteNeedle(one, "button", button, 490, 425);
        for (var i = 0; i < 20; i++)
        {
            var image = background.Clone();
            Paste(image, Patch(200, 50, 100 + i), 100 + (i * 30), 100 + (i * 25));
            WriteNeedle(twenty, $"needle-{i:00}", image, 100 + (i * 30), 100 + (i * 25));
        }
    }

    private static void WriteNeedle(string directory, string name, Frame image, int x, int y)
    {
        Png.WriteFile(image, Path.Combine(directory, name + ".png"));
        var json = new { tags = new[] { "bench" }, properties = Array.Empty<string>(), area = new[] { new { xpos = x, ypos = y, width = 200, height = 50, type = "match", margin = 50 } } };
        File.WriteAllText(Path.Combine(directory, name + ".json"), JsonSerializer.Serialize(json));
    }

    /// <summary>A desktop-like screen: a flat background with windows of random text-like blocks.</summary>
    private static Frame Desktop()
    {
        var frame = new Frame(1024, 768);
        frame.Pixels.Fill(70);
        var random = new Random(42);
        for (var w = 0; w < 6; w++)
        {
            Paste(frame, Patch(random.Next(100, 300), random.Next(60, 160), w), random.Next(0, 700), random.Next(0, 600));
        }

        return frame;
    }

    private static Frame Shifted(Frame screen)
    {
        var changed = screen.Clone();
        Paste(changed, Patch(300, 100, 999), 40, 600);
        return changed;
    }

    private static Frame Patch(int width, int height, int seed)
    {
        var patch = new Frame(width, height);
        var random = new Random(seed);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var v = (byte)((((x / 6) + (y / 9) * 7) * 31 + (random.Next(0, 2) * 90) + seed) % 256);
                var row = patch.GetRow(y);
                row[x * 3] = v;
                row[(x * 3) + 1] = (byte)(v / 2);
                row[(x * 3) + 2] = (byte)(255 - v);
            }
        }

        return patch;
    }

    private static void Paste(Frame frame, Frame patch, int x, int y)
    {
        for (var row = 0; row < patch.Height && y + row < frame.Height; row++)
        {
            var width = Math.Min(patch.Width, frame.Width - x);
            patch.GetRow(row)[..(width * 3)].CopyTo(frame.GetRow(y + row)[(x * 3)..]);
        }
    }
}
