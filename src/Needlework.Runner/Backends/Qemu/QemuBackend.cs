using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Needlework.Imaging.Frames;
using Needlework.Runner.Backends.Vnc;
using Needlework.Video;
using Needlework.Vnc;
using VncButton = Needlework.Vnc.MouseButton;

namespace Needlework.Runner.Backends.Qemu;

/// <summary>
/// A QEMU virtual machine as the SUT: frames by QMP <c>screendump</c>, keys by <c>send-key</c>, an absolute
/// pointer by <c>input-send-event</c>. VNC listens on 127.0.0.1 (<see cref="VncPort"/>) for a VNC console;
/// with NEEDLEWORK_FRAME_SOURCE=vnc frames come from a VNC client's framebuffer instead, and with
/// NEEDLEWORK_INPUT=vnc keys and pointer go through it.
/// QEMU ending without being asked (no stop, no quit, no guest power-off) is a death:
/// <see cref="Failure"/> is set and every later call throws <see cref="BackendDiedException"/>.
/// </summary>
public sealed class QemuBackend : ISutBackend
{
    // QEMU's absolute pointer axes run from 0 to INPUT_EVENT_ABS_MAX.
    private const int AbsoluteAxisMax = 0x7fff;
    private const int UnixSocketPathLimit = 107;

    private readonly QemuVariables _variables;
    private readonly QemuBackendOptions _options;
    private readonly TimeProvider _time;
    private readonly TextWriter _log;
    private readonly Lock _captureLock = new();
    private readonly ScreendumpCache _screendumps = new(); // under the capture lock
    private readonly Lock _stopLock = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private QemuLaunch? _launch;
    private QemuProcess? _process;
    private QmpClient? _qmp;
    private volatile BackendFailure? _failure;
    private volatile bool _endExpected;
    private volatile bool _running;
    private int _started;
    private int _screenWidth;
    private int _screenHeight;
    private readonly SemaphoreSlim _vncLock = new(1, 1);
    private VncClient? _vnc;
    private VncScreen? _vncScreen;
    private QemuFrameSource _frameSource;

    public QemuBackend(QemuVariables variables, QemuBackendOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _variables = variables;
        _options = options;
        _time = timeProvider;
        _log = TextWriter.Synchronized(options.Log);
        SerialLogPath = Path.Combine(options.PoolDirectory, "serial0");
        _frameSource = variables.FrameSource;
    }

    public int? VncPort { get; private set; }

    public string SerialLogPath { get; }

    public bool IsAlive => _running && _failure is null && _process is { HasExited: false };

    public BackendFailure? Failure => _failure;

    /// <summary>QEMU's process id (also its process group id) once started.</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>CPU time QEMU has used so far (guest emulation included).</summary>
    public TimeSpan QemuProcessorTime => _process?.TotalProcessorTime ?? TimeSpan.Zero;

    /// <summary>Completes when QEMU has exited and been reaped, whatever the cause.</summary>
    public Task Ended => _ended.Task;

    /// <summary>The QMP connection, for commands this class does not wrap; null before start.</summary>
    public QmpClient? Qmp => _qmp;

    /// <summary>The VNC client while one is connected (VNC frame source or input), for measurements; null otherwise.</summary>
    public VncClient? Vnc => _vnc;

    /// <summary>Where <see cref="CaptureFrameAsync"/> takes frames from now.</summary>
    public QemuFrameSource FrameSource => _frameSource;

    /// <summary>Starts QEMU and connects to it (see <see cref="Start"/>), on a thread of its own.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => DedicatedThread.Run("qemu-start", () => Start(cancellationToken));

    /// <summary>
    /// Starts QEMU and connects to it. The QEMU backend does its work on the calling thread (QMP answers come on
    /// a reading thread of the client's): no async state machines, which ReadyToRun cannot precompile, on the
    /// path every job takes; the VNC parts, off that path, stay asynchronous.
    /// </summary>
    public void Start(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("this QEMU backend has already been started; use a new one per run");
        }

