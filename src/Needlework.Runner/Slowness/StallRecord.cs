namespace Needlework.Runner.Slowness;

/// <summary>One stall: when the last frame before it arrived (seconds since the monitor started) and how long no frame came.</summary>
public sealed record StallRecord(double StartS, double LengthS);
