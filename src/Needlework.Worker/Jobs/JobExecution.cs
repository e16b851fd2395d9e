using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Needlework.Core.Jobs;
using Needlework.Worker.Configuration;
using Needlework.Worker.Health;
using Needlework.Worker.Uploads;
using Needlework.Worker.WebUi;

namespace Needlework.Worker.Jobs;

/// <summary>
/// One job on this worker, from accept to set_done: sets up the pool directory, runs the runner as a
/// child process, follows and uploads its results, enforces MAX_SETUP_TIME and MAX_JOB_TIME, stops the
/// runner on cancel (command server, then SIGTERM, then SIGKILL to its group, then whatever still works
/// in the pool), uploads what is left and queues set_done with the result, the reason and the backend JSON.
/// </summary>
public sealed class JobExecution : IDisposable
{
    private static readonly string[] EndLogs = ["autoinst-log.txt", "serial0", "serial_terminal.txt", "video_time.vtt", "vars.json", "base_state.json", "autoinst-status.json"];
    private readonly JobAssignment job;
    private readonly WorkerOptions options;
    private readonly Func<long> workerId;
    private readonly UploadQueue uploads;
    private readonly WebUiClient client;
    private readonly HostStatistics host;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private readonly string pool;
    private readonly CommandServerClient commandServer;
    private StopCause stopCause;
    private string? cancelResult;
    private HostSnapshot? stopSnapshot;
    private CancellationTokenSource? live;
    private Task liveTask = Task.CompletedTask;

    public JobExecution(JobAssignment job, WorkerOptions options, Func<long> workerId, UploadQueue uploads, WebUiClient client, HostStatistics host, TimeProvider time, ILogger logger)
    {
        this.job = job;
        this.options = options;
        this.workerId = workerId;
        this.uploads = uploads;
        this.client = client;
        this.host = host;
        this.time = time;
        this.logger = logger;
        pool = options.PoolDirectory;
        commandServer = new CommandServerClient(pool);
    }

    public long JobId => job.Id;

    /// <summary>The runner's PID while it runs (tests and diagnostics).</summary>
    public int? RunnerPid { get; private set; }

    /// <summary>Asks the job to end early. The first cause wins; the host is measured at this moment.</summary>
    public void Stop(StopCause cause, string? result = null)
    {
        lock (gate)
        {
            if (stopCause != StopCause.None)
            {
                return;
            }

            stopCause = cause;
            cancelResult = result;
            stopSnapshot = host.Read();
        }

        Log.JobStopping(logger, job.Id, cause.ToString());
        stopping.Cancel();
    }

    /// <summary>livelog_start: fetch last.png about once a second and post it until <see cref="StopLiveView"/>.</summary>
    public void StartLiveView()
    {
        lock (gate)
        {
            if (live is not null)
            {
                return;
            }

            live = new CancellationTokenSource();
            liveTask = LiveViewAsync(live.Token);
        }
    }

    /// <summary>livelog_stop: nothing is fetched any more, so the runner encodes no PNG.</summary>
    public void StopLiveView()
    {
        CancellationTokenSource? cts;
        lock (gate)
        {
            cts = live;
            live = null;
        }

        cts?.Cancel();
        cts?.Dispose();
    }

    /// <summary>Runs the job; returns the sequence number of its set_done in the upload queue.</summary>
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        var limits = JobLimits.From(job.Settings);
        PreparePool();
        using var log = new JobLog(Path.Combine(pool, JobLog.FileName), time);
        log.Write($"job {job.Id} accepted by {options.WorkerHostname}:{options.Instance}; MAX_SETUP_TIME {limits.Setup.TotalSeconds:0} s, MAX_JOB_TIME {limits.Job.TotalSeconds:0} s (with TIMEOUT_SCALE)");
        var collector = new ResultCollector(job.Id, pool, uploads);
        uploads.Enqueue(UploadItem.Status(job.Id, new JsonObject { ["worker_id"] = workerId(), ["job_state"] = "setup" }));

