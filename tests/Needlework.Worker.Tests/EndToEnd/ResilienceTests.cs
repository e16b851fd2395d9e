using Needlework.Worker.Tests.Infrastructure;
using Xunit.Abstractions;
using static Needlework.Worker.Tests.EndToEnd.JobAssertions;

namespace Needlework.Worker.Tests.EndToEnd;

/// <summary>What goes away mid-job: the worker (SIGKILL) and the web UI (restart).</summary>
public sealed class ResilienceTests(ITestOutputHelper output)
{
    [Fact(Timeout = 180_000)]
    public async Task KilledWorkerAbandonsJobWhichIsRetriggeredAndRunsOnTheNextWorker()
    {
        await using var web = await WebUiServer.StartAsync(TimeSpan.FromSeconds(5), new Dictionary<string, string>
        {
            ["Needlework:AutoRetrigger:AutoCloneRegex"] = "^abandoned:",
        });
        var options = TestWorker.OptionsFor(web);
        long id;
        await using (var killed = TestWorker.StartProcess(options, output))
        {
            id = await web.CreateJobAsync(GrubJobs.Settings());
            await web.WaitForJobAsync(id, IsRunningWithResults, TimeSpan.FromSeconds(60), "running");
            killed.Process!.Kill(); // SIGKILL: no goodbye, no set_done.
            var started = DateTime.UtcNow;

            var job = await web.WaitForJobAsync(id, IsDone, TimeSpan.FromSeconds(15), "abandoned");

            output.WriteLine($"abandoned {(DateTime.UtcNow - started).TotalSeconds:0.0} s after the kill");
            Assert.Equal("incomplete", Result(job));
            Assert.StartsWith("abandoned: associated worker worker-test:1 has not sent any status updates for too long", Reason(job), StringComparison.Ordinal);
            Assert.Contains("Auto-retriggered", Reason(job), StringComparison.Ordinal);
            Assert.True(job.GetProperty("clone_id").TryGetInt64(out var cloneId));
            Assert.Equal("scheduled", State(await web.GetJobAsync(cloneId)));

            // Its runner and QEMU are orphans now; the next worker on this pool clears them by PID.
            Assert.NotEmpty(killed.PoolProcessIds());
            id = cloneId;
        }

        await using var next = TestWorker.StartInProcess(options, output);
        var clone = await web.WaitForJobAsync(id, IsDone, TimeSpan.FromSeconds(100), "done");
        Assert.Equal("passed", Result(clone));
        Assert.Empty(next.PoolProcessIds());
    }

    [Fact(Timeout = 150_000)]
    public async Task WebUiRestartMidJobLosesNothing()
    {
        await using var web = await WebUiServer.StartAsync(TimeSpan.FromSeconds(20));
        await using var worker = TestWorker.StartInProcess(TestWorker.OptionsFor(web), output);
        var id = await web.CreateJobAsync(GrubJobs.Settings());
        await web.WaitForJobAsync(id, IsRunningWithResults, TimeSpan.FromSeconds(60), "running");

        await web.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(4)); // Results and screenshots pile up in the worker's spool meanwhile.
        await web.StartAgainAsync();

        var job = await web.WaitForJobAsync(id, IsDone, TimeSpan.FromSeconds(100), "done");

        Assert.Equal("passed", Result(job));
        var modules = Modules(job);
        Assert.Equal(["boot", "console", "ls", "help", "halt"], modules.Keys);
        Assert.All(modules.Values, r => Assert.Equal("passed", r));
        foreach (var screenshot in new[] { "boot-1.png", "console-1.png", "ls-1.png", "help-1.png" })
        {
            Assert.True(await web.StatusCodeAsync($"tests/{id}/images/{screenshot}") == 200, screenshot + " is missing");
        }

        Assert.Equal(200, await web.StatusCodeAsync($"tests/{id}/file/autoinst-log.txt"));
        Assert.Empty(Directory.GetFiles(worker.Options.SpoolDirectory));
    }
}
