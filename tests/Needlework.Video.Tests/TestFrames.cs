using Needlework.Imaging.Frames;

namespace Needlework.Video.Tests;

/// <summary>Synthetic 1024x768 screens that differ visibly from one to the next.</summary>
internal static class TestFrames
{
    public const int Width = 1024;
    public const int Height = 768;

    /// <summary>A grey background whose shade depends on <paramref name="index"/>, and a block that moves with it.</summary>
    public static Frame Make(int index)
    {
        var frame = new Frame(Width, Height);
        var shade = (byte)(40 + (index * 37 % 160));
        frame.Pixels.Fill(shade);
        var x0 = index * 31 % (Width - 128);
        var y0 = index * 17 % (Height - 96);
        for (var y = y0; y < y0 + 96; y++)
        {
            var row = frame.GetRow(y);
            for (var x = x0; x < x0 + 128; x++)
            {
                row[(x * 3) + 0] = 230;
                row[(x * 3) + 1] = (byte)(index * 11);
                row[(x * 3) + 2] = 30;
            }
        }

        return frame;
    }

    public static int EncodedSize(Frame frame) => Ppm.Encode(frame).Length;
}