        JobOutcome? early = null;
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        RunnerProcess? runner = null;
        using (var setupTimeout = new CancellationTokenSource(limits.Setup, time))
        {
            try
            {
                var variables = Variables();
                setupTimeout.Token.ThrowIfCancellationRequested();
                stopping.Token.ThrowIfCancellationRequested();
                await File.WriteAllTextAsync(Path.Combine(pool, "vars.json"), JsonSerializer.Serialize(variables, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
                log.Write("starting the runner: " + string.Join(' ', options.IsotovideoCommand));
                runner = RunnerProcess.Start(options.IsotovideoCommand, pool, token, line => log.Write("isotovideo: " + line));
                RunnerPid = runner.Pid;
                Log.RunnerStarted(logger, job.Id, runner.Pid);
            }
            catch (AssetMissingException e)
            {
                early = new JobOutcome(JobResult.Incomplete, JobReason.AssetFailure(e.Message), new BackendReason("worker", "asset", e.Message));
            }
            catch (OperationCanceledException) when (setupTimeout.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                Stop(StopCause.SetupTimeout);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Cancelled during setup; the outcome says so below.
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or ArgumentException)
            {
                early = new JobOutcome(JobResult.Incomplete, JobReason.SetupFailure(e.Message), new BackendReason("worker", "setup", e.Message));
            }
        }

        RunnerExit? exit = null;
        if (runner is not null)
        {
            using (runner)
            {
                exit = await SuperviseAsync(runner, collector, limits, log, cancellationToken);
            }
        }

        StopLiveView();
        await IgnoreCancellation(liveTask);
        var leftovers = await PoolProcesses.KillAsync(pool, options.StopGrace.Terminate, time, CancellationToken.None);
        if (leftovers.Count > 0)
        {
            log.Write("stopped processes the runner left in the pool: " + string.Join(", ", leftovers));
        }

        collector.Collect(workerId(), "uploading");
        var outcome = early ?? JobOutcome.Decide(stopCause, cancelResult, exit, BaseState.Read(pool), collector.Modules(), stopSnapshot);
        log.Write($"result {outcome.Result.ToWire()}" + (outcome.Reason is null ? string.Empty : $", reason: {outcome.Reason}"));
        Log.JobFinished(logger, job.Id, outcome.Result.ToWire(), outcome.Reason);
        log.Dispose();
        QueueEndFiles();
        var fields = new JsonObject
        {
            ["worker_id"] = workerId(),
            ["result"] = outcome.Result.ToWire(),
        };
        if (outcome.Reason is not null)
        {
            fields["reason"] = JobReason.Cut(outcome.Reason);
        }

        if (outcome.Backend is not null)
        {
            fields["backend"] = JsonNode.Parse(outcome.Backend.ToJson());
        }

        return uploads.Enqueue(UploadItem.SetDone(job.Id, fields));
    }

    public void Dispose()
    {
        StopLiveView();
        stopping.Dispose();
        commandServer.Dispose();
    }

    private async Task<RunnerExit> SuperviseAsync(RunnerProcess runner, ResultCollector collector, JobLimits limits, JobLog log, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + limits.Job;
        var running = false;
        while (!runner.HasExited && !stopping.IsCancellationRequested)
        {
            if (time.GetUtcNow() >= deadline)
            {
                Stop(StopCause.JobTimeout);
                break;
            }

            // "running" once the runner reports a module, so the web UI shows setup until then.
            running |= File.Exists(Path.Combine(pool, "testresults", "test_order.json"));
            collector.Collect(workerId(), running ? "running" : "setup");
            try
            {
                await Task.WhenAny(runner.Exited, Task.Delay(options.ResultPollInterval, time, stopping.Token));
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (!runner.HasExited)
        {
            await StopRunnerAsync(runner, log, cancellationToken);
        }

        var exit = await runner.Exited;
        log.Write($"runner exited with code {exit.ExitCode}" + (exit.Signal is { } s ? $" (signal {s})" : string.Empty));
        if (runner.GroupAlive)
        {
            // The runner is gone but something of its group lives on: no job leaves processes behind.
            runner.Kill();
        }

        return exit;
    }

    /// <summary>ProcessInvoker's escalation: ask, wait; SIGTERM the group, wait; SIGKILL the group, wait.</summary>
    private async Task StopRunnerAsync(RunnerProcess runner, JobLog log, CancellationToken cancellationToken)
    {
        var reason = stopCause switch
        {
            StopCause.JobTimeout => JobReason.JobTimeout,
            StopCause.SetupTimeout => JobReason.SetupTimeout,
            StopCause.WorkerQuit => JobReason.WorkerQuit,
            _ => "cancelled by the web UI (" + (cancelResult ?? "user_cancelled") + ")",
        };
        var grace = options.StopGrace;
        var asked = await commandServer.StopAsync(reason, cancellationToken);
        log.Write(asked ? $"asked the runner to stop: {reason}" : "the runner's command server did not answer; terminating");
        if (asked && await ExitsWithinAsync(runner, grace.Graceful))
        {
            return;
        }

        log.Write("sending SIGTERM to the runner's process group " + runner.Pid.ToString(CultureInfo.InvariantCulture));
        runner.Terminate();
        if (await ExitsWithinAsync(runner, grace.Terminate))
        {
            return;
        }

        log.Write("sending SIGKILL to the runner's process group " + runner.Pid.ToString(CultureInfo.InvariantCulture));
        Log.RunnerKilled(logger, job.Id, runner.Pid);
        runner.Kill();
        await ExitsWithinAsync(runner, grace.Kill);
    }

    private async Task<bool> ExitsWithinAsync(RunnerProcess runner, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait, time);
        try
        {
            await runner.Exited.WaitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void PreparePool()
    {
        if (Directory.Exists(pool))
        {
            foreach (var entry in new DirectoryInfo(pool).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo d)
                {
                    d.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
        }

        Directory.CreateDirectory(pool);
    }

    /// <summary>The job's settings, the worker's overrides from workers.ini, the worker's own facts, and assets as absolute paths.</summary>
    private Dictionary<string, string> Variables()
    {
        var variables = new Dictionary<string, string>(job.Settings, StringComparer.Ordinal);
        foreach (var (key, value) in options.JobVariableOverrides)
        {
            variables[key] = value;
        }

        variables["WORKER_ID"] = workerId().ToString(CultureInfo.InvariantCulture);
        variables["WORKER_INSTANCE"] = options.Instance.ToString(CultureInfo.InvariantCulture);
        variables["WORKER_HOSTNAME"] = options.WorkerHostname;
        variables["WORKER_CLASS"] = options.WorkerClass;
        variables["OPENQA_URL"] = options.Host.GetLeftPart(UriPartial.Authority);
        variables["NAME"] = string.Create(CultureInfo.InvariantCulture, $"{job.Id:D8}-{JobSettings.Name(job.Settings)}");
        foreach (var (key, path) in AssetLocator.Locate(variables, options.AssetDirectories))
        {
            variables[key] = path;
        }

        return variables;
    }

    private void QueueEndFiles()
    {
        foreach (var name in EndLogs.Append(JobLog.FileName))
        {
            QueueIfExists(name, "log");
        }

        QueueIfExists("video.webm", "video");
        QueueIfExists("video.ogv", "video");
        QueueIfExists("stats.json", "stats");
    }

    private void QueueIfExists(string name, string type)
    {
        var path = Path.Combine(pool, name);
        if (File.Exists(path))
        {
            uploads.Enqueue(UploadItem.File(job.Id, type, name, path));
        }
    }

    private async Task LiveViewAsync(CancellationToken cancellationToken)
    {
        // Off the caller's thread: the message loop must not wait for the first image.
        await Task.Yield();
        using var timer = new PeriodicTimer(options.LiveViewInterval, time);
        do
        {
            try
            {
                if (await commandServer.LastPngAsync(cancellationToken) is { } png)
                {
                    await client.UploadLiveImageAsync(job.Id, png, cancellationToken);
                }
            }
            catch (Exception e) when (e is WebUiUnavailableException or WebUiRefusedException)
            {
                Log.LiveImageFailed(logger, job.Id, e.Message);
            }
        }
        while (await WaitTickAsync(timer, cancellationToken));
    }

    private static async Task<bool> WaitTickAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
