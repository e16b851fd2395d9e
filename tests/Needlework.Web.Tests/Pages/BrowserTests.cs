using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Needlework.Web.Auth;
using Needlework.Web.Tests.Infrastructure;

namespace Needlework.Web.Tests.Pages;

/// <summary>The pages in Debian's chromium through Playwright: job list, job page, live view.</summary>
public sealed class BrowserTests : IAsyncLifetime
{
    // A 1x1 PNG, enough for the browser to decode.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "nw-browser-" + Guid.NewGuid().ToString("N")[..8]);
    private WebApplication? app;
    private IPlaywright? playwright;
    private IBrowser? browser;
    private string host = string.Empty;

    public async Task InitializeAsync()
    {
        app = WebUiApp.Build(["--urls=http://127.0.0.1:0", $"--Needlework:DataDirectory={dataDirectory}", "--Needlework:LiveViewIdle=00:00:01"]);
        await app.StartAsync();
        host = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Directory.Delete(dataDirectory, recursive: true);
    }

    [Fact]
    public async Task JobListJobPageAndLiveView()
    {
        using var scope = app!.Services.CreateScope();
        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("browser", null, CancellationToken.None);
        using var api = new HttpClient(new HmacHandler(key.Key, key.Secret) { InnerHandler = new HttpClientHandler() }) { BaseAddress = new Uri(host) };

        var register = await api.PostAsync("/api/v1/workers", new FormUrlEncodedContent(new Dictionary<string, string> { ["host"] = "browserhost", ["instance"] = "1", ["worker_class"] = "qemu_x86_64" }));
        var workerId = (await register.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using var socket = new ClientWebSocket();
        var path = $"/api/v1/ws/{workerId}";
        var stamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        socket.Options.SetRequestHeader("X-API-Key", key.Key);
        socket.Options.SetRequestHeader("X-API-Microtime", stamp);
        socket.Options.SetRequestHeader("X-API-Hash", ApiKeyAuthentication.Sign(key.Secret, path + stamp));
        await socket.ConnectAsync(new Uri(host.Replace("http://", "ws://", StringComparison.Ordinal) + path), CancellationToken.None);

        var created = await api.PostAsync("/api/v1/jobs?TEST=browser_boot&ARCH=x86_64&WORKER_CLASS=qemu_x86_64", null);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal("grab_job", (await ReceiveAsync(socket)).GetProperty("type").GetString());
        var status = $$$$$"""{"status":{"worker_id":{{{{{workerId}}}}},"job_state":"running","test_order":[{"name":"boot","category":"installation"}],"result":{"boot":{"result":"ok","details":[{"result":"ok","screenshot":"boot-1.png","area":[{"x":0,"y":0,"w":1,"h":1,"similarity":1}]}]}}}}""";
        (await api.PostAsync($"/api/v1/jobs/{id}/status", new StringContent(status, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        using (var shot = new MultipartFormDataContent { { new StringContent("screenshot"), "type" }, { new StringContent("boot-1.png"), "name" }, { new ByteArrayContent(Png), "file", "boot-1.png" } })
        {
            (await api.PostAsync($"/api/v1/jobs/{id}/artefact", shot)).EnsureSuccessStatusCode();
        }

        var page = await browser!.NewPageAsync();
        await page.GotoAsync($"{host}/tests");
        await page.Locator($"#jobs a[href='/tests/{id}']").WaitForAsync();
        await page.SelectOptionAsync("select[name=state]", "done");
        await page.ClickAsync("form.filters button");
        await page.WaitForURLAsync("**/tests?state=done**");
        Assert.Equal(0, await page.Locator($"#jobs a[href='/tests/{id}']").CountAsync());

        await page.GotoAsync($"{host}/tests/{id}");
        Assert.Equal("none", await page.Locator("#job-result").InnerTextAsync());
        await page.Locator(".shot .area").WaitForAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => { const i = document.querySelector('.shot img'); return i.complete && i.naturalWidth === 1; }"));

        // The open page asks for the live image: the worker is told to start, and what it posts is shown.
        var start = await ReceiveAsync(socket);
        Assert.Equal("livelog_start", start.GetProperty("type").GetString());
        using (var live = new MultipartFormDataContent { { new StringContent("live"), "type" }, { new ByteArrayContent(Png), "file", "last.png" } })
        {
            (await api.PostAsync($"/api/v1/jobs/{id}/artefact", live)).EnsureSuccessStatusCode();
        }

        await page.WaitForFunctionAsync("() => { const i = document.getElementById('live'); return i.src.startsWith('blob:') && i.naturalWidth === 1; }", null, new() { Timeout = 10000 });

        // Closing the page stops the live view.
        await page.CloseAsync();
        Assert.Equal("livelog_stop", (await ReceiveAsync(socket)).GetProperty("type").GetString());
    }

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[1 << 16];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        using var doc = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
        return doc.RootElement.Clone();
    }
}
