using System.Diagnostics;
using System.Text.RegularExpressions;
using Needlework.Imaging.Frames;
using Needlework.Runner.Backends;
using Xunit.Abstractions;
using Needlework.Vnc.Tests.Infrastructure;

namespace Needlework.Runner.Tests.Backends.Vnc;

/// <summary>The generic VNC backend against a real x11vnc serving Xvfb with an xterm whose typed text lands in a file.</summary>
public sealed partial class VncBackendTests(DesktopFixture desktop, ITestOutputHelper output) : IClassFixture<DesktopFixture>
{
    [Fact(Timeout = 60_000)]
    public async Task Frames_arrive_at_the_job_resolution_and_a_captured_frame_is_never_overwritten()
    {
        await using var server = await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions(), CancellationToken.None);
        await using var run = await VncBackendRun.StartAsync(Variables(server.Port, ("XRES", "800"), ("YRES", "600")));
        var backend = run.Backend;
        Assert.True(backend.IsAlive);
        Assert.Equal(server.Port, backend.VncPort);
        Assert.Equal(0, new FileInfo(backend.SerialLogPath).Length);

        // Xvfb is 1024x768: frames come scaled to XRES x YRES.
        var first = await backend.CaptureFrameAsync(CancellationToken.None);
        Assert.Equal((800, 600), (first.Width, first.Height));
        var firstCopy = first.Clone();

        // Nothing changed: the same immutable frame again, no copy.
        Assert.Same(first, await backend.CaptureFrameAsync(CancellationToken.None));

        // Without a window manager keyboard focus follows the pointer: over the xterm (frame coordinates, scaled back to the screen).
        await backend.MoveMouseAsync(200, 150, CancellationToken.None);
        await backend.TypeStringAsync("frames", CancellationToken.None);
        var changed = await WaitForChangeAsync(backend, first, TimeSpan.FromSeconds(10));
        Assert.NotSame(first, changed);
        // The video sink may still be writing the first frame: the new screen must not have been copied into it.
        Assert.True(first.ContentEquals(firstCopy), "a frame already handed out was overwritten by a later capture");
        await backend.SendKeyAsync("ret", CancellationToken.None);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_typed_line_reaches_the_xterm()
    {
        await using var server = await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions(), CancellationToken.None);
        await using var run = await VncBackendRun.StartAsync(Variables(server.Port));
        var line = $"Needlework typed {Guid.NewGuid().ToString("N")[..8]} & ~!@#$%^*()_+{{}}|:\"<>?";
        await run.Backend.MoveMouseAsync(200, 150, CancellationToken.None);
        await run.Backend.TypeStringAsync(line + "\n", CancellationToken.None);

