using System.Globalization;

namespace Needlework.Worker.Jobs;

/// <summary>openQA's MAX_SETUP_TIME (3600 s) and MAX_JOB_TIME (7200 s), both times TIMEOUT_SCALE.</summary>
public sealed record JobLimits(TimeSpan Setup, TimeSpan Job)
{
    public const double DefaultSetupSeconds = 3600;
    public const double DefaultJobSeconds = 7200;

    public static JobLimits From(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var scale = Number(variables, "TIMEOUT_SCALE") is { } s && s > 0 ? s : 1;
        var setup = Number(variables, "MAX_SETUP_TIME") is { } st && st > 0 ? st : DefaultSetupSeconds;
        var job = Number(variables, "MAX_JOB_TIME") is { } jt && jt > 0 ? jt : DefaultJobSeconds;
        return new JobLimits(TimeSpan.FromSeconds(setup * scale), TimeSpan.FromSeconds(job * scale));
    }

    private static double? Number(IReadOnlyDictionary<string, string> variables, string key) =>
        variables.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
