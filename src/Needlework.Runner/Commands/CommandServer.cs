using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Needlework.Imaging.Frames;
using Needlework.Runner.Capture;
using Needlework.Runner.Results;
using Needlework.Runner.Testing;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Needlework.Runner.Commands;

/// <summary>
/// The runner's command server, on 127.0.0.1 only, every path under the job's secret token:
/// <c>GET /{token}/last.png</c> encodes the current frame as PNG only when asked (the live view; nothing is
/// encoded otherwise), <c>GET /{token}/status</c> tells the job's progress, and <c>POST /{token}/stop</c> ends the
/// test gracefully with a reason. Its address goes into <c>command_server.json</c> in the pool directory.
/// </summary>
public sealed class CommandServer : IAsyncDisposable
{
    public const string AddressFile = "command_server.json";
    private readonly WebApplication _app;
    private long _pngRequests;

    private CommandServer(WebApplication app, string token)
    {
        _app = app;
        Token = token;
    }

    public string Token { get; }

    public Uri? BaseAddress { get; private set; }

    /// <summary>How many times last.png was encoded: zero when nobody watched.</summary>
    public long PngRequests => Interlocked.Read(ref _pngRequests);

    public static async Task<CommandServer> StartAsync(string poolDirectory, string token, FrameStore frames, Func<object> status, StopRequest stop, CancellationToken cancellationToken)
    {
        // An empty builder: no configuration files (and no file watchers on the pool), no logging, just Kestrel.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var server = new CommandServer(app, token);
        var group = app.MapGroup("/" + token);
        group.MapGet("/last.png", () =>
        {
            if (frames.Latest is not { } latest)
            {
                return HttpResults.NotFound(new { error = "no frame captured yet" });
            }

            Interlocked.Increment(ref server._pngRequests);
            return HttpResults.Bytes(Png.Encode(latest.Frame), "image/png");
        });
        group.MapGet("/status", () => HttpResults.Json(status(), ResultFiles.Json));
        group.MapPost("/stop", async (HttpRequest request) =>
        {
            var reason = request.Query["reason"].ToString();
            if (string.IsNullOrWhiteSpace(reason) && request.HasJsonContentType())
            {
                try
                {
                    using var body = await JsonDocument.ParseAsync(request.Body).ConfigureAwait(false);
                    reason = body.RootElement.TryGetProperty("reason", out var r) ? r.GetString() ?? string.Empty : string.Empty;
                }
                catch (JsonException e)
                {
                    return HttpResults.BadRequest(new { error = $"malformed JSON: {e.Message}" });
                }
            }

            reason = string.IsNullOrWhiteSpace(reason) ? "stopped by the worker" : reason.Trim();
            var first = stop.Request(new StopReason("isotovideo", reason));
            return HttpResults.Ok(new { stopping = true, reason = stop.Reason?.Message, first });
        });

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Urls.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/" + token + "/");
        ResultFiles.WriteJsonAtomically(Path.Combine(poolDirectory, AddressFile), new { url = server.BaseAddress.ToString(), token, pid = Environment.ProcessId });
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
