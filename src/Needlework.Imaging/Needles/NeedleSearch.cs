using OpenCvSharp;
using Needlework.Imaging.Frames;

namespace Needlework.Imaging.Needles;

/// <summary>
/// Needle search with os-autoinst's semantics, so existing needles match the same way: per match area the
/// window is the area widened by its margin (on a full search by <c>margin + ratio * (1024 - margin)</c>),
/// greyscale and 3x3 Gaussian blur, squared-difference template search, among near-ties (within 10 of the
/// best sum) the position nearest the original, similarity <c>0.9 + (40 - mse) / 380</c> from the per-pixel
/// mean squared error, clamped to [0, 1]; an area passes at <c>similarity &gt;= match / 100</c>.
/// </summary>
public static class NeedleSearch
{
    /// <summary>The search ratio os-autoinst uses between full searches: the margin grows by 2% of the screen.</summary>
    public const double NormalRatio = 0.02;

    /// <summary>The search ratio of a full-screen search (every 5th check and the last one).</summary>
    public const double FullRatio = 1.0;

    private const float NearTie = 10;

    /// <summary>How far the 3x3 blur carries a pixel's change.</summary>
    private const int BlurReach = 1;

    /// <summary>From this many candidates on, a search prepares the whole screen and checks needles in parallel.</summary>
    private const int ParallelFrom = 4;

    /// <summary>
    /// Checks every candidate against <paramref name="screen"/> and orders them as os-autoinst does. With
    /// <see cref="SearchDetail.IfFound"/>, a screen that no candidate can match gives an empty result, often
    /// without a template search.
    /// </summary>
    public static NeedleSearchResult Search(Frame screen, IEnumerable<Needle> candidates, double searchRatio = NormalRatio, SearchDetail detail = SearchDetail.Full)
    {
        var needles = candidates as IReadOnlyList<Needle> ?? candidates.ToList();
        using var scene = GreyScene.FromFrame(screen);
        var parallel = needles.Count >= ParallelFrom;
        if (parallel)
        {
            // Many candidates: prepare the whole screen once, then check needles on all cores.
            scene.PrepareAll();
        }

        if (detail == SearchDetail.IfFound && !AnyMayPass(scene, needles, searchRatio, parallel))
        {
            return new NeedleSearchResult(null, []);
        }

        List<NeedleCandidate> results;
        if (parallel)
        {
            var checks = new NeedleCandidate[needles.Count];
            Parallel.For(0, needles.Count, i => checks[i] = Check(scene, needles[i], searchRatio));
            results = [.. checks];
        }
        else
        {
            results = needles.Select(n => Check(scene, n, searchRatio)).ToList();
        }

        results.Sort(CompareCandidates);
        var best = results.Count > 0 && results[0].Passed ? results[0] : null;
        return new NeedleSearchResult(best, results);
    }

    /// <summary>Checks one needle; the result says per area where it was found and how well.</summary>
    public static NeedleCandidate Check(Frame screen, Needle needle, double searchRatio = NormalRatio)
    {
        using var scene = GreyScene.FromFrame(screen);
        return Check(scene, needle, searchRatio);
    }

