using System.Globalization;
using System.Net.Sockets;

namespace Needlework.Runner.Backends.Vnc;

/// <summary>
/// Words a lost VNC server as a job reason. The words are chosen to be true, because openQA's default
/// auto-retrigger regex <c>backend died: .*VNC.*(timeout|timed out|refused)</c> acts on them: "timed out"
/// and "refused" appear only when that is what happened, so a wrong password is not retried twenty times.
/// </summary>
internal static class VncFailureReason
{
    // openQA cuts reasons at 300 characters; the detail field keeps the whole story.
    private const int MaxReasonLength = 300;

    /// <summary>The first connection failed.</summary>
    public static BackendFailure ConnectFailed(string endpoint, Exception error) =>
        Failure($"backend died: VNC server {endpoint} {What(error)}", error);

    /// <summary>An established connection was lost and could not be re-established within <paramref name="reconnectTimeout"/>.</summary>
    public static BackendFailure ReconnectFailed(string endpoint, Exception? loss, Exception lastAttempt, TimeSpan reconnectTimeout)
    {
        var lost = loss is null ? "was lost" : What(loss);
        var seconds = reconnectTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return Failure(
            $"backend died: VNC server {endpoint} {lost}; reconnecting timed out after {seconds} s (last attempt: {Short(lastAttempt)})",
            loss is null ? lastAttempt : new AggregateException(loss, lastAttempt));
    }

    /// <summary>What the server did, as a phrase after "VNC server host:port".</summary>
    internal static string What(Exception error) => Classify(error) switch
    {
        Kind.Refused => "refused the connection",
        Kind.TimedOut => $"timed out: {Innermost(error)}",
        Kind.Closed => "closed the connection",
        Kind.Authentication => $"rejected the authentication: {Innermost(error)}",
        _ => $"failed: {Innermost(error)}",
    };

    private static string Short(Exception error) => Classify(error) switch
    {
        Kind.Refused => "connection refused",
        Kind.TimedOut => "timed out",
        Kind.Closed => "connection closed",
        Kind.Authentication => "authentication rejected",
        _ => Innermost(error),
    };

    private static Kind Classify(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => Kind.Refused,
                    SocketError.TimedOut => Kind.TimedOut,
                    SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => Kind.Closed,
                    _ => Kind.Other,
                };
            }
        }

        var message = error.Message;
        if (Contains(message, "took longer") || Contains(message, "nothing for") || Contains(message, "stopped reading") || error is TimeoutException)
        {
            return Kind.TimedOut;
        }

        if (Contains(message, "SecurityResult") || Contains(message, "password"))
        {
            return Kind.Authentication;
        }

        if (Contains(message, "closed the connection") || Contains(message, "reset by peer") || Contains(message, "Broken pipe"))
        {
            return Kind.Closed;
        }

        return Kind.Other;
    }

    private static bool Contains(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);

    private static string Innermost(Exception error)
    {
        // The client's messages nest "VNC server at h:p: expected ..."; the innermost VNC message is the plainest.
        var message = error.Message;
        for (var e = error.InnerException; e is not null; e = e.InnerException)
        {
            if (e is Needlework.Vnc.VncException)
            {
                message = e.Message;
            }
        }

        return message;
    }

    private static BackendFailure Failure(string reason, Exception detail)
    {
        if (reason.Length > MaxReasonLength)
        {
            reason = string.Concat(reason.AsSpan(0, MaxReasonLength - 3), "...");
        }

        return new BackendFailure(reason, "vnc", Messages(detail));
    }

    private static string Messages(Exception error)
    {
        var parts = new List<string>();
        var pending = new Stack<Exception>([error]);
        while (pending.TryPop(out var e))
        {
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Reverse())
                {
                    pending.Push(inner);
                }

                continue;
            }

            parts.Add($"{e.GetType().Name}: {e.Message}");
            if (e.InnerException is { } next)
            {
                pending.Push(next);
            }
        }

        return string.Join(" <- ", parts);
    }

    private enum Kind
    {
        Other,
        Refused,
        TimedOut,
        Closed,
        Authentication,
    }
}
