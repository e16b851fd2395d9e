using System.Diagnostics;
using Needlework.Runner.Backends;
using Needlework.Runner.Backends.Qemu;

namespace Needlework.Runner.Tests.Backends.Qemu;

/// <summary>Starting, stopping, dying and freezing, each on its own real QEMU.</summary>
[Collection(QemuCollection.Name)]
public sealed class QemuLifecycleTests
{
    [Fact(Timeout = 30_000)]
    public async Task Sigkill_mid_session_is_reported_as_backend_died_within_seconds()
    {
        await using var run = await GrubQemu.StartAsync();
        var backend = run.Backend;
        await backend.CaptureFrameAsync(CancellationToken.None);
        var pid = backend.ProcessId!.Value;

        var watch = Stopwatch.StartNew();
        Assert.True(PosixSignals.SendToProcess(pid, PosixSignals.SigKill));
        var died = await Assert.ThrowsAsync<BackendDiedException>(async () =>
        {
            // The capture loop keeps asking; the death must surface on one of its calls.
            while (true)
            {
                await backend.CaptureFrameAsync(CancellationToken.None);
                await Task.Delay(100);
            }
        });

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"death reported after {watch.Elapsed}");
        Assert.Equal("backend died: QEMU exited unexpectedly, see log for details", died.Message);
        Assert.Equal(died.Failure, backend.Failure);
        Assert.Equal("qemu", died.Failure.Component);
        Assert.False(backend.IsAlive);
        Assert.Contains("backend died: QEMU exited unexpectedly", run.Log, StringComparison.Ordinal);
        Assert.Contains("signal 9", run.Log, StringComparison.Ordinal);
        await Assert.ThrowsAsync<BackendDiedException>(() => backend.SendKeyAsync("ret", CancellationToken.None));
        Assert.False(Directory.Exists($"/proc/{pid}"), "the killed QEMU must be reaped");
    }

    [Fact(Timeout = 30_000)]
    public async Task Stop_quits_qemu_and_leaves_no_process_in_its_group()
    {
        await using var run = await GrubQemu.StartAsync();
        var backend = run.Backend;
        var pid = backend.ProcessId!.Value;
        Assert.Equal(pid, ProcessGroupOf(pid));

        await backend.PowerAsync(PowerAction.Reset, CancellationToken.None);
        var reset = await NextEventAsync(backend, "RESET");
        Assert.False(reset.IsGuestInitiated);

        var watch = Stopwatch.StartNew();
        await backend.StopAsync(CancellationToken.None);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"stop took {watch.Elapsed}");
        Assert.False(Directory.Exists($"/proc/{pid}"), "QEMU must be gone and reaped");
        Assert.False(PosixSignals.SendToGroup(pid, 0), "no process may be left in QEMU's group");
        Assert.Null(backend.Failure);
        Assert.False(backend.IsAlive);
        Assert.DoesNotContain("SIGTERM", run.Log, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => backend.CaptureFrameAsync(CancellationToken.None));
    }

    [Fact(Timeout = 30_000)]
    public async Task Guest_halt_ends_qemu_as_an_orderly_power_off()
    {
        await using var run = await GrubQemu.StartAsync();
        var backend = run.Backend;
        var first = await backend.CaptureFrameAsync(CancellationToken.None);
        await run.WaitForNewStillScreenAsync(first, TimeSpan.FromSeconds(15));
        await backend.SendKeyAsync("c", CancellationToken.None);
        await Task.Delay(500);
        await backend.TypeStringAsync("halt\n", CancellationToken.None);

        await backend.Ended.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Null(backend.Failure);
        Assert.False(backend.IsAlive);
        Assert.Contains("\"guest\":true", run.Log.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Sigstopped_qemu_gives_a_qmp_timeout_within_the_configured_time()
    {
        var timeout = TimeSpan.FromSeconds(1);
        await using var run = await GrubQemu.StartAsync(o => o with { QmpCommandTimeout = timeout, QuitGracePeriod = TimeSpan.FromSeconds(1) });
        var backend = run.Backend;
        var pid = backend.ProcessId!.Value;
        await backend.CaptureFrameAsync(CancellationToken.None);

        Assert.True(PosixSignals.SendToProcess(pid, PosixSignals.SigStop));
        try
        {
            var watch = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<QmpTimeoutException>(() => backend.CaptureFrameAsync(CancellationToken.None));
            Assert.InRange(watch.Elapsed, timeout * 0.9, timeout * 2.5);
            Assert.Equal("QMP command 'screendump' got no answer within 1 s: QEMU is not responding", e.Message);
            Assert.Null(backend.Failure);
        }
        finally
        {
            PosixSignals.SendToProcess(pid, PosixSignals.SigCont);
        }

        // Alive again: the late answer to the timed-out command is dropped and the next one is answered.
        await backend.CaptureFrameAsync(CancellationToken.None);
        await backend.StopAsync(CancellationToken.None);
        Assert.False(Directory.Exists($"/proc/{pid}"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Stop_escalates_past_an_unanswered_quit_when_qemu_is_frozen()
    {
        await using var run = await GrubQemu.StartAsync(o => o with
        {
            QmpCommandTimeout = TimeSpan.FromMilliseconds(500),
            QuitGracePeriod = TimeSpan.FromMilliseconds(500),
            TerminateGracePeriod = TimeSpan.FromMilliseconds(500),
        });
        var pid = run.Backend.ProcessId!.Value;
        Assert.True(PosixSignals.SendToProcess(pid, PosixSignals.SigStop));

        var watch = Stopwatch.StartNew();
        await run.Backend.StopAsync(CancellationToken.None);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"stop took {watch.Elapsed}");
        Assert.False(Directory.Exists($"/proc/{pid}"));
        // quit gets no answer; SIGTERM with SIGCONT ends a stopped QEMU (SIGKILL is the last resort after that).
        Assert.Contains("sending SIGTERM", run.Log, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Qemu_refusing_its_command_line_is_a_backend_death_with_qemus_words_in_the_log()
    {
        var pool = TestPaths.NewPool();
        try
        {
            var log = new StringWriter();
            var vars = QemuVariables.Parse(new Dictionary<string, string> { ["ISO"] = TestPaths.GrubRescueIso, ["QEMU_APPEND"] = "-no-such-option" });
            await using var backend = new QemuBackend(vars, new QemuBackendOptions { PoolDirectory = pool, Log = log, Accelerator = QemuAccelerator.Tcg }, TimeProvider.System);
            var e = await Assert.ThrowsAsync<BackendDiedException>(() => backend.StartAsync(CancellationToken.None));
            Assert.Equal(BackendFailure.QemuDiedReason, e.Message);
            Assert.Contains("[qemu] qemu-system-x86_64: -no-such-option: invalid option", log.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(pool, recursive: true);
        }
    }

    [Fact(Timeout = 10_000)]
    public async Task A_missing_iso_names_the_variable_before_anything_starts()
    {
        var pool = TestPaths.NewPool();
        try
        {
            var vars = QemuVariables.Parse(new Dictionary<string, string> { ["ISO"] = "/nonexistent/x.iso" });
            await using var backend = new QemuBackend(vars, new QemuBackendOptions { PoolDirectory = pool }, TimeProvider.System);
            var e = await Assert.ThrowsAsync<JobVariableException>(() => backend.StartAsync(CancellationToken.None));
            Assert.Equal("ISO", e.Variable);
            Assert.Equal("job variable ISO='/nonexistent/x.iso' is not usable: the file does not exist", e.Message);
            Assert.Null(backend.ProcessId);
        }
        finally
        {
            Directory.Delete(pool, recursive: true);
        }
    }

    private static int ProcessGroupOf(int pid)
    {
        // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so parse after the last ')'.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<QmpEvent> NextEventAsync(QemuBackend backend, string name)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await foreach (var e in backend.Qmp!.Events.ReadAllAsync(cts.Token))
        {
            if (e.Name == name)
            {
                return e;
            }
        }

        throw new Xunit.Sdk.XunitException($"no {name} event");
    }
}
