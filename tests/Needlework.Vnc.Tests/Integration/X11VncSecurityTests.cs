using Needlework.Vnc.Tests.Infrastructure;

namespace Needlework.Vnc.Tests.Integration;

/// <summary>Protocol versions and VNC password authentication against x11vnc.</summary>
public sealed class X11VncSecurityTests(DesktopFixture desktop) : IClassFixture<DesktopFixture>
{
    [Theory(Timeout = 60_000)]
    [InlineData("3.3", null)]
    [InlineData("3.7", null)]
    [InlineData("3.8", null)]
    [InlineData("3.3", "secret")]
    [InlineData("3.7", "secret")]
    [InlineData("3.8", "secret")]
    public async Task Connects_WithEachProtocolVersion_WithAndWithoutPassword(string version, string? password)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        await using var server = await X11VncServer.StartAsync(
            desktop.Display, new X11VncServerOptions { RfbVersion = version, Password = password }, deadline.Token);
        await using var client = new VncClient(server.ClientOptions(password));

        await client.ConnectAsync(deadline.Token);

        Assert.Equal(version, client.ProtocolVersion);
        Assert.Equal(1024, client.Framebuffer.Snapshot().Width);
    }

    [Fact(Timeout = 60_000)]
    public async Task WrongPassword_FailsWithAClearError()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        await using var server = await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions { Password = "secret" }, deadline.Token);
        await using var client = new VncClient(server.ClientOptions("wrong"));

        var error = await Assert.ThrowsAsync<VncException>(() => client.ConnectAsync(deadline.Token));

        Assert.Contains("authentication failed", error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{server.Port}", error.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    [Fact(Timeout = 60_000)]
    public async Task MissingPassword_FailsWithAClearError()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        await using var server = await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions { Password = "secret" }, deadline.Token);
        await using var client = new VncClient(server.ClientOptions());

        var error = await Assert.ThrowsAsync<VncException>(() => client.ConnectAsync(deadline.Token));

        Assert.Contains("requires a VNC password", error.Message, StringComparison.Ordinal);
    }
}
