namespace Needlework.Imaging.Needles;

/// <summary>Where to click inside a matched area, relative to its top-left corner; <see cref="IsCenter"/> means its centre.</summary>
public sealed record ClickPoint(double X, double Y, bool IsCenter)
{
    public static ClickPoint Center { get; } = new(0, 0, true);

    /// <summary>The absolute screen position for an area matched at (<paramref name="areaX"/>, <paramref name="areaY"/>), truncated as openQA does.</summary>
    public (int X, int Y) Resolve(int areaX, int areaY, int width, int height) =>
        IsCenter
            ? ((int)(areaX + (width / 2.0)), (int)(areaY + (height / 2.0)))
            : ((int)(areaX + X), (int)(areaY + Y));
}
