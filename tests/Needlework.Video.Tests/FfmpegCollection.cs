namespace Needlework.Video.Tests;

/// <summary>Tests that start real encoders run one at a time: two cores, and some assert on timing.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FfmpegCollection
{
    public const string Name = "real ffmpeg";
}
