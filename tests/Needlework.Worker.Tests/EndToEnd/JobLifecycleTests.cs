using Needlework.Worker.Tests.Infrastructure;
using Xunit.Abstractions;
using static Needlework.Worker.Tests.EndToEnd.JobAssertions;

namespace Needlework.Worker.Tests.EndToEnd;

/// <summary>Whole jobs through the real web UI, worker, runner and QEMU: passing, failing, timed out, and an asset that is missing.</summary>
public sealed class JobLifecycleTests(ITestOutputHelper output)
{
    [Fact(Timeout = 120_000)]
    public async Task PassingJobUploadsEverythingAndLeavesNoProcess()
    {
        await using var web = await WebUiServer.StartAsync(TimeSpan.FromSeconds(30));
        await using var worker = TestWorker.StartInProcess(TestWorker.OptionsFor(web), output);
        var id = await web.CreateJobAsync(GrubJobs.Settings(video: true));

        var job = await web.WaitForJobAsync(id, IsDone, TimeSpan.FromSeconds(100), "done");

        Assert.Equal("passed", Result(job));
        Assert.Null(Reason(job));
        var modules = Modules(job);
        Assert.Equal(["boot", "console", "ls", "help", "halt"], modules.Keys);
        Assert.All(modules.Values, r => Assert.Equal("passed", r));
        foreach (var file in new[] { "autoinst-log.txt", "worker-log.txt", "vars.json", "video.webm", "serial0" })
        {
            Assert.True(await web.StatusCodeAsync($"tests/{id}/file/{file}") == 200, file + " was not uploaded");
        }

        Assert.Equal(200, await web.StatusCodeAsync($"tests/{id}/images/boot-1.png"));
        // Nobody watched: the runner never encoded last.png.
        Assert.Contains("last.png encoded 0 times", await web.Client.GetStringAsync($"tests/{id}/file/autoinst-log.txt"), StringComparison.Ordinal);
        Assert.Empty(worker.PoolProcessIds());
    }

    [Fact(Timeout = 120_000)]
    public async Task FailingAssertFailsTheJob()
    {
        var distribution = GrubJobs.FailingDistribution();
        try
        {
            await using var web = await WebUiServer.StartAsync(TimeSpan.FromSeconds(30));
            await using var worker = TestWorker.StartInProcess(TestWorker.OptionsFor(web), output);
            var id = await web.CreateJobAsync(GrubJobs.Settings(distribution));

            var job = await web.WaitForJobAsync(id, IsDone, TimeSpan.FromSeconds(100), "done");

            Assert.Equal("failed", Result(job));
            Assert.Null(Reason(job));
            var modules = Modules(job);
            Assert.Equal("failed", modules["ls"]);
            Assert.Equal("passed", modules["boot"]);
            Assert.Empty(worker.PoolProcessIds());
        }
        finally
        {
            Directory.Delete(distribution, recursive: true);
        }
    }

    [Fact(Timeout = 90_000)]
    public async Task MaxJobTimeStopsTheRunnerWithTimeoutExceeded()
    {
        await using var web = await WebUiServer.StartAsync(TimeSpan.FromSeconds(30));
        await using var worker = TestWorker.StartInProcess(TestWorker.OptionsFor(web), output);
        var settings = GrubJobs.Settings();
        settings["MAX_JOB_TIME"] = "2";
        settings["TIMEOUT_SCALE"] = "2";
        var id = await web.CreateJobAsync(settings);

        var job = await web.WaitForJobAsync(id, IsDone, TimeSpan.FromSeconds(60), "done");

        Assert.Equal("timeout_exceeded", Result(job));
        Assert.Equal("timeout: test execution exceeded MAX_JOB_TIME", Reason(job));
        var backend = Backend(job);
        Assert.Equal("timeout", backend.GetProperty("category").GetString());
        Assert.True(backend.GetProperty("statistics").GetProperty("host").TryGetProperty("load1", out _));
        Assert.Empty(worker.PoolProcessIds());
    }

    [Fact(Timeout = 30_000)]
    public async Task MissingAssetIsAnAssetFailure()
    {
        await using var web = await WebUiServer.StartAsync(TimeSpan.FromSeconds(30));
        var assets = Directory.CreateTempSubdirectory("nw-worker-assets-");
        try
        {
            await using var worker = TestWorker.StartInProcess(TestWorker.OptionsFor(web, o => o with { AssetDirectories = [assets.FullName] }), output);
            var settings = GrubJobs.Settings();
            settings["ISO"] = "no-such.iso";
            var id = await web.CreateJobAsync(settings);

            var job = await web.WaitForJobAsync(id, IsDone, TimeSpan.FromSeconds(20), "done");

            Assert.Equal("incomplete", Result(job));
            Assert.StartsWith("asset failure: ISO no-such.iso not found in ", Reason(job), StringComparison.Ordinal);
        }
        finally
        {
            assets.Delete(recursive: true);
        }
    }
}
