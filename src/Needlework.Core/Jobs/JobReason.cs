namespace Needlework.Core.Jobs;

/// <summary>The human reason text of a job, worded as openQA words it so habits and regexes carry over.</summary>
public static class JobReason
{
    /// <summary>openQA stores at most this many characters of a reason.</summary>
    public const int MaxLength = 300;

    public const string JobTimeout = "timeout: test execution exceeded MAX_JOB_TIME";
    public const string SetupTimeout = "timeout: setup exceeded MAX_SETUP_TIME";
    public const string WorkerQuit = "quit: worker has been stopped or restarted";
    public const string DiedPrematurely = "died: terminated prematurely, see log output for details";

    public static string BackendDied(string message) => Cut("backend died: " + message);

    /// <summary>A job the runner stopped for slowness: its message starts with "too slow:", so this reads "backend too slow: ...".</summary>
    public static string BackendTooSlow(string message) => Cut("backend " + message);

    public static string IsotovideoDied(string message) => Cut("isotovideo died: " + message);

    public static string TestsDied(string message) => Cut("tests died: " + message);

    public static string ApiFailure(string message) => Cut("api failure: " + message);

    public static string AssetFailure(string message) => Cut("asset failure: " + message);

    public static string SetupFailure(string message) => Cut("setup failure: " + message);

    public static string Abandoned(string host, int instance) =>
        Cut($"abandoned: associated worker {host}:{instance} has not sent any status updates for too long");

    /// <summary>Cuts a reason to <see cref="MaxLength"/> characters, marking the cut with an ellipsis.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(reason))]
    public static string? Cut(string? reason)
    {
        if (reason is null || reason.Length <= MaxLength)
        {
            return reason;
        }

        return string.Concat(reason.AsSpan(0, MaxLength - 3), "...");
    }

    /// <summary>Appends a note in brackets, keeping the total within <see cref="MaxLength"/> by shortening the original text.</summary>
    public static string AppendNote(string? reason, string note)
    {
        var suffix = " [" + note + "]";
        var body = reason ?? string.Empty;
        if (body.Length + suffix.Length > MaxLength)
        {
            var keep = Math.Max(0, MaxLength - suffix.Length - 3);
            body = string.Concat(body.AsSpan(0, Math.Min(keep, body.Length)), "...");
        }

        return Cut((body + suffix).TrimStart())!;
    }
}
