using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Needlework.Worker.Configuration;
using Needlework.Worker.Health;
using Needlework.Worker.Jobs;
using Needlework.Worker.Uploads;
using Needlework.Worker.WebUi;

namespace Needlework.Worker;

/// <summary>
/// One worker slot (openQA's instance): joins the web UI, takes one job at a time, and goes free only
/// when every upload of that job, set_done last, reached the web UI. Uploads left by an earlier run of
/// this instance go out before it registers, so a restart loses nothing.
/// </summary>
public sealed class WorkerInstance
{
    private readonly WorkerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private JobExecution? current;
    private Task currentTask = Task.CompletedTask;

    // Jobs run on their own token: a worker that shuts down stops its job gracefully (StopCause.WorkerQuit) and
    // cancels this only when that takes longer than the grace period.
    private CancellationToken jobToken;
    private WorkerHealth health = WorkerHealth.Free;
    private string? overload;

    public WorkerInstance(WorkerOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        if (options.IsotovideoCommand.Count == 0)
        {
            throw new ArgumentException("the runner command (--isotovideo) is required", nameof(options));
        }

        this.options = options;
        this.time = time;
        logger = loggers.CreateLogger("Needlework.Worker");
    }

    /// <summary>The job in hand (tests and diagnostics).</summary>
    public JobExecution? CurrentJob
    {
        get
        {
            lock (gate)
            {
                return current;
            }
        }
    }

    /// <summary>What the last heartbeat said.</summary>
    public WorkerHealth Health => health;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // A worker killed mid-job leaves its runner and QEMU working in the pool; only ours work there.
        await PoolProcesses.KillAsync(options.PoolDirectory, options.StopGrace.Terminate, time, cancellationToken);
        using var client = new WebUiClient(options, time);
        var uploads = new UploadQueue(options.SpoolDirectory, client, time, logger, options.ReconnectMinimum, options.ReconnectMaximum);
        var hostStatistics = new HostStatistics(options.ProcRoot, time);
        await using var connection = new WebUiConnection(options, client, time, logger, () => CurrentJob?.JobId, () => health, Properties());
        connection.Connected += uploads.RetryNow;
        // The connection and the upload pump outlive the shutdown request until the job in hand has reported.
        using var stop = new CancellationTokenSource();
        using var jobs = new CancellationTokenSource();
        jobToken = jobs.Token;
        var pump = uploads.RunAsync(stop.Token);

        if (uploads.PendingCount is > 0 and var count)
        {
            Log.FlushingSpool(logger, count);
            await FlushLeftoversAsync(uploads, cancellationToken);
        }

        UpdateHealth(hostStatistics);
        var connected = connection.RunAsync(stop.Token);
        var monitor = MonitorHealthAsync(hostStatistics, connection, stop.Token);
        try
        {
            try
            {
                await foreach (var message in connection.Messages.ReadAllAsync(cancellationToken))
                {
                    await HandleAsync(message, connection, uploads, client, hostStatistics, stop.Token);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }

            // Shutting down: the job in hand ends as "quit", its results still go out if the web UI is there.
            CurrentJob?.Stop(StopCause.WorkerQuit);
            try
            {
                await IgnoreCancellation(currentTask.WaitAsync(QuitGrace, time, CancellationToken.None));
            }
            catch (TimeoutException)
            {
                await jobs.CancelAsync();
                await IgnoreCancellation(currentTask);
            }

            using (var flush = new CancellationTokenSource(TimeSpan.FromSeconds(10), time))
            {
                await IgnoreCancellation(uploads.WhenEmptyAsync(flush.Token));
            }
        }
        finally
        {
            // Also when handling a message threw: the connection and the pump must not outlive this call.
            await stop.CancelAsync();
        }

        await IgnoreCancellation(connected);
        await IgnoreCancellation(pump);
        await IgnoreCancellation(monitor);
    }

