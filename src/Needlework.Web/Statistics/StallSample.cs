namespace Needlework.Web.Statistics;

/// <summary>One point of the stats.json timeline: seconds since start, the longest frame gap in that second, and more.</summary>
public sealed record StallSample(double Seconds, double StallSeconds, double? CaptureIntervalMs, double? Load);
