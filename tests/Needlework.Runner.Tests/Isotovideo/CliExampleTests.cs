using System.Diagnostics;
using Needlework.Runner.Tests.Backends.Qemu;
using Xunit.Abstractions;

namespace Needlework.Runner.Tests.Isotovideo;

/// <summary>The example distributions through the real `needlework isotovideo` process, as the worker runs it.</summary>
[Collection(QemuCollection.Name)]
public sealed class CliExampleTests(ITestOutputHelper output)
{
    private const string Installer = "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64";

    [Fact(Timeout = 420_000)]
    public async Task DebianInstallerReachesSelectALanguageAndChoosesEnglish()
    {
        using var pool = new JobPool();
        pool.WriteVariables(new Dictionary<string, string>
        {
            ["CASEDIR"] = Path.Combine(Backends.TestPaths.RepositoryRoot, "examples", "debian-installer"),
            ["KERNEL"] = Path.Combine(Installer, "linux"),
            ["INITRD"] = Path.Combine(Installer, "initrd.gz"),
            ["KERNEL_CMDLINE"] = "vga=788",
            ["QEMURAM"] = "1024",
            ["XRES"] = "1280",
            ["YRES"] = "800",
            ["QEMU_NO_KVM"] = "1",
        });

        var exit = await RunCli(pool, TimeSpan.FromMinutes(6));

        Assert.Equal(0, exit);
        var result = pool.ReadJson("testresults/result-language.json");
        Assert.Equal("ok", result.GetProperty("result").GetString());
        var details = result.GetProperty("details").EnumerateArray().ToList();
        Assert.Equal(["di-select-language", "di-select-location"], details.Select(d => d.GetProperty("needle").GetString()));
        var screenshot = Imaging.Frames.Png.ReadFile(Path.Combine(pool.Results, details[0].GetProperty("screenshot").GetString()!));
        Assert.Equal((1280, 800), (screenshot.Width, screenshot.Height));
        Assert.True(File.Exists(Path.Combine(pool.Directory, "video.webm")));
        Assert.True(File.Exists(Path.Combine(pool.Directory, "stats.json")));
        Assert.Empty(Directory.GetFiles(pool.Directory, "last.png", SearchOption.AllDirectories));
    }

    private async Task<int> RunCli(JobPool pool, TimeSpan budget)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "needlework.dll"), "isotovideo", "-p", pool.Directory, "-q" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["XDG_CACHE_HOME"] = pool.Cache;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(budget);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM first: the runner then stops QEMU itself.
            Runner.Backends.Qemu.PosixSignals.SendToProcess(process.Id, Runner.Backends.Qemu.PosixSignals.SigTerm);
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            throw;
        }
        finally
        {
            output.WriteLine(await stdout + await stderr);
            var log = Path.Combine(pool.Directory, "autoinst-log.txt");
            if (File.Exists(log))
            {
                output.WriteLine(File.ReadAllText(log));
            }
        }

        return process.ExitCode;
    }
}