        CheckFile("ISO", _variables.Iso);
        CheckFile("HDD_1", _variables.Hdd1);
        CheckFile("KERNEL", _variables.Kernel);
        CheckFile("INITRD", _variables.Initrd);

        var pool = Path.GetFullPath(_options.PoolDirectory);
        Directory.CreateDirectory(pool);
        var accelerator = _options.Accelerator ?? KvmProbe.Choose(_variables);
        var display = _variables.VncDisplay ?? FindFreeVncDisplay(_options.FirstVncDisplay);
        _launch = new QemuLaunch(pool, accelerator, display, _variables.VncDisplay ?? display + 64);
        if (Encoding.UTF8.GetByteCount(_launch.QmpSocketPath) > UnixSocketPathLimit)
        {
            throw new InvalidOperationException($"pool directory path is too long for a Unix socket: {_launch.QmpSocketPath}");
        }

        File.Delete(_launch.QmpSocketPath);
        var arguments = QemuCommandLine.Build(_variables, _launch);
        _log.WriteLine($"[backend] starting {_options.QemuBinary} {string.Join(' ', arguments)}");
        _process = QemuProcess.Start(_options.QemuBinary, arguments, pool, _log, OnQemuExit);

        try
        {
            using var deadline = new CancellationTokenSource(_options.StartTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
            try
            {
                _qmp = ConnectQmp(_launch, _process, linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"QEMU did not open its QMP socket within {_options.StartTimeout.TotalSeconds:0.#} s, see log for details");
            }

            _qmp.EventReceived += OnQmpEvent;
            var vnc = _qmp.Execute("query-vnc", null, cancellationToken);
            VncPort = vnc.TryGetProperty("service", out var service)
                && int.TryParse(service.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
            _running = true;
            _log.WriteLine($"[backend] QEMU pid {_process.Id} running ({accelerator}), VNC on 127.0.0.1:{VncPort}, QMP at {_launch.QmpSocketPath}");
            if (_frameSource == QemuFrameSource.Vnc || _variables.Input == QemuFrameSource.Vnc)
            {
                ConnectVncAsync(cancellationToken).GetAwaiter().GetResult();
            }
        }
        catch (Exception e)
        {
            var failure = ConfirmDeath();
            Stop(CancellationToken.None);
            if (failure is not null)
            {
                throw new BackendDiedException(failure, e);
            }

            throw;
        }
    }

    public Task<Frame> CaptureFrameAsync(CancellationToken cancellationToken) => _frameSource == QemuFrameSource.Vnc
        ? CaptureVncAsync(cancellationToken)
        : Task.FromResult(CaptureScreendump(cancellationToken));

    /// <summary>
    /// Switches the frame source of a running QEMU: connects a VNC client for <see cref="QemuFrameSource.Vnc"/>,
    /// and disconnects it for <see cref="QemuFrameSource.Qmp"/> unless input uses it (a connected client costs
    /// QEMU encoding work on every screen change). For measurements and for comparing the two sources.
    /// </summary>
    public async Task UseFrameSourceAsync(QemuFrameSource source, CancellationToken cancellationToken)
    {
        RequireRunning();
        if (source == QemuFrameSource.Vnc)
        {
            await ConnectVncAsync(cancellationToken).ConfigureAwait(false);
            _frameSource = source;
            return;
        }

        _frameSource = source;
        if (_variables.Input != QemuFrameSource.Vnc)
        {
            await DisconnectVncAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A frame from the VNC client's framebuffer (connecting first when needed), scaled or padded to XRES x YRES.</summary>
    public async Task<Frame> CaptureVncAsync(CancellationToken cancellationToken)
    {
        RequireRunning();
        var (client, screen) = await ConnectVncAsync(cancellationToken).ConfigureAwait(false);
        if (!client.IsConnected)
        {
            await RecoverVncAsync(client, client.Fault, cancellationToken).ConfigureAwait(false);
        }

        var frame = screen.Capture();
        _screenWidth = screen.ScreenWidth;
        _screenHeight = screen.ScreenHeight;
        return frame;
    }

    /// <summary>A frame by QMP <c>screendump</c>, scaled or padded to XRES x YRES.</summary>
    public Task<Frame> CaptureScreendumpAsync(CancellationToken cancellationToken) => Task.FromResult(CaptureScreendump(cancellationToken));

    /// <summary>A frame by QMP <c>screendump</c>, scaled or padded to XRES x YRES, on the calling thread.</summary>
    public Frame CaptureScreendump(CancellationToken cancellationToken)
    {
        var path = RequireLaunch().ScreendumpPath;
        // One screendump file per backend: captures must not overwrite each other's file mid-read.
        lock (_captureLock)
        {
            Execute("screendump", new JsonObject { ["filename"] = path }, cancellationToken);
            var length = ReadScreendump(path);
            return _screendumps.FrameOf(length, path, _variables.XRes, _variables.YRes, out _screenWidth, out _screenHeight);
        }
    }

    /// <summary>
    /// Reads the screendump QEMU has just written into the cache's buffer (under the capture lock) and returns its
    /// length. A plain read: the file is in the page cache, and an asynchronous one would cost two thread-pool hops
    /// a frame.
    /// </summary>
    private int ReadScreendump(string path)
    {
        using var handle = File.OpenHandle(path);
        var length = checked((int)RandomAccess.GetLength(handle));
        var buffer = _screendumps.BufferFor(length);
        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read, length - read), read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read;
    }

    public Task SendKeyAsync(string key, CancellationToken cancellationToken)
    {
        if (_variables.Input == QemuFrameSource.Vnc)
        {
            return WithVncAsync(c => c.SendKeyAsync(key, cancellationToken), cancellationToken);
        }

        SendQcodes(QemuKeys.ForCombination(key), cancellationToken);
        return Task.CompletedTask;
    }

    public Task TypeStringAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_variables.Input == QemuFrameSource.Vnc)
        {
            return TypeStringByVncAsync(text, cancellationToken);
        }

        // Map everything first: a string that cannot be typed sends nothing rather than half of itself.
        var strokes = new IReadOnlyList<string>[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            strokes[i] = QemuKeys.ForCharacter(text[i]);
        }

        foreach (var stroke in strokes)
        {
            SendQcodes(stroke, cancellationToken);
        }

        return Task.CompletedTask;
    }

