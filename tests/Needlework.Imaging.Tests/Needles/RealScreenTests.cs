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
    public void CountdownInTheMenuIsExcluded()
    {
        var set = NeedleSet.Load(Path.Combine(GrubExample, "needles"));
        var frame = Png.ReadFile(Path.Combine(GrubExample, "screens", "01-grub-menu.png"));
        TestImages.Fill(frame, 530, 352, 30, 14, 255, 255, 255); // the seconds counting down

        Assert.True(NeedleSearch.Search(frame, set.WithTags("grub-menu")).Found);
    }
}
