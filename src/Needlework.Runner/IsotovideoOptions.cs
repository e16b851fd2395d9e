using Needlework.Runner.Backends;
using Needlework.Runner.Variables;

namespace Needlework.Runner;

/// <summary>How to run one job: its pool directory (with vars.json) and the seams tests and the CLI set.</summary>
public sealed record IsotovideoOptions
{
    public required string PoolDirectory { get; init; }

    /// <summary>Where compiled test distributions are cached; null disables the cache.</summary>
    public string? CacheDirectory { get; init; } = DefaultCacheDirectory();

    /// <summary>The command server's path token; the worker passes its job token, otherwise a random one is made.</summary>
    public string? Token { get; init; }

    /// <summary>Also writes the log here (the terminal), besides autoinst-log.txt.</summary>
    public TextWriter? Echo { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Makes the backend for BACKEND; the default knows qemu and vnc.</summary>
    public Func<JobVariables, string, RunnerLog, TimeProvider, ISutBackend> BackendFactory { get; init; } = Backends.BackendFactory.Create;

    private static string DefaultCacheDirectory()
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(root))
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }

        return Path.Combine(root, "needlework", "distributions");
    }
}
