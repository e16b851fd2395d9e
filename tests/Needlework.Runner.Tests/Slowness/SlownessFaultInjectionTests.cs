using System.Diagnostics;
using System.Text.Json;
using Needlework.Core.Jobs;
using Needlework.Runner.Backends.Qemu;
using Needlework.Runner.Slowness;
using Needlework.Runner.Tests.Backends.Qemu;
using Xunit.Abstractions;

namespace Needlework.Runner.Tests.Slowness;

/// <summary>Real faults on a real QEMU: the guest frozen by SIGSTOP, the host flooded by CPU hogs; each test undoes its fault.</summary>
[Collection(QemuCollection.Name)]
public sealed class SlownessFaultInjectionTests(ITestOutputHelper output)
{
    [Fact(Timeout = 60_000)]
    public async Task Sigstopped_qemu_trips_the_stall_limit_within_two_seconds_as_a_slow_sut()
    {
        const double limit = 3;
        await using var run = await MonitoredGrub.StartAsync(
            new Dictionary<string, string> { [SlownessThresholds.MaxStallVariable] = "3" },
            captureTimeout: TimeSpan.FromSeconds(5));
        // A few seconds of normal frames first, so the monitor has a baseline and samples before the fault.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Null(run.Monitor.Verdict);
        var pid = run.Qemu.Backend.ProcessId!.Value;
        var lastFrameBefore = run.Monitor.LastFrame;
        Assert.NotNull(lastFrameBefore);

        var watch = Stopwatch.StartNew();
        Assert.True(PosixSignals.SendToProcess(pid, PosixSignals.SigStop));
        bool stopped;
        try
        {
            stopped = await run.WaitForStopAsync(TimeSpan.FromSeconds(limit + 5));
        }
        finally
        {
            PosixSignals.SendToProcess(pid, PosixSignals.SigCont);
        }

        var detectedAfter = watch.Elapsed;
        output.WriteLine($"stop requested {detectedAfter.TotalSeconds:0.00} s after SIGSTOP: {run.Stop.Reason?.Message}");
        Assert.True(stopped, $"no stop within {limit + 5} s; log:\n{run.RunnerLogText}");
        // The last frame came at most one interval before SIGSTOP, so the limit is crossed between 2.5 and 3 s after it.
        Assert.InRange(detectedAfter.TotalSeconds, limit - 0.5, limit + 2);

        var reason = run.Stop.Reason!;
        Assert.Equal("backend", reason.Component);
        Assert.Equal(BackendReason.SlowSut, reason.Category);
        Assert.StartsWith("too slow: no frame for ", reason.Message, StringComparison.Ordinal);
        Assert.Contains("(limit 3 s), SUT stopped (QEMU not scheduled), host load ", reason.Message, StringComparison.Ordinal);
        var summary = Assert.IsType<SlownessSummary>(reason.Statistics);
        Assert.True(summary.Stalls.LongestS > limit);
        Assert.Equal(BackendReason.SlowSut, summary.Category);

        // stats.json is on disk with the verdict and a timeline that shows the stopped QEMU.
        using var stats = JsonDocument.Parse(await File.ReadAllBytesAsync(run.StatsPath));
        Assert.Equal("slow_sut", stats.RootElement.GetProperty("summary").GetProperty("category").GetString());
        var timeline = stats.RootElement.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Contains(timeline, s => s.TryGetProperty("sut_state", out var st) && st.GetString() == "T" && s.GetProperty("stalled").GetBoolean());

        // Alive again after SIGCONT: frames come back, and the job's clean stop leaves no QEMU behind.
        Assert.True(await WaitForNewFrameAsync(run, lastFrameBefore!.Number, TimeSpan.FromSeconds(10)), "no frame after SIGCONT");
        await run.Qemu.Backend.StopAsync(CancellationToken.None);
        Assert.False(Directory.Exists($"/proc/{pid}"));
    }

