namespace Needlework.Worker.Configuration;

/// <summary>What the command line gives; each value set here wins over workers.ini.</summary>
public sealed record CommandLineSettings
{
    public string? Host { get; init; }

    public int? Instance { get; init; }

    public string? ApiKey { get; init; }

    public string? ApiSecret { get; init; }

    public string? PoolRoot { get; init; }

    public string? WorkerClass { get; init; }

    /// <summary>The runner command line, split on spaces (quote nothing: paths with spaces are not supported here).</summary>
    public string? Isotovideo { get; init; }

    public string? AssetDirectory { get; init; }
}
