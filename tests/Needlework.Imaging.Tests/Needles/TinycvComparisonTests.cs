using System.Diagnostics;
using System.Text.Json;
using Needlework.Imaging.Frames;
using Needlework.Imaging.Needles;
using Xunit.Abstractions;

namespace Needlework.Imaging.Tests.Needles;

/// <summary>
/// Runs Debian's os-autoinst needle search (tinycv, through bench/tinycv/tinycv-search.pl) and ours on the
/// same needles and screens: the same pass/fail and the similarity within 1 percentage point.
/// </summary>
public sealed class TinycvComparisonTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(NeedleSearch.NormalRatio)]
    [InlineData(NeedleSearch.FullRatio)]
    public void RealGrubScreensAgree(double ratio)
    {
        var example = Path.Combine(RepositoryPaths.Examples, "grub-rescue");
        var screens = Directory.GetFiles(Path.Combine(example, "screens"), "*.png").Order(StringComparer.Ordinal).ToList();
        screens.Add(Perturbed(Path.Combine(example, "screens", "01-grub-menu.png"), shiftX: 7, shiftY: 3));
        screens.Add(Perturbed(Path.Combine(example, "screens", "04-grub-ls.png"), shiftX: 0, shiftY: 0, scribble: true));

        Compare(Path.Combine(example, "needles"), screens, ratio);
    }

    [Fact]
    public void GeneratedShiftsAndChangesAgree()
    {
        var background = TestImages.Background();
        var patch = TestImages.Patch(200, 50, seed: 7);
        var needles = Path.Combine(_dir.Path, "needles");
        var needleImage = TestImages.With(background, patch, 300, 300);
        TestImages.WriteNeedle(needles, "patch", needleImage, new
        {
            tags = new[] { "t" },
            area = new object[]
            {
                new { xpos = 300, ypos = 300, width = 200, height = 50, type = "match" },
                new { xpos = 340, ypos = 310, width = 20, height = 10, type = "exclude" },
            },
        });
        TestImages.WriteNeedle(needles, "corner", needleImage, new { tags = new[] { "t" }, area = new[] { new { xpos = 0, ypos = 0, width = 120, height = 90, type = "match", match = 90 } } });

        var screens = new List<string>();
        var cases = new (int Dx, int Dy, int Fill)[] { (0, 0, 0), (12, -9, 0), (40, 30, 0), (0, 0, 1), (3, 3, 2), (90, 0, 0), (0, 0, 3) };
        foreach (var (dx, dy, fill) in cases)
        {
            var screen = TestImages.With(background, patch, 300 + dx, 300 + dy);
            if (fill >= 1)
            {
                TestImages.Fill(screen, 310, 305, 40 * fill, 8 * fill, 0, 0, 0);
            }

            if (fill == 3)
            {
                TestImages.Fill(screen, 10, 10, 30, 30, 250, 250, 250);
            }

            var path = Path.Combine(_dir.Path, $"screen-{dx}-{dy}-{fill}.png");
            Png.WriteFile(screen, path);
            screens.Add(path);
        }

        Compare(needles, screens, NeedleSearch.NormalRatio);
    }

    private void Compare(string needlesDir, IReadOnlyList<string> screens, double ratio)
    {
        var theirs = RunTinycv(needlesDir, screens, ratio);
        var set = NeedleSet.Load(needlesDir);
        var compared = 0;
        var maxDifference = 0.0;
        foreach (var screen in screens)
        {
            var frame = Png.ReadFile(screen);
            foreach (var needle in set.All)
            {
                var ours = NeedleSearch.Check(frame, needle, ratio);
                var their = theirs[(screen, needle.Name)];
                var label = $"{Path.GetFileName(screen)} / {needle.Name}";
                Assert.True(their.Ok == ours.Passed, $"{label}: tinycv says {(their.Ok ? "match" : "no match")}, we say {(ours.Passed ? "match" : "no match")}");
                Assert.Equal(their.Similarities.Count, ours.Areas.Count);
                for (var i = 0; i < ours.Areas.Count; i++)
                {
                    var difference = Math.Abs(their.Similarities[i] - ours.Areas[i].Similarity);
                    maxDifference = Math.Max(maxDifference, difference);
                    Assert.True(difference <= 0.01, $"{label} area {i}: tinycv {their.Similarities[i]:F4}, ours {ours.Areas[i].Similarity:F4}");
                }

                compared++;
            }
        }

        output.WriteLine($"{compared} screen/needle pairs compared, largest similarity difference {maxDifference * 100:F3} points");
        Assert.True(compared >= screens.Count);
    }

    private string Perturbed(string screen, int shiftX, int shiftY, bool scribble = false)
    {
        var source = Png.ReadFile(screen);
        var shifted = new Frame(source.Width, source.Height);
        shifted.Pixels.Fill(FrameScaler.PaddingGrey);
        for (var y = 0; y + shiftY < source.Height; y++)
        {
            source.GetRow(y)[..((source.Width - shiftX) * 3)].CopyTo(shifted.GetRow(y + shiftY)[(shiftX * 3)..]);
        }

        if (scribble)
        {
            TestImages.Fill(shifted, 40, 146, 12, 10, 200, 200, 200);
        }

        var path = Path.Combine(_dir.Path, $"perturbed-{shiftX}-{shiftY}-{Path.GetFileName(screen)}");
        Png.WriteFile(shifted, path);
        return path;
    }

    private static Dictionary<(string Screen, string Needle), (bool Ok, List<double> Similarities)> RunTinycv(string needlesDir, IReadOnlyList<string> screens, double ratio)
    {
        var script = Path.Combine(RepositoryPaths.Root, "bench", "tinycv", "tinycv-search.pl");
        var start = new ProcessStartInfo("perl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, ratio.ToString(System.Globalization.CultureInfo.InvariantCulture), needlesDir }.Concat(screens))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "tinycv did not finish in 60 s");
        Assert.True(process.ExitCode == 0, $"tinycv-search.pl failed ({process.ExitCode}); is Debian's os-autoinst installed? {stderr.GetAwaiter().GetResult()}");

        var results = new Dictionary<(string, string), (bool, List<double>)>();
        foreach (var line in lines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var similarities = root.GetProperty("areas").EnumerateArray().Select(a => a.GetProperty("similarity").GetDouble()).ToList();
            results[(root.GetProperty("screen").GetString()!, root.GetProperty("needle").GetString()!)] = (root.GetProperty("ok").GetBoolean(), similarities);
        }

        return results;
    }
}