        var deadline = Stopwatch.StartNew();
        while (!File.ReadAllText(desktop.TypedFile).Contains(line + "\n", StringComparison.Ordinal))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"typed line not seen; file has: {File.ReadAllText(desktop.TypedFile)}");
            await Task.Delay(50);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Killed_x11vnc_is_a_backend_death_naming_VNC_within_the_reconnect_timeout()
    {
        var server = await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions(), CancellationToken.None);
        await using var run = await VncBackendRun.StartAsync(Variables(server.Port), o => o with { ReconnectTimeout = TimeSpan.FromSeconds(3) });
        await run.Backend.CaptureFrameAsync(CancellationToken.None);

        var clock = Stopwatch.StartNew();
        await server.Process.KillAsync();
        await server.DisposeAsync();
        var died = await Assert.ThrowsAsync<BackendDiedException>(async () =>
        {
            while (true)
            {
                await run.Backend.CaptureFrameAsync(CancellationToken.None);
                await Task.Delay(100);
            }
        });
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.00} s: {died.Message}\n{run.Log}");

        // Reconnecting for 3 s (each attempt refused at once), plus the time to notice the loss.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(8));
        Assert.Matches(OpenQaAutoRetrigger(), died.Message);
        Assert.Contains($"127.0.0.1:{server.Port}", died.Message, StringComparison.Ordinal);
        Assert.Equal(died.Failure, run.Backend.Failure);
        Assert.Equal("vnc", died.Failure.Component);
        Assert.False(run.Backend.IsAlive);
        await Assert.ThrowsAsync<BackendDiedException>(() => run.Backend.SendKeyAsync("a", CancellationToken.None));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_restarted_x11vnc_is_reconnected_without_losing_the_test()
    {
        var server = await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions(), CancellationToken.None);
        var port = server.Port;
        await using var run = await VncBackendRun.StartAsync(Variables(port), o => o with { ReconnectTimeout = TimeSpan.FromSeconds(15) });
        await server.Process.KillAsync();
        await server.DisposeAsync();
        await using var restarted = await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions { Port = port }, CancellationToken.None);

        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var line = $"after restart {Guid.NewGuid().ToString("N")[..8]}";
        await run.Backend.MoveMouseAsync(200, 150, budget.Token);
        await run.Backend.TypeStringAsync(line + "\n", budget.Token);
        while (!File.ReadAllText(desktop.TypedFile).Contains(line, StringComparison.Ordinal))
        {
            await Task.Delay(50, budget.Token);
        }

        Assert.True(run.Backend.IsAlive, run.Log);
        Assert.Equal(1, run.Backend.Reconnects);
        Assert.Equal((1024, 768), Size(await run.Backend.CaptureFrameAsync(budget.Token)));
    }

    [Fact(Timeout = 60_000)]
    public async Task Password_protected_x11vnc_accepts_VNC_PASSWORD_or_PASSWORD_and_a_wrong_one_is_not_retriggered()
    {
        await using var server = await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions { Password = "s3cret!x" }, CancellationToken.None);
        await using (var run = await VncBackendRun.StartAsync(Variables(server.Port, ("VNC_PASSWORD", "s3cret!x"))))
        {
            Assert.Equal((1024, 768), Size(await run.Backend.CaptureFrameAsync(CancellationToken.None)));
        }

        await using (var run = await VncBackendRun.StartAsync(Variables(server.Port, ("PASSWORD", "s3cret!x"))))
        {
            Assert.True(run.Backend.IsAlive);
        }

        await using var wrong = VncBackendRun.Create(Variables(server.Port, ("VNC_PASSWORD", "wrong")));
        var died = await Assert.ThrowsAsync<BackendDiedException>(() => wrong.Backend.StartAsync(CancellationToken.None));
        output.WriteLine(died.Message);
        Assert.StartsWith("backend died: VNC server", died.Message, StringComparison.Ordinal);
        // A wrong password stays wrong: openQA's retrigger regex must not fire on it.
        Assert.DoesNotMatch(OpenQaAutoRetrigger(), died.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task No_server_listening_is_a_refused_backend_death()
    {
        await using var run = VncBackendRun.Create(Variables(FreePort()));
        var died = await Assert.ThrowsAsync<BackendDiedException>(() => run.Backend.StartAsync(CancellationToken.None));
        Assert.Matches(OpenQaAutoRetrigger(), died.Message);
        Assert.Contains("refused", died.Message, StringComparison.Ordinal);
    }

    // openQA's default auto_clone_regex, the part about VNC.
    [GeneratedRegex(@"^backend died: .*VNC.*(timeout|timed out|refused)")]
    private static partial Regex OpenQaAutoRetrigger();

    private static Dictionary<string, string> Variables(int port, params (string Name, string Value)[] more)
    {
        var variables = new Dictionary<string, string> { ["BACKEND"] = "vnc", ["VNC_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (name, value) in more)
        {
            variables[name] = value;
        }

        return variables;
    }

    private static (int, int) Size(Frame frame) => (frame.Width, frame.Height);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<Frame> WaitForChangeAsync(ISutBackend backend, Frame before, TimeSpan budget)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var frame = await backend.CaptureFrameAsync(CancellationToken.None);
            if (!frame.ContentEquals(before))
            {
                return frame;
            }

            Assert.True(deadline.Elapsed < budget, "the screen did not change");
            await Task.Delay(50);
        }
    }
}
