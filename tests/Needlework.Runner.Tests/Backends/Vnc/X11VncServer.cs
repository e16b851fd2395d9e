using System.Net;
using System.Net.Sockets;

namespace Needlework.Runner.Tests.Backends.Vnc;

/// <summary>x11vnc serving an Xvfb display on a free loopback port, optionally with a password or an older RFB version.</summary>
internal sealed class X11VncServer : IAsyncDisposable
{
    private X11VncServer(ChildProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public ChildProcess Process { get; }

    public int Port { get; }

    /// <summary>Starts x11vnc; <c>-nocursor</c> keeps the pointer out of the picture, so still screens compare equal across servers.</summary>
    public static async Task<X11VncServer> StartAsync(XvfbDisplay display, X11VncServerOptions options, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = options.Port ?? FreePort();
            var arguments = new List<string> { "-display", display.Name, "-rfbport", port.ToString(), "-localhost", "-forever", "-shared", "-noxdamage", "-nocursor" };
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
