using System.Text.RegularExpressions;

namespace Needlework.Core.Jobs;

/// <summary>
/// An admin-kept known failure: a pattern on the reason and/or on the backend category. A job that
/// ends matching it is marked with it and, when <see cref="Retrigger"/> is set and auto-retrigger is on, cloned.
/// </summary>
public sealed class KnownFailure
{
    // Patterns come from admins; a bound keeps a bad one from stalling job completion.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    public long Id { get; set; }

    public string Name { get; set; } = string.Empty;

    /// <summary>Regular expression searched in the reason text (openQA's auto_clone_regex is one such).</summary>
    public string? ReasonPattern { get; set; }

    /// <summary>Regular expression matched against the whole backend category, for example <c>slow_.*</c>.</summary>
    public string? CategoryPattern { get; set; }

    public bool Retrigger { get; set; }

    /// <summary>Checks that at least one pattern is given and every given pattern compiles.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            return "name is required";
        }

        if (string.IsNullOrEmpty(ReasonPattern) && string.IsNullOrEmpty(CategoryPattern))
        {
            return "a reason pattern or a category pattern is required";
        }

        foreach (var pattern in new[] { ReasonPattern, CategoryPattern })
        {
            if (string.IsNullOrEmpty(pattern))
            {
                continue;
            }

            try
            {
                _ = new Regex(pattern, RegexOptions.None, MatchTimeout);
            }
            catch (ArgumentException e)
            {
                return "invalid pattern: " + e.Message;
            }
        }

        return null;
    }

    /// <summary>Every given pattern must match; a pattern on something the job lacks does not match.</summary>
    public bool Matches(string? reason, string? category)
    {
        if (string.IsNullOrEmpty(ReasonPattern) && string.IsNullOrEmpty(CategoryPattern))
        {
            return false;
        }

        try
        {
            if (!string.IsNullOrEmpty(ReasonPattern) && (reason is null || !Regex.IsMatch(reason, ReasonPattern, RegexOptions.None, MatchTimeout)))
            {
                return false;
            }

            return string.IsNullOrEmpty(CategoryPattern)
                || (category is not null && Regex.IsMatch(category, "^(?:" + CategoryPattern + ")$", RegexOptions.None, MatchTimeout));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The first known failure that matches, in the given order.</summary>
    public static KnownFailure? FirstMatch(IEnumerable<KnownFailure> failures, string? reason, BackendReason? backend)
    {
        ArgumentNullException.ThrowIfNull(failures);
        return failures.FirstOrDefault(f => f.Matches(reason, backend?.Category));
    }
}
