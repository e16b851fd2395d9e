using System.Buffers;
using OpenCvSharp;

namespace Needlework.Imaging.Needles;

/// <summary>
/// Proves, when it can, that a match area passes nowhere in its search window, and finds the few positions
/// where it may come close to its best, without the template search. Split the area into blocks: its squared
/// difference at a position is at least the sum over the blocks of (difference of the block's pixel sums)² /
/// (pixels in the block) (Cauchy-Schwarz). The block sums of every position come from one integral image of
/// the window, a few additions each. Positions whose bound stays within the limit are bounded again with
/// blocks half as big; after each round the position with the lowest bound is compared exactly, which can
/// lower the limit for a search; the few left at the end are compared pixel by pixel by the caller. A "no" is
/// exact: the search would find no position within the limit. When the positions left are too many to be
/// worth bounding further, the answer is "don't know", and the search has to run.
/// </summary>
internal static class AreaBound
{
    /// <summary>Below this side a block is not split again; what survives blocks this small is compared exactly.</summary>
    private const int SmallestBlock = 2;

    /// <summary>
    /// How much bounding, in block evaluations per window pixel, is worth trying before the template search. With
    /// 4, a 200x50 area found a few pixels from its place took 0.3 ms (the template search 1.2 ms); with 16, the
    /// bounding that fails for nineteen needles not on the screen made their check 15% slower
    /// (bench/Needlework.Benchmarks quick).
    /// </summary>
    private const int BudgetPerWindowPixel = 4;

    /// <summary>The largest sum of squared differences at which an area at level <paramref name="match"/> (0-1) passes.</summary>
    /// <remarks>Similarity is <c>0.9 + (40 - mse) / 380</c>, clamped to [0, 1]; at level 0 or below every position passes.</remarks>
    public static double PassLimit(double match, int pixels) =>
        match <= 0 ? double.PositiveInfinity : pixels * (382 - (380 * match));

