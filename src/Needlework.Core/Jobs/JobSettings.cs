namespace Needlework.Core.Jobs;

/// <summary>openQA's well-known job variables and the rules around them. Settings are a flat string map.</summary>
public static class JobSettings
{
    public const string Test = "TEST";
    public const string Arch = "ARCH";
    public const string Machine = "MACHINE";
    public const string Distri = "DISTRI";
    public const string Version = "VERSION";
    public const string Flavor = "FLAVOR";
    public const string Build = "BUILD";
    public const string WorkerClass = "WORKER_CLASS";
    public const string Priority = "_PRIORITY";

    /// <summary>openQA's job name: DISTRI-VERSION-FLAVOR-ARCH-BuildBUILD-TEST@MACHINE, leaving out what is unset.</summary>
    public static string Name(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var parts = new List<string>();
        foreach (var key in new[] { Distri, Version, Flavor, Arch })
        {
            if (settings.TryGetValue(key, out var value) && value.Length > 0)
            {
                parts.Add(value);
            }
        }

        if (settings.TryGetValue(Build, out var build) && build.Length > 0)
        {
            parts.Add("Build" + build);
        }

        parts.Add(settings.GetValueOrDefault(Test, string.Empty));
        var name = string.Join('-', parts);
        return settings.TryGetValue(Machine, out var machine) && machine.Length > 0 ? name + "@" + machine : name;
    }

    /// <summary>WORKER_CLASS is a comma-separated list; a job needs every class it names.</summary>
    public static IReadOnlySet<string> ParseClasses(string? workerClass) =>
        (workerClass ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>A worker may take a job when it offers all of the job's classes.</summary>
    public static bool WorkerQualifies(IReadOnlySet<string> workerClasses, IReadOnlySet<string> jobClasses)
    {
        ArgumentNullException.ThrowIfNull(workerClasses);
        ArgumentNullException.ThrowIfNull(jobClasses);
        return jobClasses.All(workerClasses.Contains);
    }

    /// <summary>Keys are variable names: letters, digits, underscore, plus the few signs openQA allows (+ for overrides, : for scoping).</summary>
    public static bool IsValidKey(string key) =>
        key.Length is > 0 and <= 128 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or ':' or '-' or '.');
}
