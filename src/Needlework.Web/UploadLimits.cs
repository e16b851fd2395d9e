namespace Needlework.Web;

/// <summary>Largest accepted artefact per kind, in bytes.</summary>
public sealed record UploadLimits
{
    public long Screenshot { get; init; } = 20L << 20;

    public long Log { get; init; } = 200L << 20;

    public long Video { get; init; } = 2L << 30;

    public long Stats { get; init; } = 20L << 20;

    public long Live { get; init; } = 20L << 20;

    public long Json { get; init; } = 10L << 20;

    public long For(string type) => type switch
    {
        "screenshot" => Screenshot,
        "video" => Video,
        "stats" => Stats,
        "live" => Live,
        _ => Log,
    };
}