    public Task MoveMouseAsync(int x, int y, CancellationToken cancellationToken)
    {
        if (_variables.Input == QemuFrameSource.Vnc)
        {
            return WithVncAsync(
                c =>
                {
                    var (sx, sy) = _vncScreen!.ToScreen(x, y);
                    return c.MovePointerAsync(sx, sy, cancellationToken);
                },
                cancellationToken);
        }

        var (ax, ay) = ToAbsolute(x, y);
        var events = new JsonArray
        {
            new JsonObject { ["type"] = "abs", ["data"] = new JsonObject { ["axis"] = "x", ["value"] = ax } },
            new JsonObject { ["type"] = "abs", ["data"] = new JsonObject { ["axis"] = "y", ["value"] = ay } },
        };
        Execute("input-send-event", new JsonObject { ["events"] = events }, cancellationToken);
        return Task.CompletedTask;
    }

    public Task MouseButtonAsync(MouseButton button, bool down, CancellationToken cancellationToken)
    {
        if (_variables.Input == QemuFrameSource.Vnc)
        {
            var vncButton = button switch
            {
                MouseButton.Left => VncButton.Left,
                MouseButton.Middle => VncButton.Middle,
                MouseButton.Right => VncButton.Right,
                _ => throw new ArgumentOutOfRangeException(nameof(button)),
            };
            return WithVncAsync(
                c => down ? c.PressButtonAsync(vncButton, cancellationToken) : c.ReleaseButtonAsync(vncButton, cancellationToken),
                cancellationToken);
        }

        var name = button switch
        {
            MouseButton.Left => "left",
            MouseButton.Middle => "middle",
            MouseButton.Right => "right",
            _ => throw new ArgumentOutOfRangeException(nameof(button)),
        };
        var events = new JsonArray
        {
            new JsonObject { ["type"] = "btn", ["data"] = new JsonObject { ["down"] = down, ["button"] = name } },
        };
        Execute("input-send-event", new JsonObject { ["events"] = events }, cancellationToken);
        return Task.CompletedTask;
    }

