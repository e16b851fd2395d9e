namespace Needlework.Runner.Results;

/// <summary>A matched area as openQA stores it: position, size, similarity in whole percent, ok or fail.</summary>
public sealed record ResultArea(int X, int Y, int W, int H, int Similarity, string Result, object? ClickPoint = null);
