using Needlework.Imaging.Frames;
using Needlework.Runner.Backends.Qemu;
using Xunit.Abstractions;

namespace Needlework.Runner.Tests.Backends.Qemu;

/// <summary>QEMU with NEEDLEWORK_FRAME_SOURCE=vnc: frames from QEMU's own VNC server, the same pixels as QMP screendump.</summary>
[Collection(QemuCollection.Name)]
public sealed class VncFrameSourceTests(ITestOutputHelper output)
{
    [Fact(Timeout = 90_000)]
    public async Task Grub_frames_arrive_over_VNC_and_match_screendump_pixel_for_pixel()
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var run = await GrubQemu.StartAsync(extraVariables: new Dictionary<string, string> { ["NEEDLEWORK_FRAME_SOURCE"] = "vnc" }, cancellationToken: budget.Token);
        var backend = run.Backend;
        Assert.Equal(QemuFrameSource.Vnc, backend.FrameSource);
        var vnc = Assert.IsType<Needlework.Vnc.VncClient>(backend.Vnc);

        var first = await backend.CaptureFrameAsync(CancellationToken.None);
        Assert.Equal((1024, 768), (first.Width, first.Height));
        var menu = await WaitForMenuAsync(run);
        // The menu may have been whole at the first update; its countdown redraws it every second.
        await vnc.Framebuffer.WaitForUpdateAsync(1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(vnc.Framebuffer.UpdateCount > 1, "the VNC framebuffer never updated");

        // Freeze the guest so both sources look at the same screen; QEMU's text-mode cursor may still blink,
        // so a comparison counts only when two screendumps around the VNC frame agree.
        backend.Qmp!.Execute("stop", null, CancellationToken.None);
        try
        {
            var compared = 0;
            for (var attempt = 0; attempt < 20 && compared < 3; attempt++)
            {
                var before = await backend.CaptureScreendumpAsync(CancellationToken.None);
                var count = vnc.Framebuffer.UpdateCount;
                await vnc.RequestFullUpdateAsync(CancellationToken.None);
                await vnc.Framebuffer.WaitForUpdateAsync(count, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
                var overVnc = await backend.CaptureVncAsync(CancellationToken.None);
                var after = await backend.CaptureScreendumpAsync(CancellationToken.None);
                if (!before.ContentEquals(after))
                {
                    continue;
                }

                compared++;
                Assert.True(
                    overVnc.ContentEquals(before),
                    $"VNC and screendump differ on a still screen: PSNR {FrameSimilarity.Psnr(overVnc, before):0.0} dB");
            }

            output.WriteLine($"{compared} still screens compared, VNC updates so far {vnc.Framebuffer.UpdateCount}");
            Assert.True(compared >= 3, "the screen never held still between two screendumps");
        }
        finally
        {
            backend.Qmp.Execute("cont", null, CancellationToken.None);
        }

        // Switching back to QMP drops the VNC client (it costs QEMU encoding work).
        await backend.UseFrameSourceAsync(QemuFrameSource.Qmp, CancellationToken.None);
        Assert.Null(backend.Vnc);
        var again = await backend.CaptureFrameAsync(CancellationToken.None);
        Assert.Equal((1024, 768), (again.Width, again.Height));
    }

    [Fact(Timeout = 90_000)]
    public async Task Vnc_input_types_at_the_grub_prompt()
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var run = await GrubQemu.StartAsync(
            extraVariables: new Dictionary<string, string> { ["NEEDLEWORK_FRAME_SOURCE"] = "vnc", ["NEEDLEWORK_INPUT"] = "vnc" },
            cancellationToken: budget.Token);
        var backend = run.Backend;
        var menu = await WaitForMenuAsync(run);
        await backend.SendKeyAsync("c", CancellationToken.None);
        var prompt = await run.WaitForNewStillScreenAsync(menu, TimeSpan.FromSeconds(10));
        await backend.TypeStringAsync("ls\n", CancellationToken.None);
        var ls = await run.WaitForNewStillScreenAsync(prompt, TimeSpan.FromSeconds(10));
        var reference = ScreenFixtures.Reference("grub-ls.png", ls, update: false);
        var similarity = ScreenFixtures.RegionPsnr(ls, reference, 0, 128, 200, 32);
        Assert.True(similarity >= GrubQemu.StillLevel, $"ls output typed over VNC: {similarity:0.0} dB against the reference");
    }

    /// <summary>
    /// Captures until the GRUB menu (the committed reference, without its countdown line) is on screen. The VNC
    /// connection waits for its first screen, so the first frame may already be the menu: no "new screen" wait here.
    /// </summary>
    private static async Task<Frame> WaitForMenuAsync(GrubQemu run)
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(25));
        Frame? reference = null;
        var similarity = 0.0;
        try
        {
            while (true)
            {
                var frame = await run.Backend.CaptureFrameAsync(budget.Token);
                reference ??= ScreenFixtures.Reference("grub-menu.png", frame, update: false);
                similarity = ScreenFixtures.RegionPsnr(frame, reference, 0, 0, 720, 280);
                if (similarity >= GrubQemu.StillLevel)
                {
                    return frame;
                }

                await Task.Delay(150, budget.Token);
            }
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"no GRUB menu over VNC within 25 s (last {similarity:0.0} dB); log:\n{run.Log}");
        }
    }
}