    /// <summary>
    /// False only when no position of <paramref name="template"/> inside <paramref name="window"/> of
    /// <paramref name="scene"/> has a sum of squared differences within <paramref name="limit"/>.
    /// </summary>
    /// <param name="scene">The prepared (blurred greyscale) screen; its pixels inside the window are valid.</param>
    public static bool MayPass(GreyPlane scene, Rect window, GreyPlane template, double limit)
    {
        if (limit >= 255.0 * 255 * template.Width * template.Height)
        {
            return true;
        }

        var positions = Candidates(scene, window, template, limit, double.PositiveInfinity, out var lowest);
        if (positions is null || lowest <= limit)
        {
            return true;
        }

        var across = window.Width - template.Width + 1;
        foreach (var position in positions)
        {
            if (Sum(scene, window.X + (position % across), window.Y + (position / across), template, limit) <= limit)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The positions whose sum of squared differences may be within <paramref name="limit"/>, as offsets in the
    /// window (<c>y * (window width - template width + 1) + x</c>) in row order; every position that is within it
    /// is among them. Null when bounding them would cost more than a template search.
    /// </summary>
    /// <param name="margin">
    /// When finite, the caller wants only the positions within this much of the lowest sum: after each round
    /// the most promising position is compared exactly, and the limit comes down to its sum plus the margin.
    /// </param>
    /// <param name="lowest">The lowest exact sum among the positions compared on the way (long.MaxValue if none).</param>
    public static int[]? Candidates(GreyPlane scene, Rect window, GreyPlane template, double limit, double margin, out long lowest)
    {
        lowest = long.MaxValue;
        var (tw, th) = (template.Width, template.Height);
        var (px, py) = (window.Width - tw + 1, window.Height - th + 1);
        if (px <= 0 || py <= 0)
        {
            return null;
        }

        var stride = window.Width + 1;
        var sums = ArrayPool<int>.Shared.Rent(stride * (window.Height + 1));
        var templateSums = ArrayPool<int>.Shared.Rent((tw + 1) * (th + 1));
        var positions = ArrayPool<int>.Shared.Rent(px * py);
        try
        {
            Integrate(scene, window, sums);
            Integrate(template, new Rect(0, 0, tw, th), templateSums);
            var budget = (long)BudgetPerWindowPixel * window.Width * window.Height;
            var count = WholeAreaBound(sums, stride, templateSums, tw, th, px, py, Slack(limit), positions, out var promising);
            var (gx, gy) = (1, 1);
            var compared = -1;
            while (count > 0)
            {
                // The position with the lowest bound is likely the best: its exact sum may lower the limit.
                if (promising != compared)
                {
                    var exact = Sum(scene, window.X + (promising % px), window.Y + (promising / px), template, double.PositiveInfinity);
                    budget -= (long)tw * th;
                    (compared, lowest) = (promising, Math.Min(lowest, exact));
                    limit = Math.Min(limit, exact + margin);
                }

                var (nx, ny) = (Math.Min(gx * 2, Math.Max(1, tw / SmallestBlock)), Math.Min(gy * 2, Math.Max(1, th / SmallestBlock)));
                if (nx == gx && ny == gy)
                {
                    break;
                }

                (gx, gy) = (nx, ny);
                budget -= (long)count * gx * gy;
                if (budget < 0)
                {
                    return null;
                }

                count = BlockBound(sums, stride, templateSums, tw, th, gx, gy, px, Slack(limit), positions.AsSpan(0, count), out promising);
            }

            // What is left is compared pixel by pixel by the caller.
            return budget - ((long)count * tw * th) < 0 ? null : positions.AsSpan(0, count).ToArray();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(positions);
            ArrayPool<int>.Shared.Return(templateSums);
            ArrayPool<int>.Shared.Return(sums);
        }
    }

    /// <summary>Sums are exact integers; the slack keeps a sum at the limit itself on the "maybe" side of rounding.</summary>
    private static double Slack(double limit) => limit + 1e-6 + (Math.Abs(limit) * 1e-9);

    /// <summary>
    /// The exact sum of squared differences of <paramref name="template"/> at (<paramref name="x"/>, <paramref name="y"/>)
    /// of <paramref name="scene"/>; once past <paramref name="stopAbove"/> it stops and returns what it has summed.
    /// </summary>
    public static long Sum(GreyPlane scene, int x, int y, GreyPlane template, double stopAbove)
    {
        var tw = template.Width;
        long sum = 0;
        for (var row = 0; row < template.Height && sum <= stopAbove; row++)
        {
            var found = scene.Row(y + row, x, tw);
            var wanted = template.Row(row, 0, tw);
            for (var i = 0; i < found.Length; i++)
            {
                var difference = found[i] - wanted[i];
                sum += difference * difference;
            }
        }

        return sum;
    }

    /// <summary>
    /// The integral image of <paramref name="rect"/> of a plane into <paramref name="sums"/>, (width + 1) by
    /// (height + 1): entry (x, y) is the sum of the pixels above and left of it. Entries may wrap past the range of an int; a
    /// block's sum, a difference of four entries, is still exact for any block under 8 million pixels.
    /// </summary>
    private static void Integrate(GreyPlane image, Rect rect, int[] sums)
    {
        var stride = rect.Width + 1;
        Array.Clear(sums, 0, stride);
        for (var y = 0; y < rect.Height; y++)
        {
            var row = image.Row(rect.Y + y, rect.X, rect.Width);
            var above = sums.AsSpan(y * stride, stride);
            var here = sums.AsSpan((y + 1) * stride, stride);
            here[0] = 0;
            var running = 0;
            for (var x = 0; x < row.Length; x++)
            {
                running += row[x];
                here[x + 1] = above[x + 1] + running;
            }
        }
    }

    /// <summary>
    /// The bound with the whole area as one block, for every position; writes the ones within the limit, and
    /// gives the one with the lowest bound.
    /// </summary>
    private static int WholeAreaBound(int[] sums, int stride, int[] templateSums, int tw, int th, int px, int py, double limit, int[] positions, out int promising)
    {
        double total = templateSums[(th * (tw + 1)) + tw];
        var scale = 1.0 / ((double)tw * th);
        var count = 0;
        var lowest = double.PositiveInfinity;
        promising = 0;
        for (var y = 0; y < py; y++)
        {
            var top = sums.AsSpan(y * stride, stride);
            var bottom = sums.AsSpan((y + th) * stride, stride);
            for (var x = 0; x < px; x++)
            {
                var difference = bottom[x + tw] - top[x + tw] - bottom[x] + top[x] - total;
                var bound = difference * difference * scale;
                if (bound <= limit)
                {
                    positions[count++] = (y * px) + x;
                    if (bound < lowest)
                    {
                        (lowest, promising) = (bound, (y * px) + x);
                    }
                }
            }
        }

        return count;
    }

    /// <summary>
    /// The bound with the area split into <paramref name="gx"/> by <paramref name="gy"/> blocks, for the given
    /// positions; keeps, in place and in order, those within the limit, and gives the one with the lowest bound.
    /// </summary>
    private static int BlockBound(int[] sums, int stride, int[] templateSums, int tw, int th, int gx, int gy, int px, double limit, Span<int> positions, out int promising)
    {
        promising = 0;
        var lowest = double.PositiveInfinity;
        Span<int> xs = stackalloc int[gx + 1];
        Span<int> ys = stackalloc int[gy + 1];
        for (var i = 0; i <= gx; i++)
        {
            xs[i] = i * tw / gx;
        }

        for (var j = 0; j <= gy; j++)
        {
            ys[j] = j * th / gy;
        }

        var blocks = gx * gy;
        var wanted = ArrayPool<double>.Shared.Rent(blocks);
        var scales = ArrayPool<double>.Shared.Rent(blocks);
        try
        {
            var templateStride = tw + 1;
            for (var j = 0; j < gy; j++)
            {
                for (var i = 0; i < gx; i++)
                {
                    wanted[(j * gx) + i] = BlockSum(templateSums, templateStride, xs[i], ys[j], xs[i + 1], ys[j + 1]);
                    scales[(j * gx) + i] = 1.0 / ((xs[i + 1] - xs[i]) * (ys[j + 1] - ys[j]));
                }
            }

            var kept = 0;
            foreach (var position in positions)
            {
                var (x, y) = (position % px, position / px);
                var bound = 0.0;
                for (var j = 0; j < gy && bound <= limit; j++)
                {
                    for (var i = 0; i < gx; i++)
                    {
                        var difference = BlockSum(sums, stride, x + xs[i], y + ys[j], x + xs[i + 1], y + ys[j + 1]) - wanted[(j * gx) + i];
                        bound += difference * difference * scales[(j * gx) + i];
                    }
                }

                if (bound <= limit)
                {
                    positions[kept++] = position;
                    if (bound < lowest)
                    {
                        (lowest, promising) = (bound, position);
                    }
                }
            }

            return kept;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scales);
            ArrayPool<double>.Shared.Return(wanted);
        }
    }

    private static int BlockSum(int[] sums, int stride, int left, int top, int right, int bottom) =>
        sums[(bottom * stride) + right] - sums[(top * stride) + right] - sums[(bottom * stride) + left] + sums[(top * stride) + left];
}
