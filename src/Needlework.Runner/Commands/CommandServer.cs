using System.Text;
using System.Text.Json;
using Needlework.Imaging.Frames;
using Needlework.Runner.Capture;
using Needlework.Runner.Results;
using Needlework.Runner.Testing;

namespace Needlework.Runner.Commands;

/// <summary>
/// The runner's command server, on 127.0.0.1 only, every path under the job's secret token:
/// <c>GET /{token}/last.png</c> encodes the current frame as PNG only when asked (the live view; nothing is
/// encoded otherwise), <c>GET /{token}/status</c> tells the job's progress, and <c>POST /{token}/stop</c> ends the
/// test gracefully with a reason (the query's <c>reason</c>, or a JSON body <c>{"reason": ...}</c>).
/// Its address goes into <c>command_server.json</c> in the pool directory.
/// </summary>
public sealed class CommandServer : IDisposable
{
    public const string AddressFile = "command_server.json";
    private readonly LoopbackHttpServer _http;
    private readonly string _prefix;
    private readonly FrameStore _frames;
    private readonly Func<RunnerStatus> _status;
    private readonly StopRequest _stop;
    private long _pngRequests;

    private CommandServer(string token, FrameStore frames, Func<RunnerStatus> status, StopRequest stop, Action<string> log)
    {
        Token = token;
        _prefix = "/" + token + "/";
        _frames = frames;
        _status = status;
        _stop = stop;
        _http = LoopbackHttpServer.Start(Handle, log);
        BaseAddress = new Uri($"http://127.0.0.1:{_http.Port}{_prefix}");
    }

    public string Token { get; }

    public Uri BaseAddress { get; }

    /// <summary>How many times last.png was encoded: zero when nobody watched.</summary>
    public long PngRequests => Interlocked.Read(ref _pngRequests);

    /// <summary>Starts serving and writes <see cref="AddressFile"/> into <paramref name="poolDirectory"/> for the worker.</summary>
    public static CommandServer Start(string poolDirectory, string token, FrameStore frames, Func<RunnerStatus> status, StopRequest stop, Action<string> log)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var server = new CommandServer(token, frames, status, stop, log);
        try
        {
            ResultFiles.WriteJsonAtomically(Path.Combine(poolDirectory, AddressFile), new CommandServerAddress(server.BaseAddress.ToString(), token, Environment.ProcessId));
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    public void Dispose() => _http.Dispose();

    private CommandResponse Handle(CommandRequest request)
    {
        if (!request.Path.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return Error(404, "not found");
        }

        return (request.Path[_prefix.Length..], request.Method) switch
        {
            ("last.png", "GET") => LastPng(),
            ("status", "GET") => Json(200, _status()),
            ("stop", "POST") => Stop(request),
            ("last.png" or "status" or "stop", _) => Error(405, $"{request.Method} is not allowed here"),
            _ => Error(404, "not found"),
        };
    }

    private CommandResponse LastPng()
    {
        if (_frames.Latest is not { } latest)
        {
            return Error(404, "no frame captured yet");
        }

        Interlocked.Increment(ref _pngRequests);
        return new CommandResponse(200, "image/png", Png.Encode(latest.Frame));
    }

    private CommandResponse Stop(CommandRequest request)
    {
        var reason = request.Query.GetValueOrDefault("reason");
        if (string.IsNullOrWhiteSpace(reason) && request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true && request.Body.Length > 0)
        {
            try
            {
                using var body = JsonDocument.Parse(request.Body);
                reason = body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String
                    ? r.GetString()
                    : null;
            }
            catch (JsonException e)
            {
                return Error(400, $"malformed JSON: {e.Message}");
            }
        }

        reason = string.IsNullOrWhiteSpace(reason) ? "stopped by the worker" : reason.Trim();
        var first = _stop.Request(new StopReason("isotovideo", reason));
        return Json(200, new StopAnswer(true, _stop.Reason?.Message, first));
    }

    private static CommandResponse Error(int status, string message) => Json(status, new CommandError(message));

    private static CommandResponse Json(int status, IJsonDocument value) =>
        new(status, "application/json; charset=utf-8", RunnerJson.ToUtf8(value));
}
