using System.Text;
using Needlework.Imaging.Frames;
using Needlework.Runner.Backends.Qemu;

namespace Needlework.Runner.Tests.Backends.Qemu;

/// <summary>The backend's last two screendumps: real PPM dumps as QEMU writes them, in a GRUB screen's 720x400.</summary>
public sealed class ScreendumpCacheTests
{
    private const int Width = 720;
    private const int Height = 400;

    [Fact]
    public void An_unchanged_dump_gives_the_same_frame_again()
    {
        var cache = new ScreendumpCache();
        var screen = Dump(seed: 1);

        var first = Capture(cache, screen, out var size);
        var second = Capture(cache, screen, out var again);

        Assert.Same(first, second);
        Assert.Equal((Width, Height), size);
        Assert.Equal(size, again);
        Assert.Equal((1024, 768), (first.Width, first.Height));
    }

    [Fact]
    public void A_screen_blinking_between_two_states_gives_each_state_its_frame()
    {
        var cache = new ScreendumpCache();
        var on = Dump(seed: 1);
        var off = Dump(seed: 1, cursorOff: true);

        var frames = new[] { on, off, on, off, on, on, off }.Select(dump => Capture(cache, dump, out _)).ToArray();

        Assert.NotSame(frames[0], frames[1]);
        Assert.All(new[] { frames[2], frames[4], frames[5] }, frame => Assert.Same(frames[0], frame));
        Assert.All(new[] { frames[3], frames[6] }, frame => Assert.Same(frames[1], frame));
        Assert.False(frames[0].ContentEquals(frames[1]));
        Assert.True(frames[0].ContentEquals(Ppm.ReadFitted(on, "on", 1024, 768, out _, out _)));
        Assert.True(frames[1].ContentEquals(Ppm.ReadFitted(off, "off", 1024, 768, out _, out _)));
    }

    [Fact]
    public void A_third_screen_pushes_out_the_oldest_and_its_return_is_parsed_afresh()
    {
        var cache = new ScreendumpCache();
        var a = Dump(seed: 1);
        var b = Dump(seed: 2);
        var c = Dump(seed: 3);

        var firstA = Capture(cache, a, out _);
        var firstB = Capture(cache, b, out _);
        var firstC = Capture(cache, c, out _);
        var secondA = Capture(cache, a, out _);

        Assert.NotSame(firstA, secondA);
        Assert.True(firstA.ContentEquals(secondA));
        // B was pushed out by A's return; C is still held.
        Assert.Same(firstC, Capture(cache, c, out _));
        Assert.NotSame(firstB, Capture(cache, b, out _));
    }

    [Fact]
    public void A_screen_of_another_size_is_a_new_frame_with_its_own_size()
    {
        var cache = new ScreendumpCache();
        var text = Capture(cache, Dump(seed: 1), out var textSize);
        var graphics = Capture(cache, Dump(seed: 1, width: 1024, height: 768), out var graphicsSize);

        Assert.NotSame(text, graphics);
        Assert.Equal((Width, Height), textSize);
        Assert.Equal((1024, 768), graphicsSize);
        Assert.Same(text, Capture(cache, Dump(seed: 1), out var textAgain));
        Assert.Equal(textSize, textAgain);
    }

    [Fact]
    public void A_broken_dump_is_a_clear_error_and_the_frames_held_stay()
    {
        var cache = new ScreendumpCache();
        var screen = Dump(seed: 1);
        var frame = Capture(cache, screen, out _);
        var broken = screen[..(screen.Length / 2)];

        var error = Assert.Throws<PpmFormatException>(() => Capture(cache, broken, out _));

        Assert.Contains("screendump.ppm", error.Message, StringComparison.Ordinal);
        Assert.Same(frame, Capture(cache, screen, out _));
    }

    private static Frame Capture(ScreendumpCache cache, byte[] dump, out (int Width, int Height) screen)
    {
        dump.CopyTo(cache.BufferFor(dump.Length), 0);
        var frame = cache.FrameOf(dump.Length, "screendump.ppm", 1024, 768, out var width, out var height);
        screen = (width, height);
        return frame;
    }

    /// <summary>A P6 dump of noise from <paramref name="seed"/>; with the cursor off, an 8x16 block at the text cursor's place is black.</summary>
    private static byte[] Dump(int seed, bool cursorOff = false, int width = Width, int height = Height)
    {
        var header = Encoding.ASCII.GetBytes($"P6\n{width} {height}\n255\n");
        var dump = new byte[header.Length + (width * height * 3)];
        header.CopyTo(dump, 0);
        new Random(seed).NextBytes(dump.AsSpan(header.Length));
        if (cursorOff)
        {
            for (var y = 128; y < 144; y++)
            {
                dump.AsSpan(header.Length + (((y * width) + 56) * 3), 8 * 3).Clear();
            }
        }

        return dump;
    }
}
