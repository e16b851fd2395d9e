using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Needlework.Worker.Configuration;

/// <summary>
/// openQA's workers.ini: a [global] section and one section per instance ([1], [2], ...) whose keys
/// override [global]. Keys the worker itself understands configure it; every other key is a job
/// variable that overrides the job's settings in vars.json, as openQA's worker passes its settings on.
/// </summary>
public static class WorkersIni
{
    public const string DefaultPath = "/etc/needlework/workers.ini";

    private static readonly HashSet<string> WorkerKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "HOST", "WORKER_CLASS", "WORKER_HOSTNAME", "APIKEY", "APISECRET", "POOL_ROOT", "POOLDIR", "ASSET_DIR", "SHARE_DIR",
        "ISOTOVIDEO", "CRITICAL_LOAD_AVG_THRESHOLD", "HEARTBEAT_INTERVAL", "CACHEDIRECTORY", "CACHELIMIT", "LOG_LEVEL", "LOG_DIR",
        "UPLOAD_CHUNK_SIZE", "TERMINATE_AFTER_JOBS_DONE", "STOP_GRACE", "PROC_ROOT",
    };

    /// <summary>Reads an ini file; a missing optional file gives an empty configuration.</summary>
    public static IConfiguration Read(string? path, bool optional)
    {
        var builder = new ConfigurationBuilder();
        if (!string.IsNullOrEmpty(path))
        {
            builder.AddIniFile(Path.GetFullPath(path), optional, reloadOnChange: false);
        }

        return builder.Build();
    }

    /// <summary>Merges [global], [instance] and the command line into the options of one instance.</summary>
    /// <exception cref="FormatException">A value that must be a number or an address is not one.</exception>
    public static WorkerOptions Resolve(IConfiguration ini, CommandLineSettings commandLine, WorkerOptions? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(ini);
        ArgumentNullException.ThrowIfNull(commandLine);
        var options = defaults ?? new WorkerOptions();
        var instance = commandLine.Instance ?? options.Instance;
        var merged = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var section in new[] { "global", instance.ToString(CultureInfo.InvariantCulture) })
        {
            foreach (var entry in ini.GetSection(section).GetChildren())
            {
                if (entry.Value is not null)
                {
                    merged[entry.Key] = entry.Value.Trim();
                }
            }
        }

        string? Get(string key) => merged.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

        var overrides = merged.Where(kv => !WorkerKeys.Contains(kv.Key))
            .ToDictionary(kv => kv.Key.ToUpperInvariant(), kv => kv.Value, StringComparer.Ordinal);
        var assetDirectory = commandLine.AssetDirectory ?? Get("ASSET_DIR") ?? Get("SHARE_DIR");
        var isotovideo = commandLine.Isotovideo ?? Get("ISOTOVIDEO");
        return options with
        {
            Instance = instance,
            Host = ParseHost(commandLine.Host ?? Get("HOST")) ?? options.Host,
            WorkerHostname = Get("WORKER_HOSTNAME") ?? options.WorkerHostname,
            ApiKey = commandLine.ApiKey ?? Get("APIKEY") ?? options.ApiKey,
            ApiSecret = commandLine.ApiSecret ?? Get("APISECRET") ?? options.ApiSecret,
            PoolRoot = commandLine.PoolRoot ?? Get("POOL_ROOT") ?? Get("POOLDIR") ?? options.PoolRoot,
            WorkerClass = commandLine.WorkerClass ?? Get("WORKER_CLASS") ?? options.WorkerClass,
            AssetDirectories = assetDirectory is null ? options.AssetDirectories : [.. options.AssetDirectories, assetDirectory],
            IsotovideoCommand = isotovideo is null ? options.IsotovideoCommand : isotovideo.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            CriticalLoadAverageThreshold = Number(Get("CRITICAL_LOAD_AVG_THRESHOLD"), "CRITICAL_LOAD_AVG_THRESHOLD") ?? options.CriticalLoadAverageThreshold,
            HeartbeatInterval = Number(Get("HEARTBEAT_INTERVAL"), "HEARTBEAT_INTERVAL") is { } h ? TimeSpan.FromSeconds(h) : options.HeartbeatInterval,
            ProcRoot = Get("PROC_ROOT") ?? options.ProcRoot,
            JobVariableOverrides = overrides,
        };
    }

    /// <summary>openQA's HOST may be a bare host[:port] or a URL; several space-separated web UIs are not supported, the first is used.</summary>
    /// <exception cref="FormatException">Not an address.</exception>
    public static Uri? ParseHost(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        var first = host.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        if (!first.Contains("://", StringComparison.Ordinal))
        {
            first = "http://" + first;
        }

        return Uri.TryCreate(first, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? new Uri(uri.GetLeftPart(UriPartial.Authority) + "/")
            : throw new FormatException($"HOST '{host}' is not an http(s) address");
    }

    private static double? Number(string? text, string key) =>
        text is null ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw new FormatException($"{key} must be a number, not '{text}'");
}
