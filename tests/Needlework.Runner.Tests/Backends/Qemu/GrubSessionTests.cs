using System.Net.Sockets;
using System.Text;
using Needlework.Imaging.Frames;
using Needlework.Runner.Backends;
using Xunit.Abstractions;

namespace Needlework.Runner.Tests.Backends.Qemu;

/// <summary>The GRUB session os-autoinst's comparison run does: menu, <c>c</c>, <c>ls</c>, <c>help</c>, on one real QEMU.</summary>
[Collection(QemuCollection.Name)]
public sealed class GrubSessionTests(GrubQemuFixture fixture, ITestOutputHelper output) : IClassFixture<GrubQemuFixture>
{
    // GRUB draws in VGA text mode, 720x400; frames come padded to 1024x768. The menu box, without the countdown line.
    private const int TextWidth = 720;

    [Fact(Timeout = 60_000)]
    public async Task Grub_menu_then_prompt_then_ls_then_help()
    {
        var run = fixture.Run;
        var backend = run.Backend;
        var first = await backend.CaptureFrameAsync(CancellationToken.None);
        Assert.Equal((1024, 768), (first.Width, first.Height));

        // Each step waits through intermediate screens (boot messages, a half-typed line, a floppy probe)
        // for a still screen matching the reference captured from the real SUT.
        var menu = await WaitForReferenceAsync(first, "grub-menu.png", 0, 0, TextWidth, 280, TimeSpan.FromSeconds(20));

        await backend.SendKeyAsync("c", CancellationToken.None);
        var prompt = await WaitForReferenceAsync(menu, "grub-prompt.png", 0, 0, TextWidth, 400, TimeSpan.FromSeconds(10));

        await backend.TypeStringAsync("ls", CancellationToken.None);
        await backend.SendKeyAsync("ret", CancellationToken.None);
        // "grub> ls" and its answer "(cd) (cd,msdos1) (fd0)" sit on text rows 8 and 9, left of the blinking cursor.
        var ls = await WaitForReferenceAsync(prompt, "grub-ls.png", 0, 128, 200, 32, TimeSpan.FromSeconds(10));
        var lsReference = ScreenFixtures.Reference("grub-ls.png", ls, update: false);
        var promptRows = ScreenFixtures.RegionPsnr(prompt, lsReference, 0, 128, 200, 32);
        Assert.True(promptRows < 30, $"the reference ls rows must not match the bare prompt ({promptRows:0.0} dB)");

        await backend.TypeStringAsync("help\n", CancellationToken.None);
        await WaitForReferenceAsync(ls, "grub-help.png", 0, 0, TextWidth, 400, TimeSpan.FromSeconds(25));
    }

    [Fact(Timeout = 60_000)]
    public async Task Screendump_latency_and_cpu_per_frame_are_measured()
    {
        var backend = fixture.Run.Backend;
        var first = await backend.CaptureFrameAsync(CancellationToken.None);
        var figures = await FrameSourceMeasurement.MeasureAsync(
            backend.CaptureScreendumpAsync, 60, () => backend.QemuProcessorTime, TimeSpan.FromSeconds(2), TimeProvider.System, CancellationToken.None);
        output.WriteLine($"QMP screendump, guest running: {figures}");

        // A TCG guest keeps QEMU's CPU busy, hiding the screendump's own cost: pause the guest to see it.
        backend.Qmp!.Execute("stop", null, CancellationToken.None);
        try
        {
            var paused = await FrameSourceMeasurement.MeasureAsync(
                backend.CaptureScreendumpAsync, 60, () => backend.QemuProcessorTime, TimeSpan.FromSeconds(1), TimeProvider.System, CancellationToken.None);
            output.WriteLine($"QMP screendump, guest paused: {paused}");
            var dumpPath = Path.Combine(fixture.Run.Pool, "raw.ppm");
            var raw = await FrameSourceMeasurement.MeasureAsync(
                async ct =>
                {
                    backend.Qmp.Execute("screendump", new System.Text.Json.Nodes.JsonObject { ["filename"] = dumpPath }, ct);
                    return first;
                },
                60, () => backend.QemuProcessorTime, TimeSpan.FromSeconds(1), TimeProvider.System, CancellationToken.None);
            output.WriteLine($"QMP screendump command alone (no read/parse), guest paused: {raw}");
        }
        finally
        {
            backend.Qmp.Execute("cont", null, CancellationToken.None);
        }

        Assert.Equal(60, figures.Frames);
        // The capture loop asks every 0.5 s; a source needing a tenth of that is already a problem.
        Assert.True(figures.MedianLatency < TimeSpan.FromMilliseconds(50), figures.ToString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Unchanged_screen_gives_the_same_frame_again()
    {
        var backend = fixture.Run.Backend;

        // A paused guest cannot change its screen: every dump is the same, and so is the frame made of it.
        backend.Qmp!.Execute("stop", null, CancellationToken.None);
        try
        {
            var first = await backend.CaptureScreendumpAsync(CancellationToken.None);
            var second = await backend.CaptureScreendumpAsync(CancellationToken.None);
            var third = await backend.CaptureScreendumpAsync(CancellationToken.None);
            Assert.Same(first, second);
            Assert.Same(first, third);
            Assert.Equal((1024, 768), (first.Width, first.Height));
        }
        finally
        {
            backend.Qmp.Execute("cont", null, CancellationToken.None);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Vnc_listens_on_loopback_for_a_console_to_attach()
    {
        var port = Assert.IsType<int>(fixture.Run.Backend.VncPort);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var buffer = new byte[12];
        await client.GetStream().ReadExactlyAsync(buffer);
        Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(buffer));
        Assert.True(File.Exists(fixture.Run.Backend.SerialLogPath));
        Assert.True(fixture.Run.Backend.IsAlive);
    }

    /// <summary>
    /// Waits for a still screen, new since <paramref name="before"/>, whose region matches the reference.
    /// When capturing references there is nothing to match yet: the screen a few seconds on is taken (GRUB's steps take under 2 s under TCG).
    /// </summary>
    private async Task<Frame> WaitForReferenceAsync(Frame before, string name, int x, int y, int width, int height, TimeSpan budget)
    {
        var started = TimeProvider.System.GetTimestamp();
        if (ScreenFixtures.Updating)
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            var now = await fixture.Run.Backend.CaptureFrameAsync(CancellationToken.None);
            ScreenFixtures.Reference(name, now);
            return now;
        }

        var reference = ScreenFixtures.Reference(name, before);
        var similarity = 0.0;
        while (TimeProvider.System.GetElapsedTime(started) < budget)
        {
            var screen = await fixture.Run.TryWaitForNewStillScreenAsync(before, budget - TimeProvider.System.GetElapsedTime(started));
            if (screen is null)
            {
                break;
            }

            similarity = ScreenFixtures.RegionPsnr(screen, reference, x, y, width, height);
            output.WriteLine($"{name}: still screen after {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.00} s, {similarity:0.0} dB");
            if (similarity >= GrubQemu.StillLevel)
            {
                return screen;
            }

            before = screen;
            Png.WriteFile(screen, Path.Combine(Path.GetTempPath(), "needlework-mismatch-" + name));
        }

        Assert.Fail($"{name}: no still screen matched the reference within {budget} (last {similarity:0.0} dB); log:\n{fixture.Run.Log}");
        throw new InvalidOperationException("unreachable");
    }
}
