using OpenCvSharp;
using Needlework.Imaging.Frames;

namespace Needlework.Imaging.Needles;

/// <summary>
/// A reference image with the areas to look for, loaded from <c>name.json</c> beside <c>name.png</c>.
/// The image is read only when the needle is first searched for, and only the blurred greyscale of its
/// match areas is kept, so thousands of needles cost little memory.
/// </summary>
public sealed class Needle
{
    private readonly Lazy<NeedleTemplate> _template;

    public Needle(
        string name,
        string jsonPath,
        string pngPath,
        IReadOnlyList<string> tags,
        IReadOnlyList<NeedleProperty> properties,
        IReadOnlyList<NeedleArea> areas,
        int imageWidth,
        int imageHeight)
    {
        Name = name;
        JsonPath = jsonPath;
        PngPath = pngPath;
        Tags = tags;
        Properties = properties;
        Areas = areas;
        ImageWidth = imageWidth;
        ImageHeight = imageHeight;
        ExcludedRects = ExcludedRectsOf(areas);
        _template = new Lazy<NeedleTemplate>(() => NeedleTemplate.Load(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The file name without <c>.json</c>, as openQA names needles.</summary>
    public string Name { get; }

    public string JsonPath { get; }

    public string PngPath { get; }

    public IReadOnlyList<string> Tags { get; }

    public IReadOnlyList<NeedleProperty> Properties { get; }

    public IReadOnlyList<NeedleArea> Areas { get; }

    public int ImageWidth { get; }

    public int ImageHeight { get; }

    /// <summary>Marks a known issue: such a match is recorded as a soft failure.</summary>
    public bool IsWorkaround => HasProperty(NeedleProperty.Workaround);

    public bool HasTag(string tag) => Tags.Contains(tag, StringComparer.Ordinal);

    public bool HasProperty(string name) => Properties.Any(p => p.Name == name);

    internal NeedleTemplate Template => _template.Value;

    /// <summary>The exclude areas' rectangles, once: every search paints them.</summary>
    internal Rect[] ExcludedRects { get; }

    public override string ToString() => Name;

    /// <summary>By a loop: LINQ over OpenCV's Rect struct is generic code ReadyToRun cannot precompile.</summary>
    private static Rect[] ExcludedRectsOf(IReadOnlyList<NeedleArea> areas)
    {
        var count = 0;
        foreach (var area in areas)
        {
            count += area.Type == NeedleAreaType.Exclude ? 1 : 0;
        }

        var result = new Rect[count];
        count = 0;
        foreach (var area in areas)
        {
            if (area.Type == NeedleAreaType.Exclude)
            {
                result[count++] = area.Rect;
            }
        }

        return result;
    }
}

/// <summary>A needle's match areas, greyscale and blurred once, with its exclude areas painted first.</summary>
internal sealed class NeedleTemplate
{
    private NeedleTemplate(IReadOnlyList<GreyPlane?> areas) => Areas = areas;

    /// <summary>One blurred greyscale crop for each entry of <see cref="Needle.Areas"/>; null for areas not searched.</summary>
    public IReadOnlyList<GreyPlane?> Areas { get; }

    public static NeedleTemplate Load(Needle needle)
    {
        // Only the rows down to the lowest area (and the blur's one row beyond it) are ever looked at.
        var rows = 0;
        foreach (var area in needle.Areas)
        {
            rows = Math.Max(rows, area.Rect.Bottom + 1);
        }

        var image = Png.Decode(File.ReadAllBytes(needle.PngPath), needle.PngPath, rows);
        if (image.Width != needle.ImageWidth || image.Height != needle.ImageHeight)
        {
            throw new InvalidDataException($"{needle.PngPath}: image is {image.Width}x{image.Height}, its header said {needle.ImageWidth}x{needle.ImageHeight}");
        }

        var blurred = GreyScene.Prepare(image, needle.ExcludedRects, Math.Min(rows, image.Height));
        var crops = new GreyPlane?[needle.Areas.Count];
        for (var i = 0; i < crops.Length; i++)
        {
            var area = needle.Areas[i];
            crops[i] = area.Type == NeedleAreaType.Match ? blurred.Crop(area.Rect) : null;
        }

        return new NeedleTemplate(crops);
    }
}
