using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Needlework.Worker.Configuration;

namespace Needlework.Worker.WebUi;

/// <summary>
/// The web UI's HTTP API as the worker uses it, every request signed. Network failures, timeouts and
/// 5xx become <see cref="WebUiUnavailableException"/> (retry later); 4xx become <see cref="WebUiRefusedException"/>.
/// </summary>
public sealed class WebUiClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);
    private readonly HttpClient http;
    private readonly WorkerOptions options;
    private readonly TimeProvider time;
    private long nonce;

    public WebUiClient(WorkerOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.time = time;
        http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            BaseAddress = options.Host,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Registers (again) and returns the worker id; <paramref name="currentJobId"/> keeps a running job ours after a reconnect.</summary>
    public async Task<long> RegisterAsync(IReadOnlyDictionary<string, string> properties, long? currentJobId, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>(properties, StringComparer.Ordinal)
        {
            ["host"] = options.WorkerHostname,
            ["instance"] = options.Instance.ToString(CultureInfo.InvariantCulture),
            ["worker_class"] = options.WorkerClass,
        };
        if (currentJobId is { } job)
        {
            form["job_id"] = job.ToString(CultureInfo.InvariantCulture);
        }

        using var answer = await SendAsync(HttpMethod.Post, "api/v1/workers", () => new FormUrlEncodedContent(form), cancellationToken);
        return answer.RootElement.GetProperty("id").GetInt64();
    }

    /// <summary>POST /api/v1/jobs/{id}/status with a JSON body; answers the job's state as the web UI sees it.</summary>
    public async Task<string?> PostStatusAsync(long jobId, JsonObject status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var body = new JsonObject { ["status"] = status.DeepClone(), ["seq"] = NextNonce() }.ToJsonString();
        using var answer = await SendAsync(HttpMethod.Post, $"api/v1/jobs/{jobId}/status", () => new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
        return answer.RootElement.TryGetProperty("job_state", out var state) ? state.GetString() : null;
    }

    /// <summary>POST /api/v1/jobs/{id}/set_done with result, reason, worker_id and the backend object.</summary>
    public async Task SetDoneAsync(long jobId, JsonObject fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var copy = (JsonObject)fields.DeepClone();
        copy["attempt"] = NextNonce();
        var body = copy.ToJsonString();
        using var answer = await SendAsync(HttpMethod.Post, $"api/v1/jobs/{jobId}/set_done", () => new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
    }

    /// <summary>
    /// Multipart upload to /api/v1/jobs/{id}/artefact. A screenshot with a checksum and no file only links an
    /// image the web UI already stores; it answers 404 when it does not, and the caller sends the file.
    /// </summary>
    public async Task UploadArtefactAsync(long jobId, string type, string name, string? filePath, string? checksum, CancellationToken cancellationToken)
    {
        using var answer = await SendAsync(HttpMethod.Post, $"api/v1/jobs/{jobId}/artefact", () =>
        {
            var content = new MultipartFormDataContent
            {
                { new StringContent(type), "type" },
                { new StringContent(name), "name" },
            };
            if (checksum is not null)
            {
                content.Add(new StringContent(checksum), "checksum");
            }

            if (filePath is not null)
            {
                var file = new StreamContent(new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true));
                file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Add(file, "file", name);
            }

            return content;
        }, cancellationToken);
    }

    /// <summary>Posts the live image from memory (not queued: a stale live image is worth nothing).</summary>
    public async Task UploadLiveImageAsync(long jobId, byte[] png, CancellationToken cancellationToken)
    {
        using var answer = await SendAsync(HttpMethod.Post, $"api/v1/jobs/{jobId}/artefact", () => new MultipartFormDataContent
        {
            { new StringContent("live"), "type" },
            { new StringContent("live.png"), "name" },
            { new ByteArrayContent(png), "file", "live.png" },
        }, cancellationToken);
    }

    /// <summary>Opens the worker's WebSocket, signed like any request.</summary>
    public async Task<ClientWebSocket> ConnectWebSocketAsync(long workerId, CancellationToken cancellationToken)
    {
        // The nonce keeps two connections within the same second from looking like a replay.
        var pathAndQuery = $"/api/v1/ws/{workerId}?connection={NextNonce()}";
        var builder = new UriBuilder(new Uri(options.Host, pathAndQuery)) { Scheme = options.Host.Scheme == "https" ? "wss" : "ws" };
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
        foreach (var (name, value) in ApiSignature.Headers(pathAndQuery, options.ApiKey, options.ApiSecret, time.GetUtcNow()))
        {
            socket.Options.SetRequestHeader(name, value);
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            await socket.ConnectAsync(builder.Uri, timeout.Token);
            return socket;
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new WebUiUnavailableException("WebSocket connection failed: " + e.Message, e);
        }
    }

    public void Dispose() => http.Dispose();

    private long NextNonce() => Interlocked.Increment(ref nonce) + time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    private async Task<JsonDocument> SendAsync(HttpMethod method, string relative, Func<HttpContent?> content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, relative) { Content = content() };
        var pathAndQuery = new Uri(http.BaseAddress!, relative).PathAndQuery;
        foreach (var (name, value) in ApiSignature.Headers(pathAndQuery, options.ApiKey, options.ApiSecret, time.GetUtcNow()))
        {
            request.Headers.Add(name, value);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new WebUiUnavailableException($"{method} {relative}: {e.Message}", e);
        }

        using (response)
        {
            string text;
            try
            {
                text = await response.Content.ReadAsStringAsync(timeout.Token);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new WebUiUnavailableException($"{method} {relative}: {e.Message}", e);
            }

            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return JsonDocument.Parse(text.Length == 0 ? "{}" : text);
                }
                catch (JsonException)
                {
                    return JsonDocument.Parse("{}");
                }
            }

            var error = ErrorText(text) ?? response.ReasonPhrase ?? code.ToString(CultureInfo.InvariantCulture);
            // 403 may be a replayed-request or clock-skew refusal that a fresh signature cures; 409 a race; 408/429 load.
            if (code >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict or HttpStatusCode.Forbidden)
            {
                throw new WebUiUnavailableException($"{method} {relative}: {code} {error}");
            }

            throw new WebUiRefusedException(code, $"{method} {relative}: {code} {error}");
        }
    }

    private static string? ErrorText(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var e) ? e.ToString() : null;
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }
}
