using Needlework.Imaging.Frames;
using Needlework.Vnc.Tests.Infrastructure;

namespace Needlework.Vnc.Tests.Integration;

/// <summary>The client against a real x11vnc serving a real Xvfb desktop with an xterm.</summary>
public sealed class X11VncTests(DesktopFixture desktop) : IClassFixture<DesktopFixture>
{
    [Fact(Timeout = 60_000)]
    public async Task Connect_ReceivesTheFull1024x768Screen()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        await using var server = await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions(), deadline.Token);
        await using var client = new VncClient(server.ClientOptions());

        await client.ConnectAsync(deadline.Token);

        Assert.Equal("3.8", client.ProtocolVersion);
        Assert.True(client.Framebuffer.UpdateCount >= 1);
        Assert.NotEqual(0, client.Framebuffer.LastUpdateTimestamp);
        var frame = client.Framebuffer.Snapshot();
        Assert.Equal((1024, 768), (frame.Width, frame.Height));
        // The xterm at the top left has a white background; the Xvfb root window is black.
        Assert.Equal((byte)255, frame.GetRow(100)[100 * 3]);
        Assert.Equal((byte)0, frame.GetRow(700)[1000 * 3]);
    }

    [Fact(Timeout = 60_000)]
    public async Task TypeString_ArrivesInXterm_WithUpperCaseAndShiftedSymbols()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        await using var server = await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions(), deadline.Token);
        await using var client = new VncClient(server.ClientOptions());
        await client.ConnectAsync(deadline.Token);
        var before = client.Framebuffer.Snapshot();
        var marker = $"needlework-{Random.Shared.Next(100000, 999999)}";
        var text = $"echo {marker} Hello World! ~!@#$%^&*()_+{{}}|:\"<>? abc-=[]\\;',./`";

        // Without a window manager, keyboard focus follows the pointer.
        await client.MovePointerAsync(200, 150, deadline.Token);
        var count = client.Framebuffer.UpdateCount;
        await client.TypeStringAsync(text, deadline.Token);
        await client.SendKeyAsync("ret", deadline.Token);

        Assert.Equal(text + "\n", await WaitForFileAsync(desktop.TypedFile, marker, deadline.Token));
        // Some updates come before the echo is drawn (or answer an idle probe): wait until one shows it.
        var after = client.Framebuffer.Snapshot();
        while (after.ContentEquals(before) && !deadline.IsCancellationRequested)
        {
            count = await client.Framebuffer.WaitForUpdateAsync(count, deadline.Token);
            after = client.Framebuffer.Snapshot(after);
        }

        Assert.False(after.ContentEquals(before), "the typed line should be visible in the xterm");
    }

    [Fact(Timeout = 60_000)]
    public async Task ZrleAndRaw_ProduceIdenticalFramebuffers_OfAStillScreen()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        await using var server = await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions(), deadline.Token);
        await using var zrle = new VncClient(server.ClientOptions() with { Encoding = VncEncoding.Zrle });
        await using var raw = new VncClient(server.ClientOptions() with { Encoding = VncEncoding.Raw });

        await zrle.ConnectAsync(deadline.Token);
        await raw.ConnectAsync(deadline.Token);
        await zrle.RequestFullUpdateAsync(deadline.Token);
        await zrle.Framebuffer.WaitForNextUpdateAsync(deadline.Token);

        var zrleFrame = zrle.Framebuffer.Snapshot();
        var rawFrame = raw.Framebuffer.Snapshot();
        Assert.True(zrleFrame.ContentEquals(rawFrame), $"ZRLE and Raw differ: {FrameDifference.Describe(zrleFrame, rawFrame)}");
        Assert.True(CountDistinctColours(zrleFrame) >= 2, "the screen should show the xterm, not one flat colour");
    }

    [Fact(Timeout = 60_000)]
    public async Task Snapshot_RecyclesAFrameOfTheRightSize()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        await using var server = await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions(), deadline.Token);
        await using var client = new VncClient(server.ClientOptions());
        await client.ConnectAsync(deadline.Token);

        var first = client.Framebuffer.Snapshot();
        var recycled = new Frame(1024, 768);
        Assert.Same(recycled, client.Framebuffer.Snapshot(recycled));
        Assert.True(first.ContentEquals(recycled));
        Assert.NotSame(first, client.Framebuffer.Snapshot(new Frame(640, 480)));
    }

    private static async Task<string> WaitForFileAsync(string path, string marker, CancellationToken cancellationToken)
    {
        while (true)
        {
            var content = await File.ReadAllTextAsync(path, cancellationToken);
            if (content.Contains(marker, StringComparison.Ordinal) && content.EndsWith('\n'))
            {
                return content[content.LastIndexOf("echo " + marker, StringComparison.Ordinal)..];
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static int CountDistinctColours(Frame frame)
    {
        var colours = new HashSet<int>();
        var pixels = frame.ReadOnlyPixels;
        for (var i = 0; i < pixels.Length; i += 3 * 97)
        {
            colours.Add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
        }

        return colours.Count;
    }
}
