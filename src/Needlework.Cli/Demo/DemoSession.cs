using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Needlework.Web;
using Needlework.Web.Auth;
using Needlework.Web.Data;
using Needlework.Worker;
using Needlework.Worker.Configuration;
using Needlework.Worker.Jobs;
using Needlework.Worker.Logging;
using Spectre.Console;

namespace Needlework.Cli.Demo;

/// <summary>
/// The whole system in one process: the web UI on SQLite at 127.0.0.1, one worker whose runner and QEMU are
/// child processes, the example jobs and the slowness story. Everything it starts it stops again, the
/// worker's runner and QEMU by PID (they live in their own process groups, so Ctrl-C never reaches them).
/// </summary>
internal sealed class DemoSession(DemoOptions options, IAnsiConsole console, TimeProvider time)
{
    /// <summary>0 when every job ended as planned, 1 when not, 2 when the demo could not start, 130 when interrupted before the jobs were done.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        console.Write(new Rule("[bold]Needlework demo[/]").LeftJustified());
        if (MissingPrerequisite() is { } missing)
        {
            console.MarkupLineInterpolated($"[red]Cannot run the demo[/]: {missing}. bash scripts/setup.sh installs what it needs.");
            return 2;
        }

        Directory.CreateDirectory(options.DataDirectory);
        var web = WebUiApp.Build(WebArguments());
        try
        {
            try
            {
                await web.StartAsync(cancellationToken);
            }
            catch (IOException e)
            {
                console.MarkupLineInterpolated($"[red]The web UI cannot listen on {options.Url}[/]: {e.Message}. Choose another port with --port.");
                return 2;
            }

            return await RunWithWebUiAsync(web, cancellationToken);
        }
        finally
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
            try
            {
                await web.StopAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
            }

