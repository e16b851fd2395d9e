using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.TestHost;
using Needlework.Web.Data;

namespace Needlework.Web.Tests.Infrastructure;

/// <summary>A scripted worker: registers over HTTP and holds the WebSocket, queuing what the web UI sends.</summary>
public sealed class FakeWorker : IAsyncDisposable
{
    private readonly Channel<JsonElement> inbox = Channel.CreateUnbounded<JsonElement>();
    private readonly CancellationTokenSource stop = new();
    private WebSocket? socket;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private Task? receiving;
    private Task? heartbeat;

    private FakeWorker(HttpClient client, long id, string host, int instance)
    {
        Client = client;
        Id = id;
        Host = host;
        Instance = instance;
    }

    public HttpClient Client { get; }

    public long Id { get; }

    public string Host { get; }

    public int Instance { get; }

    public static async Task<FakeWorker> RegisterAsync(WebUiFactory factory, HttpClient client, ApiKey key, string host, int instance, string workerClass = "qemu_x86_64", bool connect = true)
    {
        var response = await client.PostAsync("/api/v1/workers", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["host"] = host, ["instance"] = instance.ToString(System.Globalization.CultureInfo.InvariantCulture), ["worker_class"] = workerClass, ["cpu_arch"] = "x86_64",
        }));
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var worker = new FakeWorker(client, id, host, instance);
        if (connect)
        {
            await worker.ConnectAsync(factory, key);
        }

        return worker;
    }

    public async Task ConnectAsync(WebUiFactory factory, ApiKey key)
    {
        var ws = factory.Server.CreateWebSocketClient();
        var path = $"/api/v1/ws/{Id}";
        ws.ConfigureRequest = request => HmacHandler.SignDictionary(request.Headers, path, key.Key, key.Secret);
        socket = await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, path), CancellationToken.None);
        receiving = ReceiveAsync(socket);
        heartbeat = HeartbeatAsync();
    }

    // Like a real worker: a status every half second keeps it alive for the 2 s timeout the tests use.
    private async Task HeartbeatAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(500, stop.Token);
                await sendLock.WaitAsync(stop.Token);
                try
                {
                    await socket!.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "worker_status", status = "working" }), WebSocketMessageType.Text, true, stop.Token);
                }
                finally
                {
                    sendLock.Release();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
        }
    }

    public async Task SendAsync(object message)
    {
        await sendLock.WaitAsync();
        try
        {
            await socket!.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>The next message of the given type, skipping others; throws after the timeout.</summary>
    public async Task<JsonElement> NextAsync(string type, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var message = await inbox.Reader.ReadAsync(cts.Token);
            if (message.GetProperty("type").GetString() == type)
            {
                return message;
            }
        }
    }

    public bool TryNext(out JsonElement message) => inbox.Reader.TryRead(out message);

    /// <summary>Drops the connection without a goodbye and goes silent, as a killed worker does.</summary>
    public void Abort()
    {
        if (!stop.IsCancellationRequested)
        {
            stop.Cancel();
        }

        socket?.Abort();
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        socket?.Abort();
        foreach (var task in new[] { heartbeat, receiving })
        {
            if (task is null)
            {
                continue;
            }

            try
            {
                await task;
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
            {
            }
        }

        socket?.Dispose();
        stop.Dispose();
        sendLock.Dispose();
    }

    private async Task ReceiveAsync(WebSocket ws)
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (ws.State == WebSocketState.Open && !stop.IsCancellationRequested)
            {
                var count = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await ws.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), stop.Token);
                    count += result.Count;
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, count));
                await inbox.Writer.WriteAsync(doc.RootElement.Clone());
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
        }
    }
}