    /// <summary>
    /// Whether a change of the screen within <paramref name="changed"/> can alter what a search of these candidates
    /// at <paramref name="searchRatio"/> finds: true when it touches the window of any match area (widened by the
    /// blur's reach). When false, the search's result on the changed screen is the same as before the change.
    /// </summary>
    public static bool Reaches(IReadOnlyList<Needle> candidates, double searchRatio, Rect changed, int screenWidth, int screenHeight)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var reach = new Rect(changed.X - BlurReach, changed.Y - BlurReach, changed.Width + (2 * BlurReach), changed.Height + (2 * BlurReach));
        for (var n = 0; n < candidates.Count; n++)
        {
            var areas = candidates[n].Areas;
            for (var i = 0; i < areas.Count; i++)
            {
                var area = areas[i];
                if (area.Type == NeedleAreaType.Match && Window(area.Rect, Margin(area, searchRatio), screenWidth, screenHeight).IntersectsWith(reach))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool AnyMayPass(GreyScene scene, IReadOnlyList<Needle> needles, double searchRatio, bool parallel)
    {
        if (!parallel)
        {
            for (var i = 0; i < needles.Count; i++)
            {
                if (MayPass(scene, needles[i], searchRatio))
                {
                    return true;
                }
            }

            return false;
        }

        var any = 0;
        Parallel.For(0, needles.Count, (i, loop) =>
        {
            if (MayPass(scene, needles[i], searchRatio))
            {
                Volatile.Write(ref any, 1);
                loop.Stop();
            }
        });
        return any == 1;
    }

    /// <summary>False when some match area of the needle provably passes nowhere in its window, as <see cref="Check(GreyScene, Needle, double)"/> would find.</summary>
    private static bool MayPass(GreyScene scene, Needle needle, double searchRatio)
    {
        var template = needle.Template;
        using var painted = needle.ExcludedRects.Length > 0 ? scene.WithExcluded(needle.ExcludedRects) : null;
        var source = painted ?? scene;
        var matchAreas = 0;
        for (var i = 0; i < needle.Areas.Count; i++)
        {
            var area = needle.Areas[i];
            if (area.Type != NeedleAreaType.Match)
            {
                continue;
            }

            matchAreas++;
            var limit = AreaBound.PassLimit(area.Match / 100.0, area.Width * area.Height);
            if (double.IsPositiveInfinity(limit))
            {
                continue;
            }

            if (!OnScreen(area.Rect, scene))
            {
                return false;
            }

            var window = Window(area.Rect, Margin(area, searchRatio), scene.Width, scene.Height);
            if (!AreaBound.MayPass(source.Blurred(window), window, template.Areas[i]!, limit))
            {
                return false;
            }
        }

        return matchAreas > 0;
    }

    internal static int CompareCandidates(NeedleCandidate a, NeedleCandidate b)
    {
        var byPassed = b.Passed.CompareTo(a.Passed);
        if (byPassed != 0)
        {
            return byPassed;
        }

        var byError = a.Error.CompareTo(b.Error);
        if (byError != 0)
        {
            return byError;
        }

        var byWorkaround = b.Needle.IsWorkaround.CompareTo(a.Needle.IsWorkaround);
        return byWorkaround != 0 ? byWorkaround : string.CompareOrdinal(a.Needle.Name, b.Needle.Name);
    }

    private static NeedleCandidate Check(GreyScene scene, Needle needle, double searchRatio)
    {
        var template = needle.Template;
        using var painted = needle.ExcludedRects.Length > 0 ? scene.WithExcluded(needle.ExcludedRects) : null;
        var source = painted ?? scene;

        var matches = new List<AreaMatch>();
        for (var i = 0; i < needle.Areas.Count; i++)
        {
            var area = needle.Areas[i];
            if (area.Type != NeedleAreaType.Match)
            {
                continue;
            }

            var (x, y, similarity) = SearchArea(source, template.Areas[i]!, area.Rect, Margin(area, searchRatio));
            var passed = similarity >= area.Match / 100.0;
            matches.Add(new AreaMatch(x, y, area.Width, area.Height, similarity, passed, area.ClickPoint));
        }

        var error = 1.0;
        if (matches.Count > 0)
        {
            error = 0;
            foreach (var match in matches)
            {
                error += (1 - match.Similarity) * (1 - match.Similarity);
            }

            error /= matches.Count;
        }

        return new NeedleCandidate(needle, matches, matches.Count > 0 && matches.All(m => m.Passed), error);
    }

    /// <summary>Finds one area; returns its best position and similarity, or similarity 0 when it cannot lie on this screen.</summary>
    internal static (int X, int Y, double Similarity) SearchArea(GreyScene scene, GreyPlane template, Rect area, int margin)
    {
        if (!OnScreen(area, scene))
        {
            return (0, 0, 0);
        }

        var window = Window(area, margin, scene.Width, scene.Height);
        var blurred = scene.Blurred(window);

        // Unchanged in place is the common case while a test waits on a stable screen: no search needed.
        var atOrigin = AreaBound.Sum(blurred, area.X, area.Y, template, double.PositiveInfinity);
        if (atOrigin == 0)
        {
            return (area.X, area.Y, 1);
        }

        // Only positions within NearTie of the lowest sum (and of the sum in place) can be chosen. The bound leaves a
        // handful of them to compare exactly, unless the window has too many alike; then OpenCV searches it all.
        var (x, y, sum) = AreaBound.Candidates(blurred, window, template, atOrigin + NearTie, NearTie, out _) is { } positions
            ? ExactSearch(blurred, window, template, positions, atOrigin, area)
            : TemplateSearch(blurred, window, template, area);
        var mse = sum / ((double)template.Width * template.Height);
        var similarity = Math.Clamp(0.9 + ((40 - mse) / 380), 0, 1);
        return (x, y, similarity);
    }

    /// <summary>The near-tie rule over the positions the bound left, with their exact sums; gives the chosen one's sum too.</summary>
    private static (int X, int Y, long Sum) ExactSearch(GreyPlane blurred, Rect window, GreyPlane template, int[] positions, long atOrigin, Rect area)
    {
        var across = window.Width - template.Width + 1;
        var ties = new NearTies(atOrigin, area.X, area.Y);
        foreach (var position in positions)
        {
            var (x, y) = (window.X + (position % across), window.Y + (position / across));
            ties.Offer(x, y, AreaBound.Sum(blurred, x, y, template, ties.Limit));
        }

        return (ties.Best.X, ties.Best.Y, (long)ties.BestValue);
    }

    /// <summary>OpenCV's squared-difference template search over the whole window, with the same near-tie rule.</summary>
    private static unsafe (int X, int Y, long Sum) TemplateSearch(GreyPlane blurred, Rect window, GreyPlane template, Rect area)
    {
        NativeTuning.EnsureApplied();
        using var screenMat = Mat.FromPixelData(blurred.Height, blurred.Width, MatType.CV_8UC1, blurred.Pixels);
        using var windowMat = screenMat[window];
        using var templateMat = Mat.FromPixelData(template.Height, template.Width, MatType.CV_8UC1, template.Pixels);
        using var sums = new Mat();
        Cv2.MatchTemplate(windowMat, templateMat, sums, TemplateMatchModes.SqDiff);

        var originX = area.X - window.X;
        var originY = area.Y - window.Y;
        var atOrigin = ((float*)sums.Ptr(originY))[originX];
        if (atOrigin == 0)
        {
            return (area.X, area.Y, AreaBound.Sum(blurred, area.X, area.Y, template, double.PositiveInfinity));
        }

        var ties = new NearTies(atOrigin, originX, originY);
        var (rows, cols) = (sums.Rows, sums.Cols);
        for (var y = 0; y < rows; y++)
        {
            var row = new ReadOnlySpan<float>((void*)sums.Ptr(y), cols);
            for (var x = 0; x < row.Length; x++)
            {
                ties.Offer(x, y, row[x]);
            }
        }

        var (bestX, bestY) = (window.X + ties.Best.X, window.Y + ties.Best.Y);
        return (bestX, bestY, AreaBound.Sum(blurred, bestX, bestY, template, double.PositiveInfinity));
    }

    /// <summary>Whether the area lies on the screen at all; one that does not has similarity 0.</summary>
    private static bool OnScreen(Rect area, GreyScene scene) =>
        area.X >= 0 && area.Y >= 0 && area.Right <= scene.Width && area.Bottom <= scene.Height;

    /// <summary>os-autoinst's margin at a search ratio: the area's own, grown by the ratio of the rest of 1024.</summary>
    private static int Margin(NeedleArea area, double searchRatio) => (int)(area.Margin + (searchRatio * (1024 - area.Margin)));

    /// <summary>The part of the screen an area is searched in: the area widened by the margin, within the screen.</summary>
    private static Rect Window(Rect area, int margin, int screenWidth, int screenHeight)
    {
        var left = Math.Max(0, area.X - margin);
        var top = Math.Max(0, area.Y - margin);
        return new Rect(left, top, Math.Min(screenWidth, area.Right + margin) - left, Math.Min(screenHeight, area.Bottom + margin) - top);
    }

    /// <summary>
    /// os-autoinst's choice among near-ties, offered positions in row order: keeps those within <see cref="NearTie"/>
    /// of the lowest sum seen (starting from the sum at the original position) and, of those, the one nearest the
    /// original position (the first in row order among equals). A sum that lowers the limit starts the set afresh.
    /// </summary>
    private struct NearTies(double atOrigin, int originX, int originY)
    {
        private long _bestDistance = long.MaxValue;

        public double Limit { get; private set; } = atOrigin + NearTie;

        public (int X, int Y) Best { get; private set; } = (originX, originY);

        public double BestValue { get; private set; } = atOrigin;

        public void Offer(int x, int y, double value)
        {
            if (value > Limit)
            {
                return;
            }

            if (value + NearTie < Limit)
            {
                Limit = value + NearTie;
                _bestDistance = long.MaxValue;
            }

            long dx = x - originX;
            long dy = y - originY;
            var distance = (dx * dx) + (dy * dy);
            if (distance < _bestDistance)
            {
                (_bestDistance, Best, BestValue) = (distance, (x, y), value);
            }
        }
    }
}
