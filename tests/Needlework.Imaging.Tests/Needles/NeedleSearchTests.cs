using Needlework.Imaging.Frames;
using Needlework.Imaging.Needles;

namespace Needlework.Imaging.Tests.Needles;

public sealed class NeedleSearchTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Frame _background = TestImages.Flat();
    private readonly Frame _patch = TestImages.Patch(200, 50, seed: 7);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ShiftInsideTheMarginIsFoundAtTheExactNewPosition()
    {
        var needle = MakeNeedle("button", TestImages.With(_background, _patch, 300, 300), Area(300, 300, 200, 50));
        var screen = TestImages.With(_background, _patch, 337, 281);

        var result = NeedleSearch.Search(screen, [needle]);

        var area = Assert.Single(Assert.IsType<NeedleCandidate>(result.Best).Areas);
        Assert.Equal((337, 281), (area.X, area.Y));
        Assert.Equal(1.0, area.Similarity);
    }

    [Fact]
    public void ShiftBeyondTheMarginIsNotFoundUntilAFullSearch()
    {
        // With the normal ratio the margin of 50 grows to int(50 + 0.02 * 974) = 69 pixels.
        var needle = MakeNeedle("button", TestImages.With(_background, _patch, 300, 300), Area(300, 300, 200, 50));
        var screen = TestImages.With(_background, _patch, 300 + 100, 300);

        var normal = NeedleSearch.Search(screen, [needle]);
        var full = NeedleSearch.Search(screen, [needle], NeedleSearch.FullRatio);

        Assert.False(normal.Found);
        Assert.True(normal.Candidates[0].Areas[0].Similarity < 0.96);
        Assert.Equal((400, 300), (full.Best!.Areas[0].X, full.Best.Areas[0].Y));
    }

    [Fact]
    public void MarginIsTheExactEdgeOfTheSearchWindow()
    {
        var needle = MakeNeedle("button", TestImages.With(_background, _patch, 300, 300), Area(300, 300, 200, 50, margin: 20));

        Assert.True(NeedleSearch.Search(TestImages.With(_background, _patch, 300, 320), [needle], 0).Found);
        Assert.False(NeedleSearch.Search(TestImages.With(_background, _patch, 300, 321), [needle], 0).Found);
    }

    [Theory]
    [InlineData(520, 320, true)] // right of the window (280..519): the blur of column 519 reads column 520
    [InlineData(521, 320, false)]
    [InlineData(279, 320, true)]
    [InlineData(278, 320, false)]
    [InlineData(400, 370, true)] // below the window (rows 280..369)
    [InlineData(400, 371, false)]
    [InlineData(400, 279, true)]
    [InlineData(400, 278, false)]
    [InlineData(400, 320, true)]
    public void ChangeReachesTheSearchWithinTheWindowAndTheBlurAroundIt(int x, int y, bool reaches)
    {
        var needle = MakeNeedle("button", TestImages.With(_background, _patch, 300, 300), Area(300, 300, 200, 50, margin: 20));

        Assert.Equal(reaches, NeedleSearch.Reaches([needle], 0, new OpenCvSharp.Rect(x, y, 1, 1), 1024, 768));

        // A whole-screen search looks everywhere.
        Assert.True(NeedleSearch.Reaches([needle], NeedleSearch.FullRatio, new OpenCvSharp.Rect(1023, 767, 1, 1), 1024, 768));
    }

    [Fact]
    public void ChangeBeyondTheReachLeavesTheSearchResultAsItWas()
    {
        var background = TestImages.Background(seed: 3);
        var needle = MakeNeedle("two", TestImages.With(background, _patch, 300, 300), Area(300, 300, 200, 50), Area(600, 500, 40, 30));
        var screen = TestImages.With(background, _patch, 311, 293);
        var before = Describe(NeedleSearch.Search(screen, [needle]));
        var random = new Random(5);
        var beyond = 0;
        for (var i = 0; i < 200; i++)
        {
            var changed = screen.Clone();
            var block = new OpenCvSharp.Rect(random.Next(0, 1019), random.Next(0, 763), 5, 5);
            TestImages.Fill(changed, block.X, block.Y, block.Width, block.Height, (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            Assert.True(screen.TryGetDifference(changed, out var difference));
            if (!NeedleSearch.Reaches([needle], NeedleSearch.NormalRatio, difference, 1024, 768))
            {
                beyond++;
                Assert.Equal(before, Describe(NeedleSearch.Search(changed, [needle])));
            }
        }

        Assert.InRange(beyond, 50, 199);
    }

    private static string Describe(NeedleSearchResult result) =>
        string.Join(" | ", result.Candidates.SelectMany(c => c.Areas).Select(a => $"{a.X},{a.Y} {a.Similarity:R} {a.Passed}"));

    [Fact]
    public void ExcludeAreaIsIgnored()
    {
        var needleImage = TestImages.With(_background, _patch, 300, 300);
        var screen = needleImage.Clone();
        TestImages.Fill(screen, 350, 310, 60, 20, 255, 0, 255); // a clock that changed inside the area

        var plain = MakeNeedle("plain", needleImage, Area(300, 300, 200, 50));
        var excluding = MakeNeedle("excluding", needleImage, Area(300, 300, 200, 50), Exclude(345, 305, 70, 30));

        var result = NeedleSearch.Search(screen, [plain, excluding]);

        Assert.Equal("excluding", result.Best?.Needle.Name);
        Assert.Equal((300, 300), (result.Best!.Areas[0].X, result.Best.Areas[0].Y));
        Assert.False(result.Candidates.Single(c => c.Needle.Name == "plain").Passed);

        // A check that only needs a match rules the plain needle out, not the one that excludes the change.
        Assert.Empty(NeedleSearch.Search(screen, [plain], detail: SearchDetail.IfFound).Candidates);
        Assert.True(NeedleSearch.Search(screen, [excluding], detail: SearchDetail.IfFound).Found);
    }

    [Fact]
    public void MatchLevelIsInclusive()
    {
        var needleImage = TestImages.With(_background, _patch, 300, 300);
        var screen = needleImage.Clone();
        TestImages.Fill(screen, 310, 310, 5, 4, 255, 255, 255);
        var probe = NeedleSearch.Check(screen, MakeNeedle("probe", needleImage, Area(300, 300, 200, 50)));
        var similarity = probe.Areas[0].Similarity;
        Assert.InRange(similarity, 0.5, 0.999);

        var atLevel = MakeNeedle("at", needleImage, Area(300, 300, 200, 50, match: similarity * 100));
        var aboveLevel = MakeNeedle("above", needleImage, Area(300, 300, 200, 50, match: (similarity * 100) + 0.01));

        Assert.True(NeedleSearch.Check(screen, atLevel).Passed);
        Assert.False(NeedleSearch.Check(screen, aboveLevel).Passed);
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(2, 0.9 + ((40 - 4) / 380.0))]
    [InlineData(6, 0.9 + ((40 - 36) / 380.0))]
    [InlineData(40, 0.0)]
    public void SimilarityIsMappedFromThePerPixelMse(int greyDifference, double expected)
    {
        // A flat rectangle wider than the search window (the area widened by 69): every position in the window
        // is as good; only the similarity is defined. Near the rectangle's edge the blur would mix in the
        // background, and a position there would differ by less.
        var needleImage = _background.Clone();
        TestImages.Fill(needleImage, 150, 150, 500, 300, 100, 100, 100);
        var screen = _background.Clone();
        var grey = (byte)(100 + greyDifference);
        TestImages.Fill(screen, 150, 150, 500, 300, grey, grey, grey);
        var needle = MakeNeedle("n", needleImage, Area(300, 300, 200, 50));

        var area = NeedleSearch.Check(screen, needle).Areas[0];

        Assert.Equal(expected, area.Similarity, 9);
    }

    [Fact]
    public void EveryMatchAreaMustPass()
    {
        var other = TestImages.Patch(80, 40, seed: 11);
        var needleImage = TestImages.With(TestImages.With(_background, _patch, 300, 300), other, 700, 600);
        var needle = MakeNeedle("two", needleImage, Area(300, 300, 200, 50), Area(700, 600, 80, 40));
        var screen = TestImages.With(_background, _patch, 300, 300); // second area missing

        var candidate = NeedleSearch.Check(screen, needle);

        Assert.False(candidate.Passed);
        Assert.True(candidate.Areas[0].Passed);
        Assert.False(candidate.Areas[1].Passed);
        Assert.Equal(2, candidate.Areas.Count);
    }

    [Fact]
    public void ClickPointIsRelativeToTheMatchedArea()
    {
        var image = TestImages.With(_background, _patch, 300, 300);
        var screen = TestImages.With(_background, _patch, 310, 320);

        var explicitPoint = MakeNeedle("explicit", image, Area(300, 300, 200, 50, clickPoint: new { xpos = 15, ypos = 7.5 }));
        var center = MakeNeedle("center", image, Area(300, 300, 200, 50, clickPoint: "center"));
        var none = MakeNeedle("none", image, Area(300, 300, 200, 50));

        Assert.Equal((325, 327), NeedleSearch.Check(screen, explicitPoint).ClickPosition);
        Assert.Equal((410, 345), NeedleSearch.Check(screen, center).ClickPosition);
        Assert.Equal((410, 345), NeedleSearch.Check(screen, none).ClickPosition);
    }

    [Fact]
    public void CandidatesArePassingFirstThenLowerErrorThenWorkaroundThenName()
    {
        var image = TestImages.With(_background, _patch, 300, 300);
        var screen = image.Clone();
        var b = MakeNeedle("b-plain", image, Area(300, 300, 200, 50));
        var a = MakeNeedle("a-plain", image, Area(300, 300, 200, 50));
        var w = MakeNeedleWithProperty("z-workaround", image, new { name = "workaround", value = "bsc#1" }, Area(300, 300, 200, 50));
        var failing = MakeNeedle("0-failing", TestImages.Background(seed: 5), Area(300, 300, 200, 50));

        var result = NeedleSearch.Search(screen, [b, failing, a, w]);

        Assert.Equal(["z-workaround", "a-plain", "b-plain", "0-failing"], result.Candidates.Select(c => c.Needle.Name));
        Assert.True(result.Best!.Needle.IsWorkaround);
    }

    [Fact]
    public void AreaOutsideASmallerScreenHasSimilarityZero()
    {
        var needle = MakeNeedle("n", TestImages.With(_background, _patch, 800, 700), Area(800, 700, 200, 50));

        var candidate = NeedleSearch.Check(TestImages.Background(640, 480), needle);

        Assert.False(candidate.Passed);
        Assert.Equal(0, candidate.Areas[0].Similarity);
    }

    [Fact]
    public void TwentyCandidatesReportEveryAreaAndOnlyOneMatches()
    {
        var needles = TwentyNeedles();
        var screen = TestImages.With(_background, TestImages.Patch(200, 50, seed: 113), 100 + (13 * 30), 100 + (13 * 25));

        var result = NeedleSearch.Search(screen, needles);

        Assert.Equal("n13", result.Best?.Needle.Name);
        Assert.Equal(20, result.Candidates.Count);
        Assert.Single(result.Candidates, c => c.Passed);
    }

    [Theory]
    [InlineData(113, true)]
    [InlineData(999, false)]
    public void ACheckThatOnlyNeedsAMatchAgreesWithTheFullSearch(int shownSeed, bool found)
    {
        // Twenty candidates: the parallel path. The screen shows one of them, or a patch none of them has.
        var needles = TwentyNeedles();
        var screen = TestImages.With(_background, TestImages.Patch(200, 50, seed: shownSeed), 100 + (13 * 30), 100 + (13 * 25));

        var full = NeedleSearch.Search(screen, needles, NeedleSearch.FullRatio);
        var quick = NeedleSearch.Search(screen, needles, NeedleSearch.FullRatio, SearchDetail.IfFound);

        Assert.Equal(found, full.Found);
        Assert.Equal(full.Best?.Needle.Name, quick.Best?.Needle.Name);
        if (found)
        {
            Assert.Equal(Describe(full), Describe(quick));
        }
        else
        {
            Assert.Equal(20, full.Candidates.Count);
            Assert.Empty(quick.Candidates);
        }
    }

    /// <summary>Twenty needles, each a patch of its own (seeds 100 to 119) at a place of its own.</summary>
    private List<Needle> TwentyNeedles() => Enumerable.Range(0, 20).Select(i =>
    {
        var patch = TestImages.Patch(200, 50, seed: 100 + i);
        return MakeNeedle($"n{i:00}", TestImages.With(_background, patch, 100 + (i * 30), 100 + (i * 25)), Area(100 + (i * 30), 100 + (i * 25), 200, 50));
    }).ToList();

    private Needle MakeNeedle(string name, Frame image, params object[] areas) => MakeNeedleWithProperty(name, image, null, areas);

    private Needle MakeNeedleWithProperty(string name, Frame image, object? property, params object[] areas)
    {
        var dir = Path.Combine(_dir.Path, name);
        TestImages.WriteNeedle(dir, name, image, new { tags = new[] { "t" }, properties = property is null ? [] : new[] { property }, area = areas });
        var set = NeedleSet.Load(dir);
        Assert.Empty(set.Problems);
        return set.ByName(name)!;
    }

    private static object Area(int x, int y, int w, int h, double? match = null, int? margin = null, object? clickPoint = null)
    {
        var area = new Dictionary<string, object> { ["xpos"] = x, ["ypos"] = y, ["width"] = w, ["height"] = h, ["type"] = "match" };
        if (match is { } m)
        {
            area["match"] = m;
        }

        if (margin is { } g)
        {
            area["margin"] = g;
        }

        if (clickPoint is not null)
        {
            area["click_point"] = clickPoint;
        }

        return area;
    }

    private static object Exclude(int x, int y, int w, int h) => new { xpos = x, ypos = y, width = w, height = h, type = "exclude" };
}