    private static async Task FlushLeftoversAsync(UploadQueue uploads, CancellationToken cancellationToken)
    {
        try
        {
            await uploads.WhenEmptyAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HandleAsync(WebUiMessage message, WebUiConnection connection, UploadQueue uploads, WebUiClient client, HostStatistics hostStatistics, CancellationToken cancellationToken)
    {
        var job = CurrentJob;
        switch (message.Type)
        {
            case "grab_job" when message.Job is { } json:
            {
                JobAssignment assignment;
                try
                {
                    assignment = JobAssignment.FromJson(json);
                }
                catch (JsonException e)
                {
                    Log.BadMessage(logger, e.Message);
                    return;
                }

                if (job is not null)
                {
                    if (job.JobId != assignment.Id)
                    {
                        Log.JobRejected(logger, assignment.Id, $"busy with job {job.JobId}");
                        await connection.TrySendAsync(new { type = "rejected", jobid = assignment.Id, reason = $"already busy with job {job.JobId}" }, cancellationToken);
                    }

                    return;
                }

                if (health.IsBroken)
                {
                    Log.JobRejected(logger, assignment.Id, health.Reason ?? "broken");
                    await connection.TrySendAsync(new { type = "rejected", jobid = assignment.Id, reason = health.Reason }, cancellationToken);
                    return;
                }

                var execution = new JobExecution(assignment, options, () => connection.WorkerId, uploads, client, hostStatistics, time, logger);
                lock (gate)
                {
                    current = execution;
                    health = WorkerHealth.Working;
                }

                await connection.TrySendAsync(new { type = "accepted", jobid = assignment.Id }, cancellationToken);
                Log.JobAccepted(logger, assignment.Id);
                currentTask = RunJobAsync(execution, uploads, connection, hostStatistics, jobToken);
                break;
            }

            case "cancel" when job is not null && (message.JobId is null || message.JobId == job.JobId):
                job.Stop(StopCause.Cancelled, message.Result);
                break;
            case "livelog_start" when job is not null && message.JobId == job.JobId:
                job.StartLiveView();
                break;
            case "livelog_stop" when job is not null && message.JobId == job.JobId:
                job.StopLiveView();
                break;
            default:
                // Messages for jobs no longer ours, or kinds we do not know (openQA sends a few more).
                break;
        }
    }

    private async Task RunJobAsync(JobExecution execution, UploadQueue uploads, WebUiConnection connection, HostStatistics hostStatistics, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            var setDone = await execution.RunAsync(cancellationToken);
            // Free only when the web UI has everything: a new job would clean the pool the queue still reads.
            await uploads.WhenDoneAsync(setDone, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.JobCrashed(logger, execution.JobId, e);
        }
        finally
        {
            lock (gate)
            {
                current = null;
            }

            execution.Dispose();
            UpdateHealth(hostStatistics);
            connection.ReportHealthSoon();
        }
    }

    private async Task MonitorHealthAsync(HostStatistics hostStatistics, WebUiConnection connection, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (UpdateHealth(hostStatistics))
                {
                    connection.ReportHealthSoon();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Re-reads the load; true when what the worker says about itself changed.</summary>
    private bool UpdateHealth(HostStatistics hostStatistics)
    {
        var reason = HostStatistics.OverloadReason(hostStatistics.Read(), options.CriticalLoadAverageThreshold);
        lock (gate)
        {
            overload = reason;
            // openQA only turns an idle worker away; a job in hand goes on.
            var next = current is not null ? WorkerHealth.Working : reason is not null ? new WorkerHealth("broken", reason) : WorkerHealth.Free;
            var changed = next != health;
            health = next;
            if (changed)
            {
                Log.HealthChanged(logger, next.Status, next.Reason);
            }

            return changed;
        }
    }

    private Dictionary<string, string> Properties() => new(StringComparer.Ordinal)
    {
        ["cpu_arch"] = RuntimeInformation.OSArchitecture switch { Architecture.X64 => "x86_64", Architecture.Arm64 => "aarch64", var a => a.ToString().ToLowerInvariant() },
        ["cpu_count"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        ["mem_max"] = (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes >> 20).ToString(CultureInfo.InvariantCulture),
        ["websocket_api_version"] = "1",
        ["isotovideo_interface_version"] = "1",
    };

    /// <summary>How long a job may take to stop and report when the worker shuts down: the runner's stop escalation fits in it.</summary>
    private static readonly TimeSpan QuitGrace = TimeSpan.FromSeconds(60);

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
