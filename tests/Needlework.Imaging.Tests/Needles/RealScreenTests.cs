using Needlework.Imaging.Frames;
using Needlework.Imaging.Needles;

namespace Needlework.Imaging.Tests.Needles;

/// <summary>Needles and screens captured from a real SUT: Debian's grub-rescue ISO booted in QEMU.</summary>
public sealed class RealScreenTests
{
    private static readonly string GrubExample = Path.Combine(RepositoryPaths.Examples, "grub-rescue");

    [Theory]
    [InlineData("01-grub-menu.png", "grub-menu", "grub-menu")]
    [InlineData("03-grub-prompt.png", "grub-console", "grub-console")]
    [InlineData("04-grub-ls.png", "grub-ls-output", "grub-ls")]
    [InlineData("05-grub-help.png", "grub-help-output", "grub-help")]
    public void EachScreenMatchesItsNeedle(string screen, string tag, string needle)
    {
        var set = NeedleSet.Load(Path.Combine(GrubExample, "needles"));
        var frame = Png.ReadFile(Path.Combine(GrubExample, "screens", screen));

        var result = NeedleSearch.Search(frame, set.WithTags(tag));

        Assert.Empty(set.Problems);
        Assert.Equal(needle, result.Best?.Needle.Name);
    }

    [Fact]
    public void SecondMenuEntryHighlightedIsNotTheMenuNeedle()
    {
        var set = NeedleSet.Load(Path.Combine(GrubExample, "needles"));
        var frame = Png.ReadFile(Path.Combine(GrubExample, "screens", "02-grub-menu-second.png"));

        var result = NeedleSearch.Search(frame, set.WithTags("grub-menu"), NeedleSearch.FullRatio);

        Assert.False(result.Found);
        var menu = Assert.Single(result.Candidates);
        Assert.True(menu.Areas[0].Passed, "the title still matches");
        Assert.False(menu.Areas[1].Passed, "the highlighted entry differs");
    }

    [Fact]
    public void ACheckThatOnlyNeedsAMatchAgreesWithTheFullSearchOnEveryScreen()
    {
        var set = NeedleSet.Load(Path.Combine(GrubExample, "needles"));
        var ruledOut = 0;
        foreach (var path in Directory.GetFiles(Path.Combine(GrubExample, "screens"), "*.png"))
        {
            var frame = Png.ReadFile(path);
            foreach (var tag in new[] { "grub-menu", "grub-console", "grub-ls-output", "grub-help-output" })
            {
                foreach (var ratio in new[] { NeedleSearch.NormalRatio, NeedleSearch.FullRatio })
                {
                    var full = NeedleSearch.Search(frame, set.WithTags(tag), ratio);
                    var quick = NeedleSearch.Search(frame, set.WithTags(tag), ratio, SearchDetail.IfFound);

                    var what = $"{tag} on {Path.GetFileName(path)} at ratio {ratio}";
                    Assert.True(full.Best?.Needle.Name == quick.Best?.Needle.Name, what);
                    if (quick.Candidates.Count == 0)
                    {
                        Assert.False(full.Found, what);
                        ruledOut++;
                    }
                    else
                    {
                        Assert.Equal(full.Candidates.Select(c => (c.Needle.Name, c.Error, c.Passed)), quick.Candidates.Select(c => (c.Needle.Name, c.Error, c.Passed)));
                    }
                }
            }
        }

        // 5 screens, 4 tags, 2 ratios: 10 of the 40 searches find their needle (grub-console also on the ls screen).
        // Each of the other 30 is ruled out without a template search, the menu too where its title area passes
        // and only the highlighted entry differs.
        Assert.Equal(30, ruledOut);
    }

    [Fact]
    public void CountdownInTheMenuIsExcluded()
    {
        var set = NeedleSet.Load(Path.Combine(GrubExample, "needles"));
        var frame = Png.ReadFile(Path.Combine(GrubExample, "screens", "01-grub-menu.png"));
        TestImages.Fill(frame, 530, 352, 30, 14, 255, 255, 255); // the seconds counting down

        Assert.True(NeedleSearch.Search(frame, set.WithTags("grub-menu")).Found);
    }
}
