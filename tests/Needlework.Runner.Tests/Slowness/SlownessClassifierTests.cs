using Needlework.Core.Jobs;
using Needlework.Runner.Slowness;

namespace Needlework.Runner.Tests.Slowness;

/// <summary>The classifier on sample series shaped like the ones recorded in this project's fault-injection runs (2 CPUs).</summary>
public sealed class SlownessClassifierTests
{
    [Fact]
    public void Sigstopped_qemu_on_a_loaded_host_is_still_the_sut()
    {
        // QEMU state T for the whole stall; the host busy with a build at the same time.
        var samples = Series(8, t => Sample(t, load: 4.3, runnable: 5, busy: 95, pressure: 70, sutCpu: 0, sutWait: 0, state: "T"));
        var d = SlownessClassifier.Classify(SlownessEvidence.From(samples, 2));
        Assert.Equal(BackendReason.SlowSut, d.Category);
        Assert.Equal("SUT stopped (QEMU not scheduled), host load 4.3 on 2 CPUs", d.Explanation);
    }

    [Fact]
    public void Cpu_hogs_making_qemu_wait_are_the_worker()
    {
        var samples = Series(5, t => Sample(t, load: 5.1, runnable: 9, busy: 100, pressure: 100, sutCpu: 30, sutWait: 70, runnerWait: 80, state: "R"));
        var d = SlownessClassifier.Classify(SlownessEvidence.From(samples, 2));
        Assert.Equal(BackendReason.SlowWorker, d.Category);
        Assert.StartsWith("worker overloaded, host load 5.1 on 2 CPUs, QEMU waited for a CPU 70% of the time", d.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Hypervisor_steal_alone_is_the_worker()
    {
        var samples = Series(5, t => Sample(t, load: 0.8, runnable: 1, busy: 40, steal: 25, pressure: 5, sutCpu: 50, sutWait: 2, state: "S"));
        var d = SlownessClassifier.Classify(SlownessEvidence.From(samples, 2));
        Assert.Equal(BackendReason.SlowWorker, d.Category);
        Assert.Contains("CPU steal 25%", d.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Idle_host_and_idle_qemu_without_frames_is_the_sut()
    {
        var samples = Series(12, t => Sample(t, load: 0.3, runnable: 1, busy: 3, pressure: 0, sutCpu: 0.5, sutWait: 0, state: "S"));
        var d = SlownessClassifier.Classify(SlownessEvidence.From(samples, 2));
        Assert.Equal(BackendReason.SlowSut, d.Category);
        Assert.Equal("SUT idle (QEMU used 0.5% CPU), host load 0.3 on 2 CPUs", d.Explanation);
    }

    [Fact]
    public void Busy_qemu_that_gets_its_cpu_but_sends_no_frame_is_the_sut()
    {
        var samples = Series(12, t => Sample(t, load: 1.1, runnable: 2, busy: 55, pressure: 10, sutCpu: 99, sutWait: 3, state: "R"));
        var d = SlownessClassifier.Classify(SlownessEvidence.From(samples, 2));
        Assert.Equal(BackendReason.SlowSut, d.Category);
        Assert.StartsWith("SUT not answering (QEMU used 99% CPU)", d.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_high_load_average_left_over_from_earlier_is_not_overload_right_now()
    {
        // The 1-minute load lags by a minute: the run queue and pressure now decide, not the average.
        var samples = Series(6, t => Sample(t, load: 6.0, runnable: 1, busy: 10, pressure: 3, sutCpu: 0, sutWait: 0, state: "S"));
        Assert.Equal(BackendReason.SlowSut, SlownessClassifier.Classify(SlownessEvidence.From(samples, 2)).Category);
    }

    [Fact]
    public void A_starved_runner_timer_is_the_worker_even_without_proc_figures()
    {
        var samples = Series(4, t => Sample(t, timerLate: 1500));
        var d = SlownessClassifier.Classify(SlownessEvidence.From(samples, 2));
        Assert.Equal(BackendReason.SlowWorker, d.Category);
        Assert.Contains("timer fired 1500 ms late", d.Explanation, StringComparison.Ordinal);
    }

    private static List<SlownessSample> Series(int count, Func<double, SlownessSample> make) =>
        Enumerable.Range(0, count).Select(i => make(i)).ToList();

    private static SlownessSample Sample(
        double t,
        double? load = null,
        int? runnable = null,
        double? busy = null,
        double? steal = null,
        double? pressure = null,
        double? sutCpu = null,
        double? sutWait = null,
        double? runnerWait = null,
        string? state = null,
        double timerLate = 0) =>
        new(t, 0, 0, t, true, null, load, runnable, busy, steal, pressure, 5, runnerWait, sutCpu, sutWait, state, timerLate, null, null);
}
