using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Needlework.Web.Auth;

namespace Needlework.Web.Tests.Api;

/// <summary>Debian's openqa-cli against the web UI on a real loopback port: the proof of API compatibility.</summary>
public sealed class OpenQaCliTests : IAsyncLifetime
{
    private const string Cli = "/usr/bin/openqa-cli";
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "nw-cli-" + Guid.NewGuid().ToString("N")[..8]);
    private WebApplication? app;
    private string host = string.Empty;

    public async Task InitializeAsync()
    {
        app = WebUiApp.Build(["--urls=http://127.0.0.1:0", $"--Needlework:DataDirectory={dataDirectory}"]);
        await app.StartAsync();
        host = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Assert.StartsWith("http://127.0.0.1:", host, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Directory.Delete(dataDirectory, recursive: true);
    }

    [Fact]
    public async Task OpenQaCliCreatesReadsAndCancelsJobs()
    {
        Assert.True(File.Exists(Cli), "Debian's openqa-client must be installed");
        using var scope = app!.Services.CreateScope();
        var key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("cli", null, CancellationToken.None);

        var created = await RunAsync("api", "--host", host, "--apikey", key.Key, "--apisecret", key.Secret, "-X", "POST", "jobs",
            "TEST=cli_boot", "DISTRI=debian", "VERSION=12", "FLAVOR=netinst", "ARCH=x86_64", "BUILD=3", "MACHINE=64bit", "WORKER_CLASS=nobody", "KERNEL_CMDLINE=vga=788 quiet");
        var id = JsonDocument.Parse(created).RootElement.GetProperty("id").GetInt64();

        var shown = JsonDocument.Parse(await RunAsync("api", "--host", host, $"jobs/{id}")).RootElement.GetProperty("job");
        Assert.Equal("debian-12-netinst-x86_64-Build3-cli_boot@64bit", shown.GetProperty("name").GetString());
        Assert.Equal("scheduled", shown.GetProperty("state").GetString());
        Assert.Equal("vga=788 quiet", shown.GetProperty("settings").GetProperty("KERNEL_CMDLINE").GetString());

        var list = JsonDocument.Parse(await RunAsync("api", "--host", host, "jobs", "state=scheduled", "test=cli_boot")).RootElement;
        Assert.Equal(id, list.GetProperty("jobs")[0].GetProperty("id").GetInt64());

        await RunAsync("api", "--host", host, "--apikey", key.Key, "--apisecret", key.Secret, "-X", "POST", $"jobs/{id}/prio", "prio=20");
        await RunAsync("api", "--host", host, "--apikey", key.Key, "--apisecret", key.Secret, "-X", "POST", $"jobs/{id}/cancel");
        var status = JsonDocument.Parse(await RunAsync("api", "--host", host, $"experimental/jobs/{id}/status")).RootElement;
        Assert.Equal("cancelled", status.GetProperty("state").GetString());
        var restarted = JsonDocument.Parse(await RunAsync("api", "--host", host, "--apikey", key.Key, "--apisecret", key.Secret, "-X", "POST", $"jobs/{id}/restart")).RootElement;
        Assert.True(restarted.GetProperty("result")[0].GetProperty(id.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetInt64() > id);

        // A wrong secret is refused with openQA's 403 and JSON error.
        var refused = await RunAsync(expectFailure: true, "api", "--host", host, "--apikey", key.Key, "--apisecret", "0000000000000000", "-X", "POST", "jobs", "TEST=nope");
        Assert.Contains("403", refused, StringComparison.Ordinal);
    }

    private static Task<string> RunAsync(params string[] arguments) => RunAsync(false, arguments);

    private static async Task<string> RunAsync(bool expectFailure, params string[] arguments)
    {
        var info = new ProcessStartInfo(Cli) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["HOME"] = Path.GetTempPath();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        Assert.True(expectFailure ? process.ExitCode != 0 : process.ExitCode == 0, $"openqa-cli {string.Join(' ', arguments)} exited {process.ExitCode}: {output}");
        return expectFailure ? output : await stdout;
    }
}
