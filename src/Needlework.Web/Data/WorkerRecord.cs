namespace Needlework.Web.Data;

/// <summary>A worker slot (openQA's workers table): one per host and instance.</summary>
public sealed class WorkerRecord
{
    public long Id { get; set; }

    public string Host { get; set; } = string.Empty;

    public int Instance { get; set; }

    /// <summary>Comma-separated WORKER_CLASS, kept as a column because the scheduler reads it on every pass.</summary>
    public string WorkerClass { get; set; } = string.Empty;

    /// <summary>Everything else the worker reported at registration (cpu_arch, mem_max, versions).</summary>
    public Dictionary<string, string> Properties { get; set; } = new(StringComparer.Ordinal);

    public DateTimeOffset TCreated { get; set; }

    public DateTimeOffset? TSeen { get; set; }

    /// <summary>Why the worker takes no jobs (it says so itself, for example load too high); null when healthy.</summary>
    public string? Error { get; set; }

    public long? JobId { get; set; }

    /// <summary>False once the worker was declared gone; it comes back by registering again.</summary>
    public bool Online { get; set; }

    public string Name => Host + ":" + Instance;
}
