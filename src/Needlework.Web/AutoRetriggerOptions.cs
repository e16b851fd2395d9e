using Needlework.Core.Jobs;

namespace Needlework.Web;

/// <summary>
/// Auto-retrigger configuration. Off by default. openQA's <c>auto_clone_regex</c>/<c>auto_clone_limit</c>
/// (its openqa.ini [global] keys) are accepted too: giving a regex turns it on.
/// </summary>
public sealed record AutoRetriggerOptions
{
    public bool Enabled { get; init; }

    public string? AutoCloneRegex { get; init; }

    public int Limit { get; init; } = AutoRetriggerPolicy.DefaultLimit;

    public AutoRetriggerPolicy ToPolicy() => new()
    {
        Enabled = Enabled || !string.IsNullOrEmpty(AutoCloneRegex),
        AutoCloneRegex = AutoCloneRegex,
        Limit = Limit,
    };
}