    /// <summary>
    /// A capture timeout of 1 ms forces every capture to fail, so the stall limit trips whatever the load: what this test
    /// checks is the judgement, not whether a hog happens to slow QEMU enough on 2 CPUs. With 3 busy loops per CPU
    /// running, the measurements (QEMU and the runner waiting on the run queue, runnable tasks per CPU, CPU pressure)
    /// must name the worker.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task Cpu_hogs_on_the_host_make_a_tripped_limit_a_slow_worker()
    {
        var hogs = new List<Process>();
        try
        {
            for (var i = 0; i < 3 * Environment.ProcessorCount; i++)
            {
                hogs.Add(Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })!);
            }

            // Let the run queue fill before the job starts.
            await Task.Delay(TimeSpan.FromSeconds(1));
            await using var run = await MonitoredGrub.StartAsync(
                new Dictionary<string, string> { [SlownessThresholds.MaxStallVariable] = "3" },
                captureTimeout: TimeSpan.FromMilliseconds(1));
            var stopped = await run.WaitForStopAsync(TimeSpan.FromSeconds(15));
            output.WriteLine(run.Stop.Reason?.Message ?? "(no stop)");
            Assert.True(stopped, $"no stop; log:\n{run.RunnerLogText}");
            var reason = run.Stop.Reason!;
            Assert.Equal("backend", reason.Component);
            Assert.Equal(BackendReason.SlowWorker, reason.Category);
            Assert.StartsWith("too slow: no frame for ", reason.Message, StringComparison.Ordinal);
            Assert.Contains("worker overloaded, host load ", reason.Message, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var hog in hogs)
            {
                hog.Kill();
                await hog.WaitForExitAsync();
                hog.Dispose();
            }
        }
    }

    /// <summary>
    /// Normal GRUB sessions with realistic limits stop none. NEEDLEWORK_FP_RUNS sets how many sessions
    /// (bench/slowness-false-positives.sh runs 10); the suite runs 1 to stay short.
    /// </summary>
    [Fact(Timeout = 900_000)]
    public async Task Normal_grub_sessions_with_realistic_limits_are_never_stopped()
    {
        var runs = int.TryParse(Environment.GetEnvironmentVariable("NEEDLEWORK_FP_RUNS"), out var n) ? n : 1;
        var limits = new Dictionary<string, string>
        {
            [SlownessThresholds.MaxStallVariable] = "10",
            [SlownessThresholds.MaxStalledPercentVariable] = "20",
            [SlownessThresholds.WindowVariable] = "60",
            [SlownessThresholds.BaselineFactorVariable] = "10",
        };
        var stops = new List<string>();
        for (var i = 0; i < runs; i++)
        {
            await using var run = await MonitoredGrub.StartAsync(limits, captureTimeout: TimeSpan.FromSeconds(5));
            var backend = run.Qemu.Backend;
            // The example job's steps, paced as the test API paces them: menu, c, ls, help.
            await Task.Delay(TimeSpan.FromSeconds(3));
            await backend.SendKeyAsync("c", CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(2));
            await backend.TypeStringAsync("ls\n", CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(2));
            await backend.TypeStringAsync("help\n", CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(5));
            var summary = run.Monitor.Complete();
            output.WriteLine($"FP-RUN {i + 1}/{runs}: stopped={summary.Category ?? "no"} frames={summary.Frames} failures={summary.Failures} interval p50/p95/max={summary.IntervalMs.P50}/{summary.IntervalMs.P95}/{summary.IntervalMs.Max} ms latency p50/p95/max={summary.LatencyMs.P50}/{summary.LatencyMs.P95}/{summary.LatencyMs.Max} ms stalls={summary.Stalls.Count} longest={summary.Stalls.LongestS} s load~{summary.Host.LoadMean} sut_wait~{summary.Host.SutWaitMean}% runner_cpu={summary.Host.RunnerCpuS} s sut_cpu={summary.Host.SutCpuS} s");
            if (run.Stop.Reason is { } reason)
            {
                stops.Add(reason.Message);
            }
        }

        output.WriteLine($"FP-TOTAL {stops.Count} stopped of {runs}");
        Assert.Empty(stops);
    }

    private static async Task<bool> WaitForNewFrameAsync(MonitoredGrub run, long afterNumber, TimeSpan budget)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < budget)
        {
            if (run.Monitor.LastFrame is { } frame && frame.Number > afterNumber)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
