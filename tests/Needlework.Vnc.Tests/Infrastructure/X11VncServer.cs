using System.Net;
using System.Net.Sockets;

namespace Needlework.Vnc.Tests.Infrastructure;

/// <summary>x11vnc serving an Xvfb display on a free loopback port, optionally with a password or an older RFB version.</summary>
public sealed class X11VncServer : IAsyncDisposable
{
    private X11VncServer(ChildProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public ChildProcess Process { get; }

    public int Port { get; }

    /// <summary>
    /// Starts x11vnc; <c>-nocursor</c> keeps the pointer out of the picture, so still screens compare equal across servers.
    /// <c>-noshm</c> keeps it off System V shared memory: an x11vnc that a test kills (or that dies stopped) leaves its
    /// ~34 segments behind, and once the kernel's 4096 are used up every later x11vnc on the machine fails with
    /// "shmget: No space left on device".
    /// </summary>
    public static async Task<X11VncServer> StartAsync(XvfbDisplay display, X11VncServerOptions options, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = options.Port ?? FreePort();
            var arguments = new List<string> { "-display", display.Name, "-rfbport", port.ToString(), "-localhost", "-forever", "-shared", "-noxdamage", "-nocursor", "-noshm" };
            arguments.AddRange(options.Password is null ? ["-nopw"] : ["-passwd", options.Password]);
            if (options.RfbVersion is not null)
            {
                arguments.AddRange(["-rfbversion", options.RfbVersion]);
            }

            var process = ChildProcess.Start("x11vnc", arguments);
            if (await WaitListeningAsync(process, port, cancellationToken))
            {
                return new X11VncServer(process, port);
            }

            failures.Add(process.Output);
            await process.DisposeAsync();
        }

        throw new InvalidOperationException($"x11vnc did not start: {string.Join(" | ", failures)}");
    }

    public VncClientOptions ClientOptions(string? password = null) => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        Password = password,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ReadTimeout = TimeSpan.FromSeconds(3),
        IdleProbeInterval = TimeSpan.FromSeconds(1),
    };

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> WaitListeningAsync(ChildProcess process, int port, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        return false;
    }
}
