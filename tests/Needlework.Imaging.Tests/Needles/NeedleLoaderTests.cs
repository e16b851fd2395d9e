using Needlework.Imaging.Frames;
using Needlework.Imaging.Needles;

namespace Needlework.Imaging.Tests.Needles;

public sealed class NeedleLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Frame _image = TestImages.Background(320, 200);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ReadsOpenQaNeedleFormatWithDefaults()
    {
        Write("sub/dir/login", """
            {"tags": ["login", "ENV-FLAVOR-DVD"], "properties": ["workaround", {"name": "glyph", "value": "x"}],
             "area": [{"xpos": 10, "ypos": 20, "width": 30, "height": 40},
                      {"xpos": 1, "ypos": 2, "width": 3, "height": 4, "type": "exclude"},
                      {"xpos": 50, "ypos": 60, "width": 70, "height": 80, "type": "match", "match": 85, "margin": 10, "click_point": {"xpos": 5, "ypos": 6}}]}
            """);

        var set = NeedleSet.Load(_dir.Path);

        var needle = Assert.Single(set.All);
        Assert.Empty(set.Problems);
        Assert.Equal("login", needle.Name);
        Assert.Equal(["login", "ENV-FLAVOR-DVD"], needle.Tags);
        Assert.True(needle.IsWorkaround);
        Assert.Equal("x", needle.Properties[1].Value);
        Assert.Equal(new NeedleArea(10, 20, 30, 40), needle.Areas[0]);
        Assert.Equal(NeedleAreaType.Exclude, needle.Areas[1].Type);
        Assert.Equal(new NeedleArea(50, 60, 70, 80, NeedleAreaType.Match, 85, 10, new ClickPoint(5, 6, false)), needle.Areas[2]);
        Assert.Equal((320, 200), (needle.ImageWidth, needle.ImageHeight));
    }

    [Theory]
    [InlineData("""{"tags": ["a"], "area": [{"xpos": 0, "ypos": 0, "width": 5, "height": 5}""", "(json)", "not valid JSON")]
    [InlineData("""{"tags": ["a"], "area": [{"xpos": 300, "ypos": 0, "width": 50, "height": 5}]}""", "area[0]", "lies outside the 320x200 image")]
    [InlineData("""{"tags": ["a"], "area": [{"xpos": 0, "ypos": 0, "width": 5, "height": 5, "type": "exclude"}]}""", "area", "no match area")]
    [InlineData("""{"tags": ["a"], "area": [{"xpos": 0, "ypos": 0, "width": 5, "height": 5}, {"xpos": 0, "ypos": 0, "width": 5, "height": 5, "type": "blur"}]}""", "area[1].type", "unknown area type \"blur\"")]
    [InlineData("""{"tags": ["a"]}""", "area", "missing")]
    [InlineData("""{"tags": "a", "area": [{"xpos": 0, "ypos": 0, "width": 5, "height": 5}]}""", "tags", "expected an array")]
    [InlineData("""{"tags": ["a"], "area": [{"xpos": -1, "ypos": 0, "width": 5, "height": 5}]}""", "area[0].xpos", "whole number")]
    [InlineData("""{"tags": ["a"], "area": [{"xpos": 0, "ypos": 0, "width": 0, "height": 5}]}""", "area[0].width", "positive width")]
    [InlineData("""{"tags": ["a"], "area": [{"xpos": 0, "ypos": 0, "width": 5, "height": 5, "match": 120}]}""", "area[0].match", "percentage")]
    [InlineData("""{"tags": ["a"], "area": [{"xpos": 0, "ypos": 0, "width": 5, "height": 5, "click_point": "middle"}]}""", "area[0].click_point", "center")]
    [InlineData("""{"tags": ["a"], "area": [{"xpos": 0, "ypos": 0, "width": 5, "height": 5, "click_point": "center"}, {"xpos": 0, "ypos": 0, "width": 5, "height": 5, "click_point": "center"}]}""", "area[1].click_point", "only one area")]
    public void MalformedNeedleIsReportedWithFileAndFieldAndTheOthersStillLoad(string json, string field, string message)
    {
        Write("good", """{"tags": ["a"], "area": [{"xpos": 0, "ypos": 0, "width": 5, "height": 5}]}""");
        Write("broken", json);

        var set = NeedleSet.Load(_dir.Path);

        Assert.Equal("good", Assert.Single(set.All).Name);
        var problem = Assert.Single(set.Problems);
        Assert.Equal(Path.Combine(_dir.Path, "broken.json"), problem.File);
        Assert.Equal(field, problem.Field);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingPngIsReported()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "lonely.json"), """{"tags": ["a"], "area": [{"xpos": 0, "ypos": 0, "width": 5, "height": 5}]}""");

        var problem = Assert.Single(NeedleSet.Load(_dir.Path).Problems);

        Assert.Equal("png", problem.Field);
        Assert.Contains("missing image lonely.png", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANeedleQualifiesOnlyWithAllRequestedTags()
    {
        Write("both", """{"tags": ["boot", "menu"], "area": [{"xpos": 0, "ypos": 0, "width": 5, "height": 5}]}""");
        Write("boot-only", """{"tags": ["boot"], "area": [{"xpos": 0, "ypos": 0, "width": 5, "height": 5}]}""");
        Write("other", """{"tags": ["menu", "x"], "area": [{"xpos": 0, "ypos": 0, "width": 5, "height": 5}]}""");

        var set = NeedleSet.Load(_dir.Path);

        Assert.Equal(["both"], set.WithTags("boot", "menu").Select(n => n.Name));
        Assert.Equal(["boot-only", "both"], set.WithTags("boot").Select(n => n.Name));
        Assert.Empty(set.WithTags("boot", "nothing"));
    }

    [Fact]
    public void MissingDirectoryIsAClearError() =>
        Assert.Throws<DirectoryNotFoundException>(() => NeedleSet.Load(Path.Combine(_dir.Path, "nope")));

    private void Write(string name, string json)
    {
        var path = Path.Combine(_dir.Path, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Png.WriteFile(_image, path + ".png");
        File.WriteAllText(path + ".json", json);
    }
}
