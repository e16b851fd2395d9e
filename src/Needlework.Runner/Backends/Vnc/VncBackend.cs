using Needlework.Imaging.Frames;
using Needlework.Vnc;
using VncButton = Needlework.Vnc.MouseButton;

namespace Needlework.Runner.Backends.Vnc;

/// <summary>
/// An existing VNC server as the SUT (BACKEND=vnc): hardware behind a VNC-capable KVM switch, a remote
/// desktop, a light Xvfb test screen. Frames come from the client's framebuffer, kept current by
/// incremental updates; keys and pointer go through the same connection. A lost connection is
/// re-established in the background for up to <see cref="VncBackendOptions.ReconnectTimeout"/>; meanwhile
/// calls wait for it, and when it cannot be re-established the backend is dead with a reason naming VNC.
/// Power: the machine behind the server is not ours to switch, so <see cref="PowerAction.Off"/> only ends
/// the session (an orderly end) and ACPI power-down and reset are refused with <see cref="NotSupportedException"/>.
/// There is no serial line: <see cref="SerialLogPath"/> is an empty serial0 in the pool, so waiting on it times out rather than failing.
/// </summary>
public sealed class VncBackend : ISutBackend
{
    private static readonly TimeSpan RecoveryPoll = TimeSpan.FromMilliseconds(20);

    private readonly VncBackendVariables _variables;
    private readonly VncBackendOptions _options;
    private readonly TimeProvider _time;
    private readonly TextWriter _log;
    private readonly VncClient _client;
    private readonly VncScreen _screen;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly SemaphoreSlim _stopLock = new(1, 1);
    private Task _supervisor = Task.CompletedTask;
    private volatile BackendFailure? _failure;
    private volatile bool _running;
    private int _started;

    public VncBackend(VncBackendVariables variables, VncBackendOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _variables = variables;
        _options = options;
        _time = timeProvider;
        _log = TextWriter.Synchronized(options.Log);
        SerialLogPath = Path.Combine(options.PoolDirectory, "serial0");
        _client = new VncClient(
            new VncClientOptions
            {
                Host = variables.Host,
                Port = variables.Port,
                Password = variables.Password,
                ConnectTimeout = options.ConnectTimeout,
                ReadTimeout = options.ReadTimeout,
                IdleProbeInterval = options.IdleProbeInterval,
                ReconnectTimeout = options.ReconnectTimeout,
                KeyInterval = options.KeyInterval,
            },
            timeProvider);
        _screen = new VncScreen(_client.Framebuffer, variables.XRes, variables.YRes);
    }

    /// <summary>The server's port when it listens on loopback (a local console can attach); null for a remote server.</summary>
    public int? VncPort => _variables.Host is "127.0.0.1" or "localhost" or "::1" ? _variables.Port : null;

    public string SerialLogPath { get; }

    public bool IsAlive => _running && _failure is null;

    public BackendFailure? Failure => _failure;

    /// <summary>The VNC client, for measurements and diagnostics.</summary>
    public VncClient Client => _client;

    /// <summary>How many times a lost connection was re-established.</summary>
    public int Reconnects { get; private set; }

