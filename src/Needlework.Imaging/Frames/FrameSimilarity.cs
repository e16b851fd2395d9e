using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Needlework.Imaging.Frames;

/// <summary>
/// Frame-to-frame similarity as PSNR in dB, with os-autoinst's conventions so its levels carry over:
/// identical frames are <see cref="Identical"/>, frames of different sizes are 0.
/// </summary>
public static class FrameSimilarity
{
    public const double Identical = 1_000_000;

    /// <summary>os-autoinst's level below which a frame counts as a new screen for needle matching.</summary>
    public const double NewScreenLevel = 54;

    /// <summary>os-autoinst's level below which a frame is a new video frame rather than a repeat.</summary>
    public const double NewVideoFrameLevel = 50;

    public const double WaitScreenChangeLevel = 50;

    public const double WaitStillScreenLevel = 47;

    public static double Psnr(Frame a, Frame b)
    {
        if (a.Width != b.Width || a.Height != b.Height)
        {
            return 0;
        }

        if (a.ReadOnlyPixels.SequenceEqual(b.ReadOnlyPixels))
        {
            return Identical;
        }

        var sse = SumOfSquaredDifferences(a.ReadOnlyPixels, b.ReadOnlyPixels);
        var signal = 255.0 * 255.0 * 3 * a.Width * a.Height;
        return 10.0 * Math.Log10(signal / sse);
    }

    /// <summary>The sum of the squared differences of two equally long byte sequences, exactly.</summary>
    internal static long SumOfSquaredDifferences(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        long total = 0;
        var i = 0;
        if (Sse2.IsSupported)
        {
            // 16 bytes a step: widened to 16-bit differences, squared and added in pairs to 32-bit lanes. A lane
            // gains at most 4 * 255^2 a step, so within 16,384 steps it stays inside 32 bits read as unsigned.
            while (i + 16 <= a.Length)
            {
                var lanes = Vector128<int>.Zero;
                var end = Math.Min(a.Length - 15, i + (16 * 16_384));
                for (; i < end; i += 16)
                {
                    var x = Vector128.Create(a.Slice(i, 16));
                    var y = Vector128.Create(b.Slice(i, 16));
                    var (xLow, xHigh) = Vector128.Widen(x);
                    var (yLow, yHigh) = Vector128.Widen(y);
                    var low = (xLow - yLow).AsInt16();
                    var high = (xHigh - yHigh).AsInt16();
                    lanes += Sse2.MultiplyAddAdjacent(low, low) + Sse2.MultiplyAddAdjacent(high, high);
                }

                total += (long)(uint)lanes.GetElement(0) + (uint)lanes.GetElement(1) + (uint)lanes.GetElement(2) + (uint)lanes.GetElement(3);
            }
        }

        for (; i < a.Length; i++)
        {
            var difference = a[i] - b[i];
            total += difference * difference;
        }

        return total;
    }
}
