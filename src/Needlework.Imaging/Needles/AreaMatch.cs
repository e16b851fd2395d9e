namespace Needlework.Imaging.Needles;

/// <summary>Where one match area of a needle was found best, and how well (0..1, openQA's similarity).</summary>
public sealed record AreaMatch(int X, int Y, int Width, int Height, double Similarity, bool Passed, ClickPoint? ClickPoint);
