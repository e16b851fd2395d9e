using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Needlework.Web;
using Needlework.Web.Auth;

namespace Needlework.Worker.Tests.Infrastructure;

/// <summary>The real web UI on Kestrel at 127.0.0.1, SQLite in a temp folder; can be stopped and started again on the same port and data.</summary>
public sealed class WebUiServer : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> settings;
    private WebApplication? app;

    private WebUiServer(string dataDirectory, int port, IReadOnlyDictionary<string, string> settings)
    {
        DataDirectory = dataDirectory;
        Port = port;
        this.settings = settings;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public string Key { get; private set; } = string.Empty;

    public string Secret { get; private set; } = string.Empty;

    public HttpClient Client { get; private set; } = new();

    public static async Task<WebUiServer> StartAsync(TimeSpan workerTimeout, IReadOnlyDictionary<string, string>? extra = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "nw-worker-web-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(data);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Needlework:DataDirectory"] = data,
            ["Needlework:WorkerTimeout"] = workerTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
            ["shutdownTimeoutSeconds"] = "2",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>())
        {
            settings[k] = v;
        }

        var server = new WebUiServer(data, FreePort(), settings);
        await server.StartAgainAsync();
        using var scope = server.app!.Services.CreateScope();
        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("worker-tests", null, CancellationToken.None);
        server.Key = key.Key;
        server.Secret = key.Secret;
        server.Client = new HttpClient(new SigningHandler(key.Key, key.Secret)) { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };
        return server;
    }

    /// <summary>Starts (again) on the same port and database.</summary>
    public async Task StartAgainAsync()
    {
        var args = settings.Select(kv => $"--{kv.Key}={kv.Value}").Append($"--urls=http://127.0.0.1:{Port}").ToArray();
        app = WebUiApp.Build(args);
        await app.StartAsync();
    }

    /// <summary>Stops the web UI as a crash or restart would, dropping every WebSocket.</summary>
    public async Task StopAsync()
    {
        if (app is { } running)
        {
            app = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await running.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }

            await running.DisposeAsync();
        }
    }

    public async Task<long> CreateJobAsync(IReadOnlyDictionary<string, string> jobSettings)
    {
        using var response = await Client.PostAsync("api/v1/jobs", new FormUrlEncodedContent(jobSettings));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("id").GetInt64();
    }

    public async Task CancelJobAsync(long id)
    {
        using var response = await Client.PostAsync($"api/v1/jobs/{id}/cancel", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonElement> GetJobAsync(long id)
    {
        var text = await Client.GetStringAsync($"api/v1/jobs/{id}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("job").Clone();
    }

    public async Task<JsonElement> GetWorkersAsync()
    {
        var text = await Client.GetStringAsync("api/v1/workers");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("workers").Clone();
    }

    /// <summary>Polls the job until <paramref name="condition"/> holds; fails with the last seen job after <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> WaitForJobAsync(long id, Func<JsonElement, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement job = default;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                job = await GetJobAsync(id);
                if (condition(job))
                {
                    return job;
                }
            }
            catch (HttpRequestException)
            {
                // The web UI is restarting in some tests.
            }

            await Task.Delay(200);
        }

        Assert.Fail($"job {id} did not reach '{what}' within {timeout.TotalSeconds} s; last seen: {job}");
        return job;
    }

    public async Task<int> StatusCodeAsync(string relative)
    {
        using var response = await Client.GetAsync(relative);
        return (int)response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Client.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
