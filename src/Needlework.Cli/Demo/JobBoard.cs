using System.Collections.Concurrent;
using Spectre.Console;

namespace Needlework.Cli.Demo;

/// <summary>
/// Follows the demo's jobs through the API until all are done and shows them as Spectre.Console progress
/// rows (state, current module, modules done of scheduled). It also plays the slowness story: once the
/// slowed job's first module passed it freezes that job's QEMU, and it picks up the retrigger clone.
/// </summary>
internal sealed class JobBoard(DemoOptions options, DemoApi api, SutFreezer freezer, Func<long?> workerJob, IAnsiConsole console, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(400);
    private readonly List<TrackedJob> jobs = [];
    private readonly Dictionary<long, ProgressTask> rows = [];
    private readonly ConcurrentQueue<string> events = new();

    public IReadOnlyList<TrackedJob> Jobs => jobs;

    /// <summary>The slowed job's QEMU and how long it stayed frozen, once the freeze is over.</summary>
    public (int Pid, TimeSpan Frozen)? Freeze { get; private set; }

    public void Track(long id, DemoJobKind kind) => jobs.Add(new TrackedJob(id, kind));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Task? freezing = null;
        try
        {
            await console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new ModuleCountColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    foreach (var job in jobs)
                    {
                        AddRow(context, job);
                    }

                    while (true)
                    {
                        foreach (var job in jobs.Where(j => !j.IsDone).ToList())
                        {
                            await RefreshAsync(context, job, cancellationToken);
                        }

                        freezing ??= StartFreeze(cancellationToken);
                        Flush();
                        if (jobs.All(j => j.IsDone))
                        {
                            break;
                        }

                        context.Refresh();
                        await Task.Delay(PollInterval, time, cancellationToken);
                    }
                });
        }
        finally
        {
            if (freezing is not null)
            {
                // The freeze ends with SIGCONT in every case; wait for it so no QEMU is left stopped.
                try
                {
                    await freezing;
                }
                catch (OperationCanceledException)
                {
                }
            }

            Flush();
        }
    }

    private void AddRow(ProgressContext context, TrackedJob job)
    {
        var row = context.AddTask(Row(job), autoStart: false, maxValue: 1);
        rows[job.Id] = row;
    }

    private async Task RefreshAsync(ProgressContext context, TrackedJob job, CancellationToken cancellationToken)
    {
        job.Update(await api.GetJobAsync(job.Id, cancellationToken));
        var row = rows[job.Id];
        if (!row.IsStarted && job.State != "scheduled")
        {
            row.StartTask();
            job.StartedAt = time.GetTimestamp();
        }

        row.MaxValue = Math.Max(1, job.Modules.Count);
        row.Value = job.ModulesFinished;
        row.Description = Row(job);
        if (!job.IsDone)
        {
            return;
        }

        job.FinishedAt = time.GetTimestamp();
        row.StopTask();
        var took = job.StartedAt is { } started ? FormattableString.Invariant($" after {time.GetElapsedTime(started, job.FinishedAt.Value).TotalSeconds:0} s") : string.Empty;
        events.Enqueue($"{Id(job)} {Markup.Escape(job.Test)} ended [{Colour(job.Result)}]{job.Result}[/]{took}" + (job.Reason is { } reason ? ": " + Markup.Escape(reason) : "."));
        if (job.Kind != DemoJobKind.Slowed)
        {
            return;
        }

        events.Enqueue($"    backend category [bold]{Markup.Escape(job.BackendCategory ?? "none")}[/], known failure: {Markup.Escape(job.KnownFailure ?? "none")}");
        if (job.CloneId is { } clone)
        {
            var retry = new TrackedJob(clone, DemoJobKind.Retry);
            jobs.Add(retry);
            AddRow(context, retry);
            events.Enqueue($"[bold]#{clone}[/]: auto-retrigger cloned #{job.Id} with the same settings (the known failure matched category slow_sut and has retrigger on). Nobody freezes this one.");
        }
        else
        {
            events.Enqueue($"[red]#{job.Id} was not retriggered[/]: the slowness story did not happen as planned.");
        }
    }

    private Task? StartFreeze(CancellationToken cancellationToken)
    {
        var slowed = jobs.FirstOrDefault(j => j.Kind == DemoJobKind.Slowed);
        // Freeze mid-test, after the SUT has shown it works (a module passed), and only the job the worker has now.
        if (slowed is null || slowed.IsDone || slowed.State != "running" || slowed.ModulesPassed < 1 || workerJob() != slowed.Id)
        {
            return null;
        }

        return freezer.FindQemu() is { } pid ? FreezeAsync(slowed, pid, cancellationToken) : null;
    }

    private async Task FreezeAsync(TrackedJob job, int pid, CancellationToken cancellationToken)
    {
        events.Enqueue(FormattableString.Invariant(
            $"[yellow]#{job.Id}[/]: the demo slows the SUT: SIGSTOP to its QEMU (pid {pid}) during module {Markup.Escape(job.CurrentModule ?? "?")}; NEEDLEWORK_MAX_STALL={options.MaxStallSeconds} lets the runner wait {options.MaxStallSeconds} s for a frame, the freeze lasts {options.Freeze.TotalSeconds:0} s."));
        var frozen = await freezer.FreezeAsync(pid, options.Freeze, cancellationToken);
        if (frozen is { } f)
        {
            Freeze = (pid, f);
            events.Enqueue(FormattableString.Invariant($"[yellow]#{job.Id}[/]: SIGCONT to QEMU (pid {pid}) after {f.TotalSeconds:0.0} s."));
        }
        else
        {
            events.Enqueue($"[red]#{job.Id}[/]: QEMU (pid {pid}) was gone before SIGSTOP.");
        }
    }

    private void Flush()
    {
        while (events.TryDequeue(out var line))
        {
            console.MarkupLine(line);
        }
    }

    private static string Row(TrackedJob job)
    {
        // Padded as plain text before markup is added, so the bars line up whatever the state.
        var id = $"#{job.Id}".PadRight(4);
        var test = job.Test.PadRight(12);
        var state = (job.IsDone ? job.Result : job.State).PadRight(10);
        var colour = job.IsDone ? Colour(job.Result) : "blue";
        var module = (job.CurrentModule ?? string.Empty).PadRight(10);
        return $"[bold]{Markup.Escape(id)}[/] {Markup.Escape(test)} [{colour}]{Markup.Escape(state)}[/] {Markup.Escape(module)}";
    }

    private static string Id(TrackedJob job) => $"[bold]#{job.Id}[/]";

    public static string Colour(string result) => result switch
    {
        "passed" => "green",
        "softfailed" => "yellow",
        "none" => "grey",
        _ => "red",
    };
}
