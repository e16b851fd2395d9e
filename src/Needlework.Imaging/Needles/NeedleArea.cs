using OpenCvSharp;

namespace Needlework.Imaging.Needles;

/// <summary>One area of a needle, as in the needle's JSON.</summary>
/// <param name="Match">Percent similarity the area needs (openQA's default 96).</param>
/// <param name="Margin">Pixels the area may have moved in each direction (openQA's default 50).</param>
public sealed record NeedleArea(
    int X,
    int Y,
    int Width,
    int Height,
    NeedleAreaType Type = NeedleAreaType.Match,
    double Match = NeedleArea.DefaultMatch,
    int Margin = NeedleArea.DefaultMargin,
    ClickPoint? ClickPoint = null)
{
    public const double DefaultMatch = 96;

    public const int DefaultMargin = 50;

    internal Rect Rect => new(X, Y, Width, Height);
}