    public Task PowerAsync(PowerAction action, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case PowerAction.Off:
                RequireRunning();
                _endExpected = true;
                Stop(cancellationToken);
                break;
            case PowerAction.AcpiPowerDown:
                Execute("system_powerdown", null, cancellationToken);
                break;
            case PowerAction.Reset:
                Execute("system_reset", null, cancellationToken);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action));
        }

        return Task.CompletedTask;
    }

    /// <summary>Ends QEMU (see <see cref="Stop"/>), on a thread of its own.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => DedicatedThread.Run("qemu-stop", () => Stop(cancellationToken));

    /// <summary>
    /// Ends QEMU by escalation, as a careful supervisor does: QMP <c>quit</c>, wait; SIGTERM (and SIGCONT,
    /// in case it is stopped) to the process group, wait; SIGKILL, wait for the reaped exit. Cancelling skips
    /// straight to SIGKILL; nothing is left running either way.
    /// </summary>
    public void Stop(CancellationToken cancellationToken)
    {
        lock (_stopLock)
        {
            try
            {
                _endExpected = true;
                if (_vnc is not null)
                {
                    DisconnectVncAsync().GetAwaiter().GetResult();
                }

                var process = _process;
                if (process is null)
                {
                    return;
                }

                if (!process.HasExited && _qmp is { IsConnected: true } qmp && !cancellationToken.IsCancellationRequested)
                {
                    try
                    {
                        qmp.Execute("quit", null, _options.QuitGracePeriod, cancellationToken);
                    }
                    catch (Exception e) when (e is QmpException or OperationCanceledException)
                    {
                        // A QEMU that exits at once closes the connection before answering; any other failure escalates below.
                        _log.WriteLine($"[backend] QMP quit: {e.Message}");
                    }

                    process.WaitForExit(_options.QuitGracePeriod, cancellationToken);
                }

                if (!process.HasExited && !cancellationToken.IsCancellationRequested)
                {
                    _log.WriteLine($"[backend] QEMU pid {process.Id} still running, sending SIGTERM");
                    process.Signal(PosixSignals.SigTerm);
                    process.Signal(PosixSignals.SigCont);
                    process.WaitForExit(_options.TerminateGracePeriod, cancellationToken);
                }

                if (!process.HasExited)
                {
                    _log.WriteLine($"[backend] QEMU pid {process.Id} still running, sending SIGKILL");
                    process.Signal(PosixSignals.SigKill);
                    process.WaitForExit(_options.KillGracePeriod, CancellationToken.None);
                }

                if (!process.HasExited)
                {
                    _log.WriteLine($"[backend] QEMU pid {process.Id} did not exit within {_options.KillGracePeriod.TotalSeconds:0.#} s of SIGKILL");
                }
                else
                {
                    // The exit handler runs right after the exit; it has at most a second to wait for the QMP reader.
                    _ended.Task.Wait(CancellationToken.None);
                }
            }
            finally
            {
                _running = false;
                _qmp?.Dispose();
            }
        }
    }

    public ValueTask DisposeAsync() => new(DedicatedThread.Run("qemu-stop", () =>
    {
        Stop(CancellationToken.None);
        _process?.Dispose();
        _vncLock.Dispose();
    }));

    private async Task<(VncClient Client, VncScreen Screen)> ConnectVncAsync(CancellationToken cancellationToken)
    {
        if (_vnc is { } existing && _vncScreen is { } existingScreen)
        {
            return (existing, existingScreen);
        }

        await _vncLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_vnc is { } raced && _vncScreen is { } racedScreen)
            {
                return (raced, racedScreen);
            }

            var port = VncPort ?? throw new InvalidOperationException("QEMU reported no VNC port");
            var client = new VncClient(
                new VncClientOptions
                {
                    Host = "127.0.0.1",
                    Port = port,
                    ConnectTimeout = _options.QmpCommandTimeout,
                    ReadTimeout = _options.QmpCommandTimeout,
                    ReconnectTimeout = _options.QmpCommandTimeout,
                },
                _time);
            try
            {
                await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (VncException e)
            {
                await client.DisposeAsync().ConfigureAwait(false);
                if (ConfirmDeath() is { } failure)
                {
                    throw new BackendDiedException(failure, e);
                }

                throw;
            }

            _vncScreen = new VncScreen(client.Framebuffer, _variables.XRes, _variables.YRes);
            _vnc = client;
            _log.WriteLine($"[backend] VNC client connected to QEMU at 127.0.0.1:{port} ({client.Framebuffer.Width}x{client.Framebuffer.Height})");
            return (client, _vncScreen);
        }
        finally
        {
            _vncLock.Release();
        }
    }

    private async Task DisconnectVncAsync()
    {
        await _vncLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_vnc is { } client)
            {
                _vnc = null;
                _vncScreen = null;
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _vncLock.Release();
        }
    }

    /// <summary>A VNC connection to QEMU failed: QEMU's death is reported as such; a live QEMU gets one reconnect.</summary>
    private async Task RecoverVncAsync(VncClient client, Exception? error, CancellationToken cancellationToken)
    {
        if (ConfirmDeath() is { } failure)
        {
            throw new BackendDiedException(failure, error);
        }

        RequireRunning();
        _log.WriteLine($"[backend] VNC connection to QEMU lost ({error?.Message}); reconnecting");
        await client.ReconnectAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task TypeStringByVncAsync(string text, CancellationToken cancellationToken)
    {
        var combos = Needlework.Vnc.Input.KeyMapper.MapText(text);
        foreach (var combo in combos)
        {
            await WithVncAsync(c => c.SendKeyComboAsync(combo, cancellationToken), cancellationToken).ConfigureAwait(false);
            // QEMU turns RFB key events into scancodes at once; a guest polling its keyboard slowly (TCG) loses keys sent back to back.
            await Task.Delay(_options.KeyHoldTime, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WithVncAsync(Func<VncClient, Task> action, CancellationToken cancellationToken)
    {
        RequireRunning();
        var (client, _) = await ConnectVncAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await action(client).ConfigureAwait(false);
        }
        catch (Exception e) when (e is VncException or InvalidOperationException)
        {
            await RecoverVncAsync(client, e, cancellationToken).ConfigureAwait(false);
            await action(client).ConfigureAwait(false);
        }
    }

    private static void CheckFile(string variable, string? path)
    {
        if (path is not null && !File.Exists(path))
        {
            throw new JobVariableException(variable, path, "the file does not exist");
        }
    }

    private static int FindFreeVncDisplay(int first)
    {
        // Only a hint: QEMU's own "to=" range covers a port taken between this probe and QEMU's bind.
        for (var display = first; display < first + 1000; display++)
        {
            try
            {
                using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(IPAddress.Loopback, 5900 + display));
                return display;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException($"no free VNC display from {first} to {first + 999} on 127.0.0.1");
    }

    private QmpClient ConnectQmp(QemuLaunch launch, QemuProcess process, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (process.HasExited)
            {
                throw new QmpException("QEMU exited before its QMP socket accepted a connection");
            }

            if (File.Exists(launch.QmpSocketPath))
            {
                try
                {
                    return QmpClient.Connect(launch.QmpSocketPath, _options.QmpCommandTimeout, cancellationToken);
                }
                catch (SocketException)
                {
                    // The socket file exists a moment before QEMU listens on it.
                }
            }

            // Returns at once when cancelled (the start deadline or the caller).
            cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(20));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Runs on <see cref="QemuProcess"/>'s own thread once QEMU has exited and been reaped.</summary>
    private void OnQemuExit(QemuProcess process)
    {
        try
        {
            RecordExit(process);
        }
        finally
        {
            // Whatever happened above: a stop waits for this.
            _running = false;
            _ended.TrySetResult();
        }
    }

    private void RecordExit(QemuProcess process)
    {
        var code = process.ExitCode;
        // The QMP reader may still hold a SHUTDOWN event QEMU sent before exiting: let it finish first.
        _qmp?.Completion.Wait(TimeSpan.FromSeconds(1));

        var how = code > 128 ? $"signal {code - 128}" : $"exit code {code}";
        if (_endExpected)
        {
            _log.WriteLine($"[backend] QEMU pid {process.Id} ended ({how})");
        }
        else
        {
            _failure = BackendFailure.QemuDied($"QEMU pid {process.Id} ended by {how} without being asked to");
            _log.WriteLine($"[backend] {_failure.Reason} (QEMU pid {process.Id} ended by {how})");
        }
    }

    private void OnQmpEvent(object? sender, QmpEvent e)
    {
        if (e.Name == "SHUTDOWN" && e.IsGuestInitiated)
        {
            // The guest powered itself off (a test's last step often does): an orderly end, not a death.
            _endExpected = true;
        }

        _log.WriteLine($"[qmp] event {e.Name} {(e.Data.ValueKind == JsonValueKind.Undefined ? "" : e.Data.GetRawText())}");
    }

    /// <summary>After a failed call: waits a moment for QEMU's exit to be handled, and returns its death if it died.</summary>
    private BackendFailure? ConfirmDeath()
    {
        if (_failure is null && _process is not null && !_endExpected)
        {
            _ended.Task.Wait(_options.DeathConfirmationTimeout);
        }

        return _failure;
    }

    private QemuLaunch RequireLaunch()
    {
        RequireRunning();
        return _launch!;
    }

    private QmpClient RequireRunning()
    {
        if (_failure is { } failure)
        {
            throw new BackendDiedException(failure);
        }

        if (!_running || _qmp is null)
        {
            throw new InvalidOperationException(_started == 0 ? "QEMU has not been started" : "QEMU is not running: it was stopped or powered off");
        }

        return _qmp;
    }

    private JsonElement Execute(string command, JsonObject? arguments, CancellationToken cancellationToken)
    {
        var qmp = RequireRunning();
        try
        {
            return qmp.Execute(command, arguments, cancellationToken);
        }
        catch (QmpTimeoutException e)
        {
            // Silence is reported as such at once: a stopped or starved QEMU is alive, and waiting longer would only hide that.
            if (_failure is { } failure)
            {
                throw new BackendDiedException(failure, e);
            }

            throw;
        }
        catch (QmpException e) when (e.ErrorClass is null)
        {
            // A broken connection usually means QEMU is going: report its death, not the symptom.
            if (ConfirmDeath() is { } failure)
            {
                throw new BackendDiedException(failure, e);
            }

            throw;
        }
    }

    private void SendQcodes(IReadOnlyList<string> qcodes, CancellationToken cancellationToken)
    {
        var keys = new JsonArray();
        foreach (var qcode in qcodes)
        {
            keys.Add(new JsonObject { ["type"] = "qcode", ["data"] = qcode });
        }

        var arguments = new JsonObject
        {
            ["keys"] = keys,
            ["hold-time"] = (int)_options.KeyHoldTime.TotalMilliseconds,
        };
        Execute("send-key", arguments, cancellationToken);
    }

    private (int X, int Y) ToAbsolute(int x, int y)
    {
        // Frames are padded (smaller screens) or scaled (larger ones) to XRES x YRES: undo that to reach the guest's screen.
        var width = _screenWidth > 0 && _screenWidth <= _variables.XRes ? _screenWidth : _variables.XRes;
        var height = _screenHeight > 0 && _screenHeight <= _variables.YRes ? _screenHeight : _variables.YRes;
        var scaleX = _screenWidth > _variables.XRes ? 1.0 : (double)_variables.XRes / width;
        var scaleY = _screenHeight > _variables.YRes ? 1.0 : (double)_variables.YRes / height;
        var fx = Math.Clamp(x / (double)Math.Max(1, _variables.XRes - 1) * scaleX, 0, 1);
        var fy = Math.Clamp(y / (double)Math.Max(1, _variables.YRes - 1) * scaleY, 0, 1);
        return ((int)Math.Round(fx * AbsoluteAxisMax), (int)Math.Round(fy * AbsoluteAxisMax));
    }
}
