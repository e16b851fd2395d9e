using System.Globalization;
using Spectre.Console;

namespace Needlework.Cli.Demo;

/// <summary>The demo's closing words: each job's result, reason and page, and the slowness story told plainly.</summary>
internal static class DemoReport
{
    /// <summary>Prints the report; true when every job ended as the demo planned.</summary>
    public static bool Print(IAnsiConsole console, DemoOptions options, IReadOnlyList<TrackedJob> jobs, (int Pid, TimeSpan Frozen)? freeze)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Results[/]")
            .AddColumns("job", "test", "result", "as planned", "page");
        foreach (var job in jobs)
        {
            table.AddRow(
                new Markup($"#{job.Id}"),
                new Text(job.Test),
                new Markup($"[{JobBoard.Colour(job.Result)}]{job.Result}[/]"),
                new Markup(job.MetExpectation ? "[green]yes[/]" : "[red]no[/]"),
                new Text(options.JobUrl(job.Id)) { Overflow = Overflow.Ellipsis });
        }

        console.Write(table);
        foreach (var job in jobs.Where(j => j.Reason is not null))
        {
            console.MarkupLineInterpolated($"[bold]#{job.Id}[/] reason: {job.Reason}");
        }

        TellSlownessStory(console, options, jobs, freeze);
        var ok = jobs.Count > 0 && jobs.All(j => j.MetExpectation) && jobs.Any(j => j.Kind == DemoJobKind.Retry);
        console.MarkupLine(ok
            ? $"[green]Every job ended as planned[/] ({jobs.Count} jobs)."
            : "[red]Not every job ended as planned[/]: see the table above, the job pages, and worker-log.txt in the data directory.");
        console.MarkupLineInterpolated($"Pages: {new Uri(options.Url, "tests")}  {new Uri(options.Url, "known_failures")}  {new Uri(options.Url, "statistics")}  {new Uri(options.Url, "workers")}");
        return ok;
    }

    private static void TellSlownessStory(IAnsiConsole console, DemoOptions options, IReadOnlyList<TrackedJob> jobs, (int Pid, TimeSpan Frozen)? freeze)
    {
        var slowed = jobs.FirstOrDefault(j => j.Kind == DemoJobKind.Slowed);
        if (slowed is null)
        {
            return;
        }

        var retry = jobs.FirstOrDefault(j => j.Kind == DemoJobKind.Retry);
        var limit = options.MaxStallSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var lines = new List<string>
        {
            $"1. Job #{slowed.Id} ran the GRUB test with NEEDLEWORK_MAX_STALL={limit}: {limit} s without a new frame from the SUT stops the job.",
            freeze is { } f
                ? FormattableString.Invariant($"2. The demo froze that job's QEMU (pid {f.Pid}) with SIGSTOP for {f.Frozen.TotalSeconds:0.0} s, as a hung or starved SUT would behave.")
                : "2. The demo did not manage to freeze that job's QEMU (it ended before its first module passed?).",
            slowed.Result == "incomplete" && slowed.BackendCategory is not null
                ? $"3. The runner measured the stall, stopped the job and said why: {slowed.Result}, \"{slowed.Reason}\", backend category {slowed.BackendCategory}. Its page shows the stall plot (frame gap per second, the limit dashed): {options.JobUrl(slowed.Id)}"
                : $"3. The job ended {slowed.Result} ({slowed.Reason ?? "no reason"}), not stopped for slowness as planned: {options.JobUrl(slowed.Id)}",
            retry is not null
                ? $"4. The known failure \"{DemoApi.KnownFailureName}\" (category slow_sut, retrigger on) matched and auto-retrigger, enabled in this demo's configuration, cloned it as #{retry.Id}; left alone, the clone {retry.Result}: {options.JobUrl(retry.Id)}"
                : "4. No auto-retrigger clone was made.",
        };
        console.Write(new Panel(new Text(string.Join('\n', lines))).Header("The slowness story").Border(BoxBorder.Rounded));
    }
}
