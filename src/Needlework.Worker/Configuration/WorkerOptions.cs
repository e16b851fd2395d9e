namespace Needlework.Worker.Configuration;

/// <summary>One worker instance's configuration: workers.ini's [global] and [N] sections, then the command line.</summary>
public sealed record WorkerOptions
{
    /// <summary>The web UI's base address (openQA's HOST; a bare host:port gets http://).</summary>
    public Uri Host { get; init; } = new("http://127.0.0.1:9526");

    /// <summary>The instance number; each instance has its own pool directory and WebSocket.</summary>
    public int Instance { get; init; } = 1;

    /// <summary>The name this worker registers under (openQA's WORKER_HOSTNAME, default the machine name).</summary>
    public string WorkerHostname { get; init; } = Environment.MachineName;

    public string ApiKey { get; init; } = string.Empty;

    public string ApiSecret { get; init; } = string.Empty;

    /// <summary>Parent of the per-instance pool directories (openQA: /var/lib/openqa/pool).</summary>
    public string PoolRoot { get; init; } = "pool";

    /// <summary>Comma-separated WORKER_CLASS offered to the scheduler.</summary>
    public string WorkerClass { get; init; } = "qemu_x86_64";

    /// <summary>Where relative ISO/HDD_1/KERNEL/INITRD names are looked up (openQA's share/factory layout, or a flat folder).</summary>
    public IReadOnlyList<string> AssetDirectories { get; init; } = [];

    /// <summary>The runner command, started with <c>-p POOL --token T -q</c> appended.</summary>
    public IReadOnlyList<string> IsotovideoCommand { get; init; } = [];

    /// <summary>Variables from workers.ini that go into every job's vars.json, overriding the job's settings.</summary>
    public IReadOnlyDictionary<string, string> JobVariableOverrides { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>openQA's CRITICAL_LOAD_AVG_THRESHOLD: above it the worker declares itself broken and takes no jobs.</summary>
    public double CriticalLoadAverageThreshold { get; init; } = 40;

    /// <summary>How often the worker tells the web UI it is alive and healthy; well below the web UI's worker timeout.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First wait before reconnecting; at least a second, because signatures carry whole seconds.</summary>
    public TimeSpan ReconnectMinimum { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaximum { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the pool directory is checked for new results while the runner works.</summary>
    public TimeSpan ResultPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often last.png is fetched while somebody watches.</summary>
    public TimeSpan LiveViewInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The stop escalation: graceful stop through the command server, then SIGTERM, then SIGKILL.</summary>
    public StopGrace StopGrace { get; init; } = new();

    /// <summary>Where host load, CPU and memory figures are read (tests point it at a fake).</summary>
    public string ProcRoot { get; init; } = "/proc";

    public string PoolDirectory => Path.GetFullPath(Path.Combine(PoolRoot, Instance.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The durable upload queue, beside the pool directory so cleaning the pool for a new job leaves it alone.</summary>
    public string SpoolDirectory => PoolDirectory + ".uploads";
}