    private string Endpoint => $"{_variables.Host}:{_variables.Port}";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("this VNC backend has already been started; use a new one per run");
        }

        Directory.CreateDirectory(_options.PoolDirectory);
        // No serial line here; an empty file keeps serial waits and uploads working as with QEMU.
        await File.WriteAllBytesAsync(SerialLogPath, [], cancellationToken).ConfigureAwait(false);
        _log.WriteLine($"[backend] connecting to VNC server {Endpoint}{(_variables.Password is null ? "" : " with a password")}");
        try
        {
            await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (VncException e)
        {
            _failure = VncFailureReason.ConnectFailed(Endpoint, e);
            _log.WriteLine($"[backend] {_failure.Reason} ({_failure.Detail})");
            throw new BackendDiedException(_failure, e);
        }

        _running = true;
        _log.WriteLine($"[backend] VNC server {Endpoint} connected: RFB {_client.ProtocolVersion}, {_client.Framebuffer.Width}x{_client.Framebuffer.Height}, \"{_client.DesktopName}\"");
        _supervisor = SuperviseAsync(_lifetime.Token);
    }

    public async Task<Frame> CaptureFrameAsync(CancellationToken cancellationToken)
    {
        // A frame taken while disconnected would be the last screen before the loss: wait for the new connection instead.
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        return _screen.Capture();
    }

    public Task SendKeyAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return WithConnectionAsync(c => c.SendKeyAsync(key, cancellationToken), cancellationToken);
    }

    public async Task TypeStringAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Map everything first: a string that cannot be typed sends nothing rather than half of itself.
        var combos = Needlework.Vnc.Input.KeyMapper.MapText(text);
        foreach (var combo in combos)
        {
            await WithConnectionAsync(c => c.SendKeyComboAsync(combo, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (_options.KeyInterval > TimeSpan.Zero)
            {
                await Task.Delay(_options.KeyInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task MoveMouseAsync(int x, int y, CancellationToken cancellationToken)
    {
        var (sx, sy) = _screen.ToScreen(x, y);
        return WithConnectionAsync(c => c.MovePointerAsync(sx, sy, cancellationToken), cancellationToken);
    }

    public Task MouseButtonAsync(MouseButton button, bool down, CancellationToken cancellationToken)
    {
        var vncButton = button switch
        {
            MouseButton.Left => VncButton.Left,
            MouseButton.Middle => VncButton.Middle,
            MouseButton.Right => VncButton.Right,
            _ => throw new ArgumentOutOfRangeException(nameof(button)),
        };
        return WithConnectionAsync(
            c => down ? c.PressButtonAsync(vncButton, cancellationToken) : c.ReleaseButtonAsync(vncButton, cancellationToken),
            cancellationToken);
    }

    public async Task PowerAsync(PowerAction action, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case PowerAction.Off:
                _log.WriteLine("[backend] power off: a generic VNC SUT cannot be switched off by us; ending the VNC session");
                await StopAsync(cancellationToken).ConfigureAwait(false);
                break;
            case PowerAction.AcpiPowerDown or PowerAction.Reset:
                throw new NotSupportedException($"the generic VNC backend has no power control: {action} needs a backend that owns the machine (QEMU, IPMI)");
            default:
                throw new ArgumentOutOfRangeException(nameof(action));
        }
    }

    /// <summary>Closes the VNC session; the server and the machine behind it keep running.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (!_lifetime.IsCancellationRequested)
            {
                await _lifetime.CancelAsync().ConfigureAwait(false);
            }

            _running = false;
            await _client.DisposeAsync().ConfigureAwait(false);
            await _supervisor.ConfigureAwait(false);
        }
        finally
        {
            _stopLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _lifetime.Dispose();
    }

    /// <summary>Waits for each connection to end; a loss is followed by reconnecting, and a failed reconnect by death.</summary>
    private async Task SuperviseAsync(CancellationToken lifetime)
    {
        while (true)
        {
            try
            {
                await _client.Completion.WaitAsync(lifetime).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (lifetime.IsCancellationRequested)
            {
                return;
            }

            var loss = _client.Fault;
            _log.WriteLine($"[backend] VNC connection lost: {loss?.Message ?? "the receive loop ended"}; reconnecting for up to {_options.ReconnectTimeout.TotalSeconds:0.#} s");
            try
            {
                await _client.ReconnectAsync(lifetime).ConfigureAwait(false);
                Reconnects++;
                _log.WriteLine($"[backend] VNC server {Endpoint} reconnected");
            }
            catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is VncException or ObjectDisposedException)
            {
                if (lifetime.IsCancellationRequested)
                {
                    return;
                }

                _failure = VncFailureReason.ReconnectFailed(Endpoint, loss, e, _options.ReconnectTimeout);
                _running = false;
                _log.WriteLine($"[backend] {_failure.Reason} ({_failure.Detail})");
                return;
            }
        }
    }

    /// <summary>Returns once the connection is healthy; while the supervisor reconnects, waits for it (bounded by its timeout).</summary>
    private async Task ReadyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_failure is { } failure)
            {
                throw new BackendDiedException(failure);
            }

            if (!_running)
            {
                throw new InvalidOperationException(_started == 0 ? "the VNC backend has not been started" : "the VNC session has ended");
            }

            if (_client.IsConnected)
            {
                return;
            }

            await Task.Delay(RecoveryPoll, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs an input action on a healthy connection; when the connection fails under it, waits for recovery and tries once more.</summary>
    private async Task WithConnectionAsync(Func<VncClient, Task> action, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await action(_client).ConfigureAwait(false);
        }
        catch (Exception e) when (e is VncException or InvalidOperationException && !_lifetime.IsCancellationRequested)
        {
            _log.WriteLine($"[backend] VNC input failed ({e.Message}); retrying once the connection is back");
            await ReadyAsync(cancellationToken).ConfigureAwait(false);
            await action(_client).ConfigureAwait(false);
        }
    }
}
