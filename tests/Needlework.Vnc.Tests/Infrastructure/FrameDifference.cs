using Needlework.Imaging.Frames;

namespace Needlework.Vnc.Tests.Infrastructure;

/// <summary>Says where two frames differ, for assertion messages.</summary>
public static class FrameDifference
{
    public static string Describe(Frame a, Frame b)
    {
        if (a.Width != b.Width || a.Height != b.Height)
        {
            return $"sizes {a.Width}x{a.Height} and {b.Width}x{b.Height}";
        }

        int count = 0, left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (var y = 0; y < a.Height; y++)
        {
            var rowA = a.GetRow(y);
            var rowB = b.GetRow(y);
            for (var x = 0; x < a.Width; x++)
            {
                if (!rowA.Slice(x * 3, 3).SequenceEqual(rowB.Slice(x * 3, 3)))
                {
                    count++;
                    (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
                }
            }
        }

        return count == 0 ? "identical" : $"{count} pixels differ within ({left},{top})-({right},{bottom})";
    }
}
