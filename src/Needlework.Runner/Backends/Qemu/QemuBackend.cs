using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Needlework.Imaging.Frames;

namespace Needlework.Runner.Backends.Qemu;

/// <summary>
/// A QEMU virtual machine as the SUT: frames by QMP <c>screendump</c>, keys by <c>send-key</c>, an absolute
/// pointer by <c>input-send-event</c>. VNC listens on 127.0.0.1 (<see cref="VncPort"/>) for a VNC console.
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
    private readonly SemaphoreSlim _captureLock = new(1, 1);
    private readonly SemaphoreSlim _stopLock = new(1, 1);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private QemuLaunch? _launch;
    private QemuProcess? _process;
    private QmpClient? _qmp;
    private Task _exitWatch = Task.CompletedTask;
    private volatile BackendFailure? _failure;
    private volatile bool _endExpected;
    private volatile bool _running;
    private int _started;
    private int _screenWidth;
    private int _screenHeight;

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

    public async Task StartAsync(CancellationToken cancellationToken)
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
        _process = QemuProcess.Start(_options.QemuBinary, arguments, pool, _log);
        _exitWatch = WatchExitAsync(_process);

        try
        {
            using var deadline = new CancellationTokenSource(_options.StartTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
            try
            {
                _qmp = await ConnectQmpAsync(_launch, _process, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"QEMU did not open its QMP socket within {_options.StartTimeout.TotalSeconds:0.#} s, see log for details");
            }

            _qmp.EventReceived += OnQmpEvent;
            var vnc = await _qmp.ExecuteAsync("query-vnc", null, cancellationToken).ConfigureAwait(false);
            VncPort = vnc.TryGetProperty("service", out var service)
                && int.TryParse(service.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
            _running = true;
            _log.WriteLine($"[backend] QEMU pid {_process.Id} running ({accelerator}), VNC on 127.0.0.1:{VncPort}, QMP at {_launch.QmpSocketPath}");
        }
        catch (Exception e)
        {
            var failure = await ConfirmDeathAsync().ConfigureAwait(false);
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
            if (failure is not null)
            {
                throw new BackendDiedException(failure, e);
            }

            throw;
        }
    }

    public async Task<Frame> CaptureFrameAsync(CancellationToken cancellationToken)
    {
        var path = RequireLaunch().ScreendumpPath;
        // One screendump file per backend: captures must not overwrite each other's file mid-read.
        await _captureLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync("screendump", new JsonObject { ["filename"] = path }, cancellationToken).ConfigureAwait(false);
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            var screen = Ppm.Read(bytes, path);
            _screenWidth = screen.Width;
            _screenHeight = screen.Height;
            return FrameScaler.FitTo(screen, _variables.XRes, _variables.YRes);
        }
        finally
        {
            _captureLock.Release();
        }
    }

    public Task SendKeyAsync(string key, CancellationToken cancellationToken) =>
        SendQcodesAsync(QemuKeys.ForCombination(key), cancellationToken);

    public async Task TypeStringAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Map everything first: a string that cannot be typed sends nothing rather than half of itself.
        var strokes = text.Select(QemuKeys.ForCharacter).ToList();
        foreach (var stroke in strokes)
        {
            await SendQcodesAsync(stroke, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task MoveMouseAsync(int x, int y, CancellationToken cancellationToken)
    {
        var (ax, ay) = ToAbsolute(x, y);
        var events = new JsonArray
        {
            new JsonObject { ["type"] = "abs", ["data"] = new JsonObject { ["axis"] = "x", ["value"] = ax } },
            new JsonObject { ["type"] = "abs", ["data"] = new JsonObject { ["axis"] = "y", ["value"] = ay } },
        };
        return ExecuteAsync("input-send-event", new JsonObject { ["events"] = events }, cancellationToken);
    }

    public Task MouseButtonAsync(MouseButton button, bool down, CancellationToken cancellationToken)
    {
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
        return ExecuteAsync("input-send-event", new JsonObject { ["events"] = events }, cancellationToken);
    }

    public async Task PowerAsync(PowerAction action, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case PowerAction.Off:
                RequireRunning();
                _endExpected = true;
                await StopAsync(cancellationToken).ConfigureAwait(false);
                break;
            case PowerAction.AcpiPowerDown:
                await ExecuteAsync("system_powerdown", null, cancellationToken).ConfigureAwait(false);
                break;
            case PowerAction.Reset:
                await ExecuteAsync("system_reset", null, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action));
        }
    }

    /// <summary>
    /// Ends QEMU by escalation, as a careful supervisor does: QMP <c>quit</c>, wait; SIGTERM (and SIGCONT,
    /// in case it is stopped) to the process group, wait; SIGKILL, wait for the reaped exit. Cancelling skips
    /// straight to SIGKILL; nothing is left running either way.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _endExpected = true;
            var process = _process;
            if (process is null)
            {
                return;
            }

            if (!process.HasExited && _qmp is { IsConnected: true } qmp && !cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await qmp.ExecuteAsync("quit", null, cancellationToken)
                        .WaitAsync(_options.QuitGracePeriod, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is QmpException or TimeoutException or OperationCanceledException)
                {
                    // A QEMU that exits at once closes the connection before answering; any other failure escalates below.
                    _log.WriteLine($"[backend] QMP quit: {e.Message}");
                }

                await WaitForExitAsync(process, _options.QuitGracePeriod, cancellationToken).ConfigureAwait(false);
            }

            if (!process.HasExited && !cancellationToken.IsCancellationRequested)
            {
                _log.WriteLine($"[backend] QEMU pid {process.Id} still running, sending SIGTERM");
                process.Signal(PosixSignals.SigTerm);
                process.Signal(PosixSignals.SigCont);
                await WaitForExitAsync(process, _options.TerminateGracePeriod, cancellationToken).ConfigureAwait(false);
            }

            if (!process.HasExited)
            {
                _log.WriteLine($"[backend] QEMU pid {process.Id} still running, sending SIGKILL");
                process.Signal(PosixSignals.SigKill);
                await WaitForExitAsync(process, _options.KillGracePeriod, CancellationToken.None).ConfigureAwait(false);
            }

            if (!process.HasExited)
            {
                _log.WriteLine($"[backend] QEMU pid {process.Id} did not exit within {_options.KillGracePeriod.TotalSeconds:0.#} s of SIGKILL");
            }

            await _exitWatch.ConfigureAwait(false);
        }
        finally
        {
            _running = false;
            if (_qmp is { } qmp)
            {
                await qmp.DisposeAsync().ConfigureAwait(false);
            }

            _stopLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _process?.Dispose();
        _captureLock.Dispose();
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

    private async Task WaitForExitAsync(QemuProcess process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await process.Exit.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // The caller escalates.
        }
    }

    private async Task<QmpClient> ConnectQmpAsync(QemuLaunch launch, QemuProcess process, CancellationToken cancellationToken)
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
                    return await QmpClient.ConnectAsync(launch.QmpSocketPath, _options.QmpCommandTimeout, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    // The socket file exists a moment before QEMU listens on it.
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WatchExitAsync(QemuProcess process)
    {
        var code = await process.Exit.ConfigureAwait(false);
        // The QMP reader may still hold a SHUTDOWN event QEMU sent before exiting: let it finish first.
        if (_qmp is { } qmp)
        {
            await Task.WhenAny(qmp.Completion, Task.Delay(TimeSpan.FromSeconds(1), _time)).ConfigureAwait(false);
        }

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

        _running = false;
        _ended.TrySetResult();
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

    private async Task<BackendFailure?> ConfirmDeathAsync()
    {
        if (_failure is null && _process is not null && !_endExpected)
        {
            await Task.WhenAny(_exitWatch, Task.Delay(_options.DeathConfirmationTimeout, _time)).ConfigureAwait(false);
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

    private async Task<JsonElement> ExecuteAsync(string command, JsonObject? arguments, CancellationToken cancellationToken)
    {
        var qmp = RequireRunning();
        try
        {
            return await qmp.ExecuteAsync(command, arguments, cancellationToken).ConfigureAwait(false);
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
            if (await ConfirmDeathAsync().ConfigureAwait(false) is { } failure)
            {
                throw new BackendDiedException(failure, e);
            }

            throw;
        }
    }

    private Task SendQcodesAsync(IReadOnlyList<string> qcodes, CancellationToken cancellationToken)
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
        return ExecuteAsync("send-key", arguments, cancellationToken);
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
