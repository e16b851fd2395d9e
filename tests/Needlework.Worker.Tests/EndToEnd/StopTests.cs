using System.Diagnostics;
using Needlework.Worker.Tests.Infrastructure;
using Xunit.Abstractions;
using static Needlework.Worker.Tests.EndToEnd.JobAssertions;

namespace Needlework.Worker.Tests.EndToEnd;

/// <summary>Jobs that end early: a cancel from the web UI (with the live view watched first) and a runner killed with SIGKILL.</summary>
public sealed class StopTests(ITestOutputHelper output)
{
    [Fact(Timeout = 120_000)]
    public async Task CancelMidJobStopsRunnerAndQemu()
    {
        await using var web = await WebUiServer.StartAsync(TimeSpan.FromSeconds(30));
        await using var worker = TestWorker.StartInProcess(TestWorker.OptionsFor(web), output);
        var id = await web.CreateJobAsync(GrubJobs.Settings());
        await web.WaitForJobAsync(id, IsRunningWithResults, TimeSpan.FromSeconds(60), "running");
        var runnerPid = worker.Instance!.CurrentJob!.RunnerPid!.Value;
        var pool = worker.PoolProcessIds();
        Assert.True(pool.Count >= 2, "the runner and QEMU work in the pool: " + string.Join(", ", pool));

        // Somebody watches: the web UI tells the worker livelog_start, and live images arrive.
        var live = false;
        for (var i = 0; i < 40 && !live; i++)
        {
            using var response = await web.Client.GetAsync($"tests/{id}/live.png");
            live = response.StatusCode == System.Net.HttpStatusCode.OK && response.Content.Headers.ContentType?.MediaType == "image/png";
            await Task.Delay(250);
        }

        Assert.True(live, "no live image arrived while the live view was watched");

        await web.CancelJobAsync(id);
        var job = await web.WaitForJobAsync(id, IsDone, TimeSpan.FromSeconds(40), "done");

        Assert.Equal("user_cancelled", Result(job));
        var backend = Backend(job);
        Assert.Equal("cancelled", backend.GetProperty("category").GetString());
        Assert.True(backend.GetProperty("statistics").GetProperty("host").TryGetProperty("mem_available_kib", out _));
        Assert.True(IsGone(runnerPid), $"runner {runnerPid} still runs");
        Assert.All(pool, pid => Assert.True(IsGone(pid), $"process {pid} of the pool still runs"));
        Assert.Empty(worker.PoolProcessIds());
        Assert.Equal(200, await web.StatusCodeAsync($"tests/{id}/file/autoinst-log.txt"));
    }

    [Fact(Timeout = 120_000)]
    public async Task RunnerKilledIsIncompleteWithDiedReason()
    {
        await using var web = await WebUiServer.StartAsync(TimeSpan.FromSeconds(30));
        await using var worker = TestWorker.StartInProcess(TestWorker.OptionsFor(web), output);
        var id = await web.CreateJobAsync(GrubJobs.Settings());
        await web.WaitForJobAsync(id, IsRunningWithResults, TimeSpan.FromSeconds(60), "running");
        var runnerPid = worker.Instance!.CurrentJob!.RunnerPid!.Value;
        var pool = worker.PoolProcessIds();

        using (var runner = Process.GetProcessById(runnerPid))
        {
            runner.Kill(); // SIGKILL to the runner alone: QEMU, in its own session, is left for the worker to find.
        }

        var job = await web.WaitForJobAsync(id, IsDone, TimeSpan.FromSeconds(40), "done");

        Assert.Equal("incomplete", Result(job));
        Assert.Equal("died: terminated prematurely, see log output for details", Reason(job));
        Assert.Equal(9, Backend(job).GetProperty("statistics").GetProperty("runner_signal").GetInt32());
        Assert.Contains("passed", Modules(job).Values);
        Assert.All(pool, pid => Assert.True(IsGone(pid), $"process {pid} of the pool still runs"));
        Assert.Empty(worker.PoolProcessIds());
    }

    [Fact(Timeout = 150_000)]
    public async Task WorkerShutdownMidJobEndsItAsQuitAndLeavesNothingRunning()
    {
        await using var web = await WebUiServer.StartAsync(TimeSpan.FromSeconds(30));
        await using var worker = TestWorker.StartInProcess(TestWorker.OptionsFor(web), output);
        var id = await web.CreateJobAsync(GrubJobs.Settings());
        await web.WaitForJobAsync(id, IsRunningWithResults, TimeSpan.FromSeconds(60), "running");
        var pool = worker.PoolProcessIds();
        Assert.True(pool.Count >= 2, "the runner and QEMU work in the pool: " + string.Join(", ", pool));

        await worker.StopAsync(); // Ctrl-C or SIGTERM of `needlework worker`

        var job = await web.WaitForJobAsync(id, IsDone, TimeSpan.FromSeconds(30), "done");
        Assert.Equal("incomplete", Result(job));
        Assert.Equal("quit: worker has been stopped or restarted", Reason(job));
        Assert.All(pool, pid => Assert.True(IsGone(pid), $"process {pid} of the pool still runs"));
        Assert.Empty(worker.PoolProcessIds());
    }

    /// <summary>Gone, or a zombie waiting for its reaper (an orphan's parent is init, not us).</summary>
    private static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
