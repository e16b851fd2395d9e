using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Needlework.Web;
using Needlework.Worker.Jobs;
using Needlework.Worker.Tests.Infrastructure;
using Xunit.Abstractions;
using static Needlework.Worker.Tests.EndToEnd.JobAssertions;

namespace Needlework.Worker.Tests.EndToEnd;

/// <summary>
/// `needlework demo` as a user runs it, a separate process on loopback with real QEMU: the GRUB job passes,
/// the job whose QEMU the demo freezes ends incomplete for a slow SUT with its stall plot, its auto-retrigger
/// clone passes; and nothing it started is left running, after the jobs or after Ctrl-C.
/// </summary>
public sealed class DemoTests(ITestOutputHelper output)
{
    [Fact(Timeout = 200_000)]
    public async Task DemoPlaysTheSlownessStoryAndLeavesNothingRunning()
    {
        var data = Directory.CreateTempSubdirectory("nw-demo-");
        try
        {
            using var demo = StartDemo(data.FullName, FreePort(), "--exit-when-done");
            var exitCode = await WaitForExitAsync(demo, TimeSpan.FromSeconds(170), data.FullName);

            Assert.Equal(0, exitCode);
            AssertNothingLeft(data.FullName);

            // The demo's web UI is gone; a fresh one on the same data shows what it recorded.
            await using var web = await StartWebUiAsync(data.FullName);
            using var http = new HttpClient { BaseAddress = new Uri(web.Urls.First() + "/"), Timeout = TimeSpan.FromSeconds(30) };
            using var list = JsonDocument.Parse(await http.GetStringAsync("api/v1/jobs"));
            var jobs = list.RootElement.GetProperty("jobs").EnumerateArray().Select(j => j.Clone()).OrderBy(j => j.GetProperty("id").GetInt64()).ToList();
            Assert.Equal(["grub", "grub_slowed", "grub_slowed"], jobs.Select(j => j.GetProperty("test").GetString()));

            Assert.Equal("passed", Result(jobs[0]));

            var slowed = jobs[1];
            Assert.Equal("incomplete", Result(slowed));
            Assert.Matches("^backend (died: )?too slow: no frame for ", Reason(slowed));
            Assert.Equal("slow_sut", Backend(slowed).GetProperty("category").GetString());
            Assert.Equal(jobs[2].GetProperty("id").GetInt64(), slowed.GetProperty("clone_id").GetInt64());
            Assert.Equal("passed", Result(jobs[2]));
            Assert.Equal("3", jobs[2].GetProperty("settings").GetProperty("NEEDLEWORK_MAX_STALL").GetString());

            var page = await http.GetStringAsync($"tests/{slowed.GetProperty("id").GetInt64()}");
            var svg = page[page.IndexOf("<svg id=\"stall-timeline\"", StringComparison.Ordinal)..];
            svg = svg[..(svg.IndexOf("</svg>", StringComparison.Ordinal) + 6)];
            Assert.Contains("<polyline", svg, StringComparison.Ordinal);
            Assert.Contains("class=\"threshold\"", svg, StringComparison.Ordinal);
        }
        finally
        {
            TestWorker.KillPool(Path.Combine(data.FullName, "pool", "1"));
            data.Delete(recursive: true);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task CtrlCMidJobStopsWorkerRunnerAndQemu()
    {
        var data = Directory.CreateTempSubdirectory("nw-demo-");
        try
        {
            var port = FreePort();
            using var demo = StartDemo(data.FullName, port, "--no-installer");
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            var running = false;
            while (!running && DateTime.UtcNow < deadline && !demo.HasExited)
            {
                try
                {
                    using var doc = JsonDocument.Parse(await http.GetStringAsync("api/v1/jobs/1"));
                    running = IsRunningWithResults(doc.RootElement.GetProperty("job"));
                }
                catch (HttpRequestException)
                {
                    // Not listening yet, or no job yet.
                }

                await Task.Delay(200);
            }

            Assert.True(running, "the first job did not get running");
            Assert.NotEmpty(PoolProcesses.Find(Path.Combine(data.FullName, "pool", "1")));

            using (var kill = Process.Start("kill", ["-INT", demo.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            var exitCode = await WaitForExitAsync(demo, TimeSpan.FromSeconds(60), data.FullName);
            Assert.Equal(130, exitCode);
            AssertNothingLeft(data.FullName);
        }
        finally
        {
            TestWorker.KillPool(Path.Combine(data.FullName, "pool", "1"));
            data.Delete(recursive: true);
        }
    }

    private Process StartDemo(string data, int port, params string[] extra)
    {
        var start = new ProcessStartInfo(RepoPaths.DotNet)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { RepoPaths.CliDll, "demo", "--no-installer", "--port", port.ToString(CultureInfo.InvariantCulture), "--data", data }.Concat(extra).Distinct())
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The exit code; past the budget the demo and whatever works in its pool are killed and the test fails.</summary>
    private static async Task<int> WaitForExitAsync(Process demo, TimeSpan budget, string data)
    {
        using var timeout = new CancellationTokenSource(budget);
        try
        {
            await demo.WaitForExitAsync(timeout.Token);
            return demo.ExitCode;
        }
        catch (OperationCanceledException)
        {
            demo.Kill(entireProcessTree: true);
            TestWorker.KillPool(Path.Combine(data, "pool", "1"));
            Assert.Fail($"the demo did not exit within {budget.TotalSeconds} s");
            throw;
        }
    }

    /// <summary>No runner, QEMU or ffmpeg works in the demo's pool or names its data directory on its command line.</summary>
    private static void AssertNothingLeft(string data)
    {
        var left = PoolProcesses.Find(Path.Combine(data, "pool", "1")).ToHashSet();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(entry, "cmdline"))).Contains(data, StringComparison.Ordinal))
                {
                    left.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        Assert.True(left.Count == 0, "still running: " + string.Join("; ", left.Select(Describe)));
    }

    private static string Describe(int pid)
    {
        try
        {
            return pid + " " + File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return pid + " (gone)";
        }
    }

    private static async Task<WebApplication> StartWebUiAsync(string data)
    {
        var app = WebUiApp.Build([$"--urls=http://127.0.0.1:{FreePort()}", $"--Needlework:DataDirectory={data}", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        return app;
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
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