            await web.DisposeAsync();
        }
    }

    private async Task<int> RunWithWebUiAsync(WebApplication web, CancellationToken cancellationToken)
    {
        ApiKey key;
        using (var scope = web.Services.CreateScope())
        {
            key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("demo", TimeSpan.FromDays(7), cancellationToken);
        }

        using var http = new HttpClient(new SigningHandler(key.Key, key.Secret, time)) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
        var api = new DemoApi(http);
        var leftovers = await api.CancelLeftoversAsync(cancellationToken);
        var created = await api.EnsureKnownFailureAsync(cancellationToken);
        console.MarkupLineInterpolated($"web UI     [link]{options.Url}[/] on SQLite in {options.DataDirectory}");
        console.MarkupLineInterpolated($"known failure \"{DemoApi.KnownFailureName}\": backend category slow_sut, retrigger on{(created ? string.Empty : " (kept from an earlier run)")}; auto-retrigger is enabled in this demo's configuration (it is off by default)");
        if (leftovers.Count > 0)
        {
            console.MarkupLineInterpolated($"cancelled {leftovers.Count} job(s) an earlier demo left unfinished: {string.Join(", ", leftovers.Select(id => "#" + id.ToString(CultureInfo.InvariantCulture)))}");
        }

        var workerOptions = new WorkerOptions
        {
            Host = options.Url,
            Instance = 1,
            WorkerHostname = "demo",
            ApiKey = key.Key,
            ApiSecret = key.Secret,
            PoolRoot = options.PoolRoot,
            WorkerClass = "qemu_x86_64",
            IsotovideoCommand = RunnerCommandLine.ThisExecutable(),
            HeartbeatInterval = TimeSpan.FromSeconds(5),
            ResultPollInterval = TimeSpan.FromMilliseconds(300),
            // Ctrl-C should not keep a user waiting half a minute for a GRUB job to wind down.
            StopGrace = new StopGrace(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)),
        };
        Directory.CreateDirectory(options.PoolRoot);
        var workerLogPath = Path.Combine(options.DataDirectory, "worker-log.txt");
        await using var workerLog = new StreamWriter(workerLogPath, append: true) { AutoFlush = true };
        using var loggers = new TextLoggerFactory(TextWriter.Synchronized(workerLog), LogLevel.Information, time);
        var worker = new WorkerInstance(workerOptions, time, loggers);
        using var stopWorker = new CancellationTokenSource();
        var workerRun = Task.Run(() => worker.RunAsync(stopWorker.Token), CancellationToken.None);
        console.MarkupLineInterpolated($"worker     instance 1, pool {workerOptions.PoolDirectory}, log {workerLogPath}");
        try
        {
            var board = new JobBoard(options, api, new SutFreezer(workerOptions.PoolDirectory, time), () => worker.CurrentJob?.JobId, console, time);
            await ScheduleAsync(api, board, cancellationToken);
            try
            {
                await board.RunAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                console.MarkupLine("[yellow]Interrupted[/] before the jobs were done.");
                return 130;
            }

            var asPlanned = DemoReport.Print(console, options, board.Jobs, board.Freeze);
            if (!options.ExitWhenDone)
            {
                console.MarkupLineInterpolated($"The web UI stays up at [link]{new Uri(options.Url, "tests")}[/]. Press [bold]Ctrl-C[/] to stop it, the worker and everything they started.");
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return asPlanned ? 0 : 1;
        }
        finally
        {
            await CancelJobInHandAsync(api, worker);
            console.MarkupLine("Stopping the worker...");
            await stopWorker.CancelAsync();
            try
            {
                await workerRun.WaitAsync(TimeSpan.FromSeconds(60), time, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                console.MarkupLine("[yellow]The worker did not stop within 60 s[/]; killing what is left in its pool.");
            }

            // The worker stops its runner and QEMU itself; this catches whatever a crash left, by PID.
            var killed = await PoolProcesses.KillAsync(workerOptions.PoolDirectory, TimeSpan.FromSeconds(5), time, CancellationToken.None);
            var left = PoolProcesses.Find(workerOptions.PoolDirectory);
            if (left.Count == 0)
            {
                var note = killed.Count > 0 ? $" ({killed.Count} leftover process(es) killed)" : string.Empty;
                console.MarkupLineInterpolated($"Stopped: worker, runner and QEMU{note}; the web UI stops now.");
            }
            else
            {
                console.MarkupLineInterpolated($"[red]Still running in the pool[/]: PIDs {string.Join(", ", left)}");
            }
        }
    }

    /// <summary>
    /// Interrupted mid-job: cancels the job through the web UI, so the worker stops its runner and QEMU
    /// gracefully and uploads what there is, as it would for any user's cancel; bounded, the pool is killed after.
    /// </summary>
    private async Task CancelJobInHandAsync(DemoApi api, WorkerInstance worker)
    {
        if (worker.CurrentJob?.JobId is not { } busy)
        {
            return;
        }

        console.MarkupLineInterpolated($"Cancelling job #{busy}: the worker stops its runner and QEMU and uploads what there is...");
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30), time);
        try
        {
            await api.CancelJobAsync(busy, grace.Token);
            while (worker.CurrentJob is not null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), time, grace.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
        {
            console.MarkupLineInterpolated($"[yellow]Job #{busy} did not wind down in time[/] ({e.Message}); its processes are killed next.");
        }
    }

    private async Task ScheduleAsync(DemoApi api, JobBoard board, CancellationToken cancellationToken)
    {
        var plan = new List<(DemoJobKind Kind, Dictionary<string, string> Settings)>
        {
            (DemoJobKind.Grub, DemoJobPlan.Grub(options, "grub")),
            (DemoJobKind.Slowed, DemoJobPlan.Slowed(options)),
        };
        if (options.Installer)
        {
            plan.Add((DemoJobKind.Installer, DemoJobPlan.Installer(options)));
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("job", "test", "what");
        foreach (var (kind, settings) in plan)
        {
            var id = await api.CreateJobAsync(settings, cancellationToken);
            board.Track(id, kind);
            table.AddRow(new Text("#" + id.ToString(CultureInfo.InvariantCulture)), new Text(settings["TEST"]), new Text(DemoJobPlan.Describe(kind)));
        }

        console.MarkupLine("Scheduled, for one worker, one after the other:");
        console.Write(table);
    }

    private string[] WebArguments() =>
    [
        $"--urls=http://127.0.0.1:{options.Port.ToString(CultureInfo.InvariantCulture)}",
        $"--Needlework:DataDirectory={options.DataDirectory}",
        "--Needlework:AutoRetrigger:Enabled=true",
        // The terminal belongs to the progress display; the web UI's own log lines would tear it.
        "--Logging:Console:LogLevel:Default=None",
        "--shutdownTimeoutSeconds=5",
    ];

    private string? MissingPrerequisite()
    {
        var needed = new List<string> { "/usr/bin/qemu-system-x86_64", DemoJobPlan.GrubIso, Path.Combine(options.ExamplesDirectory, "grub-rescue", "main.cs") };
        if (options.Installer)
        {
            needed.Add(Path.Combine(DemoJobPlan.InstallerImages, "linux"));
            needed.Add(Path.Combine(options.ExamplesDirectory, "debian-installer", "main.cs"));
        }

        return needed.FirstOrDefault(p => !File.Exists(p)) is { } path ? path + " is missing" : null;
    }
}
