using Needlework.Imaging.Frames;
using Needlework.Imaging.Needles;
using OpenCvSharp;

namespace Needlework.Imaging.Tests.Needles;

/// <summary>
/// The proof that an area passes nowhere in its window: it may say "maybe" too often, never "no" wrongly.
/// Checked against the exact squared differences of every position, on real GRUB screens.
/// </summary>
public sealed class AreaBoundTests
{
    private static readonly string Screens = Path.Combine(RepositoryPaths.Examples, "grub-rescue", "screens");

    [Fact]
    public void PassLimitIsTheLargestSumThatPasses()
    {
        // 0.9 + (40 - mse) / 380 >= 0.96 holds up to mse = 17.2.
        Assert.Equal(17.2 * 100, AreaBound.PassLimit(0.96, 100), 9);
        Assert.Equal(40.0, AreaBound.PassLimit(0.9, 1), 9);
        Assert.Equal(double.PositiveInfinity, AreaBound.PassLimit(0, 100));
        Assert.True(AreaBound.PassLimit(1.01, 100) < 0, "above 1 nothing passes");
    }

    [Theory]
    [InlineData("03-grub-prompt.png", "04-grub-ls.png")]
    [InlineData("04-grub-ls.png", "05-grub-help.png")]
    [InlineData("01-grub-menu.png", "02-grub-menu-second.png")]
    [InlineData("05-grub-help.png", "03-grub-prompt.png")]
    public void NeverRulesOutAPositionThatPasses(string needleScreen, string searchedScreen)
    {
        var needle = Grey(needleScreen);
        var screen = Grey(searchedScreen);
        var random = new Random(4);
        var (ruledOut, maybe) = (0, 0);
        for (var trial = 0; trial < 60; trial++)
        {
            var (w, h) = (random.Next(8, 90), random.Next(6, 40));
            var area = new Rect(random.Next(0, needle.Width - w), random.Next(0, 200 - h), w, h);
            // Every other template is the searched screen's own, a little brighter: a difference spread evenly,
            // where even the coarsest bound is nearly exact.
            var template = trial % 2 == 0 ? needle.Crop(area) : Brighter(screen.Crop(area), random.Next(1, 6));
            var window = Around(area, random.Next(0, 12), screen);
            var best = SmallestSum(screen, window, template);

            // Limits just below, at and just above the best position's sum, and the default level's.
            foreach (var limit in new[] { best - 1, best, best + 1, AreaBound.PassLimit(0.96, w * h) })
            {
                var may = AreaBound.MayPass(screen, window, template, limit);
                if (best <= limit)
                {
                    Assert.True(may, $"{area} in {window}: best sum {best} passes limit {limit}");
                    maybe++;
                }
                else if (!may)
                {
                    ruledOut++;
                }
            }
        }

        Assert.True(maybe > 0, "some limits let the best position pass");
        Assert.True(ruledOut > 0, "some windows were ruled out");
    }

    [Fact]
    public void ASumExactlyAtTheLimitPasses()
    {
        var screen = Grey("05-grub-help.png");
        var area = new Rect(0, 335, 420, 35);
        var template = screen.Crop(area);
        template.Row(10)[20] += 7;
        template.Row(11)[21] ^= 0x40;
        var exact = SmallestSum(screen, area, template);

        Assert.True(exact > 0);
        Assert.True(AreaBound.MayPass(screen, area, template, exact));
        Assert.False(AreaBound.MayPass(screen, area, template, exact - 1));
    }

    [Fact]
    public void AMenuThatIsNotThereIsRuledOutOnTheWholeScreen()
    {
        var menu = Grey("01-grub-menu.png");
        var help = Grey("05-grub-help.png");
        var entry = new Rect(16, 62, 690, 20);
        var template = menu.Crop(entry);
        var whole = new Rect(0, 0, help.Width, help.Height);

        Assert.False(AreaBound.MayPass(help, whole, template, AreaBound.PassLimit(0.96, entry.Width * entry.Height)));
        Assert.True(AreaBound.MayPass(menu, whole, template, AreaBound.PassLimit(0.96, entry.Width * entry.Height)));
    }

    private static GreyPlane Grey(string screen) => GreyPlane.FromFrame(Png.ReadFile(Path.Combine(Screens, screen)));

    private static GreyPlane Brighter(GreyPlane plane, int by)
    {
        foreach (ref var pixel in plane.Pixels.AsSpan())
        {
            pixel = (byte)Math.Min(255, pixel + by);
        }

        return plane;
    }

    private static Rect Around(Rect area, int margin, GreyPlane screen)
    {
        var (left, top) = (Math.Max(0, area.X - margin), Math.Max(0, area.Y - margin));
        return new Rect(left, top, Math.Min(screen.Width, area.Right + margin) - left, Math.Min(screen.Height, area.Bottom + margin) - top);
    }

    /// <summary>The exact smallest sum of squared differences over every position of the template in the window.</summary>
    private static long SmallestSum(GreyPlane screen, Rect window, GreyPlane template)
    {
        var best = long.MaxValue;
        for (var y = window.Y; y + template.Height <= window.Bottom; y++)
        {
            for (var x = window.X; x + template.Width <= window.Right; x++)
            {
                long sum = 0;
                for (var row = 0; row < template.Height; row++)
                {
                    for (var col = 0; col < template.Width; col++)
                    {
                        var difference = screen.Pixels[((y + row) * screen.Width) + x + col] - template.Pixels[(row * template.Width) + col];
                        sum += difference * difference;
                    }
                }

                best = Math.Min(best, sum);
            }
        }

        return best;
    }
}
