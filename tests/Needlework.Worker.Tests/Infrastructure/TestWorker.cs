using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Needlework.Worker.Configuration;
using Needlework.Worker.Jobs;
using Needlework.Worker.Logging;
using Xunit.Abstractions;

namespace Needlework.Worker.Tests.Infrastructure;

/// <summary>
/// A real worker for one test, in-process (so the test can see its job and runner PID) or as a separate
/// `needlework worker` process (so it can be killed with SIGKILL). Disposing stops it and kills, by PID,
/// whatever still works in its pool directory (the runner's group and QEMU).
/// </summary>
public sealed class TestWorker : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly TextLoggerFactory? loggers;
    private Task running = Task.CompletedTask;
    private Process? process;

    private TestWorker(WorkerOptions options, TextLoggerFactory? loggers)
    {
        Options = options;
        this.loggers = loggers;
    }

    public WorkerOptions Options { get; }

    public WorkerInstance? Instance { get; private set; }

    public Process? Process => process;

    public string PoolDirectory => Options.PoolDirectory;

    public static WorkerOptions OptionsFor(WebUiServer web, Func<WorkerOptions, WorkerOptions>? adjust = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "nw-worker-pool-" + Guid.NewGuid().ToString("N")[..10]);
        var options = new WorkerOptions
        {
            Host = web.Url,
            Instance = 1,
            WorkerHostname = "worker-test",
            ApiKey = web.Key,
            ApiSecret = web.Secret,
            PoolRoot = root,
            WorkerClass = "qemu_x86_64",
            IsotovideoCommand = RepoPaths.RunnerCommand,
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            ReconnectMinimum = TimeSpan.FromSeconds(1),
            ReconnectMaximum = TimeSpan.FromSeconds(2),
            ResultPollInterval = TimeSpan.FromMilliseconds(300),
            StopGrace = new StopGrace(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)),
            ProcRoot = "/proc",
            CriticalLoadAverageThreshold = 1000,
        };
        return adjust is null ? options : adjust(options);
    }

    public static TestWorker StartInProcess(WorkerOptions options, ITestOutputHelper output)
    {
        var loggers = new TextLoggerFactory(new TestOutputWriter(output), LogLevel.Information, TimeProvider.System);
        var worker = new TestWorker(options, loggers);
        worker.Instance = new WorkerInstance(options, TimeProvider.System, loggers);
        worker.running = Task.Run(() => worker.Instance.RunAsync(worker.stop.Token));
        return worker;
    }

    /// <summary>`dotnet needlework.dll worker ...` as a child process, configured through a workers.ini.</summary>
    public static TestWorker StartProcess(WorkerOptions options, ITestOutputHelper output)
    {
        Directory.CreateDirectory(options.PoolRoot);
        var ini = Path.Combine(options.PoolRoot, "workers.ini");
        File.WriteAllText(ini, $"""
            [global]
            HOST = {options.Host}
            WORKER_CLASS = {options.WorkerClass}
            WORKER_HOSTNAME = {options.WorkerHostname}
            HEARTBEAT_INTERVAL = 1
            CRITICAL_LOAD_AVG_THRESHOLD = 1000

            [{options.Instance}]
            POOL_ROOT = {options.PoolRoot}
            """);
        var start = new ProcessStartInfo(RepoPaths.DotNet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { RepoPaths.CliDll, "worker", "--config", ini, "--instance", options.Instance.ToString(System.Globalization.CultureInfo.InvariantCulture), "--apikey", options.ApiKey, "--apisecret", options.ApiSecret, "--isotovideo", string.Join(' ', options.IsotovideoCommand) })
        {
            start.ArgumentList.Add(a);
        }

        var worker = new TestWorker(options, null) { process = Process.Start(start)! };
        worker.process.OutputDataReceived += (_, e) => Write(output, e.Data);
        worker.process.ErrorDataReceived += (_, e) => Write(output, e.Data);
        worker.process.BeginOutputReadLine();
        worker.process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>The processes working in the pool directory: the runner and QEMU while a job runs.</summary>
    public IReadOnlyList<int> PoolProcessIds() => PoolProcesses.Find(PoolDirectory);

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (OperationCanceledException)
        {
        }

        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        KillPool(PoolDirectory);
        process?.Dispose();
        loggers?.Dispose();
        stop.Dispose();
        try
        {
            Directory.Delete(Options.PoolRoot, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>SIGKILL, by PID, to everything still working in the pool (a killed worker leaves its runner and QEMU).</summary>
    public static void KillPool(string pool)
    {
        foreach (var pid in PoolProcesses.Find(pool))
        {
            try
            {
                using var p = Process.GetProcessById(pid);
                p.Kill(entireProcessTree: true);
                p.WaitForExit(5000);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        }
    }

    private static void Write(ITestOutputHelper output, string? line)
    {
        if (line is null)
        {
            return;
        }

        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
