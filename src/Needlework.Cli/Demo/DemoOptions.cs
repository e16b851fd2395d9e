namespace Needlework.Cli.Demo;

/// <summary>What `needlework demo` was asked to do.</summary>
internal sealed record DemoOptions
{
    /// <summary>The web UI's port on 127.0.0.1 (openQA's 9526 by default).</summary>
    public int Port { get; init; } = 9526;

    /// <summary>The web UI's SQLite database and artefacts, and the worker's pool, all below this folder.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The folder holding examples/grub-rescue and examples/debian-installer.</summary>
    public required string ExamplesDirectory { get; init; }

    /// <summary>Whether to schedule the Debian installer (about two minutes under TCG).</summary>
    public bool Installer { get; init; } = true;

    /// <summary>Exit when the jobs are done instead of keeping the web UI up until Ctrl-C.</summary>
    public bool ExitWhenDone { get; init; }

    /// <summary>NEEDLEWORK_MAX_STALL of the slowed job: this long without a frame stops it.</summary>
    public double MaxStallSeconds { get; init; } = 3;

    /// <summary>How long the slowed job's QEMU stays frozen: well past <see cref="MaxStallSeconds"/>.</summary>
    public TimeSpan Freeze { get; init; } = TimeSpan.FromSeconds(6);

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public string PoolRoot => Path.Combine(DataDirectory, "pool");

    public string JobUrl(long id) => new Uri(Url, $"tests/{id}").ToString();
}
