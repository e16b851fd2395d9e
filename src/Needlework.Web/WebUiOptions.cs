namespace Needlework.Web;

/// <summary>The web UI's configuration, bound from the "Needlework" section.</summary>
public sealed record WebUiOptions
{
    public const string Section = "Needlework";

    /// <summary>Where the SQLite file, screenshots and test results live.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>"sqlite" (default) or "postgres".</summary>
    public string Database { get; init; } = "sqlite";

    /// <summary>For PostgreSQL; for SQLite it overrides the file in <see cref="DataDirectory"/>.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>A worker silent for this long loses its job as abandoned (openQA waits 30 minutes; we do not).</summary>
    public TimeSpan WorkerTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Nobody asked for the live image for this long: the worker is told to stop producing it.</summary>
    public TimeSpan LiveViewIdle { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>openQA's window for X-API-Microtime.</summary>
    public TimeSpan ApiTimestampTolerance { get; init; } = TimeSpan.FromSeconds(300);

    public UploadLimits Uploads { get; init; } = new();

    public AutoRetriggerOptions AutoRetrigger { get; set; } = new();

    public SlownessOptions Slowness { get; init; } = new();
}
