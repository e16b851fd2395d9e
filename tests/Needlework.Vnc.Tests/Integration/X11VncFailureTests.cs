using System.Diagnostics;
using Needlework.Vnc.Tests.Infrastructure;

namespace Needlework.Vnc.Tests.Integration;

/// <summary>A real server that dies, freezes or restarts: the client reports it within its timeouts and recovers.</summary>
public sealed class X11VncFailureTests(DesktopFixture desktop) : IClassFixture<DesktopFixture>
{
    [Fact(Timeout = 60_000)]
    public async Task ServerKilledMidSession_GivesAClearErrorWithinTheTimeout()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        await using var server = await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions(), deadline.Token);
        await using var client = new VncClient(server.ClientOptions());
        await client.ConnectAsync(deadline.Token);
        var waiter = client.Framebuffer.WaitForUpdateAsync(long.MaxValue - 1, deadline.Token);

        var watch = Stopwatch.StartNew();
        await server.Process.KillAsync();
        await client.Completion.WaitAsync(client.Options.ReadTimeout + TimeSpan.FromSeconds(2), deadline.Token);

        Assert.True(watch.Elapsed < client.Options.ReadTimeout + TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
        Assert.False(client.IsConnected);
        Assert.NotNull(client.Fault);
        Assert.Contains($"127.0.0.1:{server.Port}", client.Fault.Message, StringComparison.Ordinal);
        Assert.Contains("expected", client.Fault.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<VncException>(() => waiter);
        await Assert.ThrowsAsync<VncException>(() => client.SendKeyAsync("ret", deadline.Token));
    }

    [Fact(Timeout = 60_000)]
    public async Task FrozenServer_GivesAClearErrorWithinProbeAndReadTimeout()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        await using var server = await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions(), deadline.Token);
        await using var client = new VncClient(server.ClientOptions());
        await client.ConnectAsync(deadline.Token);

        var watch = Stopwatch.StartNew();
        server.Process.Suspend();
        try
        {
            var limit = client.Options.IdleProbeInterval + client.Options.ReadTimeout;
            await client.Completion.WaitAsync(limit + TimeSpan.FromSeconds(3), deadline.Token);

            Assert.InRange(watch.Elapsed, client.Options.ReadTimeout, limit + TimeSpan.FromSeconds(1));
            Assert.NotNull(client.Fault);
            Assert.Contains("sent nothing", client.Fault.Message, StringComparison.Ordinal);
        }
        finally
        {
            server.Process.Resume();
        }
    }

    [Fact(Timeout = 90_000)]
    public async Task Reconnect_AfterTheServerRestarts_KeepsTheFramebufferAndItsCounters()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(80));
        var first = await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions(), deadline.Token);
        await using var client = new VncClient(first.ClientOptions());
        await client.ConnectAsync(deadline.Token);
        var framebuffer = client.Framebuffer;
        var before = framebuffer.Snapshot();
        var updates = framebuffer.UpdateCount;

        await first.Process.KillAsync();
        await first.DisposeAsync();
        await client.Completion.WaitAsync(deadline.Token);
        Assert.False(client.IsConnected);

        // Restart a little later, as a rebooting SUT would: ReconnectAsync keeps retrying meanwhile.
        var restart = Task.Run(
            async () =>
            {
                await Task.Delay(500, deadline.Token);
                return await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions { Port = first.Port }, deadline.Token);
            },
            deadline.Token);
        try
        {
            await client.ReconnectAsync(deadline.Token);

            Assert.True(client.IsConnected);
            Assert.Same(framebuffer, client.Framebuffer);
            Assert.True(framebuffer.UpdateCount > updates);
            var after = framebuffer.Snapshot();
            Assert.True(after.ContentEquals(before), $"a still screen should look the same after reconnecting: {FrameDifference.Describe(before, after)}");
            await client.SendKeyAsync("shift", deadline.Token);
        }
        finally
        {
            await (await restart).DisposeAsync();
        }
    }
}
