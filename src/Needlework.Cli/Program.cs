using System.CommandLine;
using Needlework.Cli;

// A runner is started for every job, so its start is kept to what it needs.
var runner = args is ["isotovideo", ..];
var root = new RootCommand("Needlework: automated operating-system testing in the openQA style");
if (runner)
{
    // A runner job's thread pool does a little work every half second. Idle pool threads that spin before
    // sleeping burned about 5% of its CPU for nothing (docs/benchmarks.md). Set before the pool starts; the web
    // UI and the worker keep the default, where spinning buys latency under load.
    AppContext.SetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", 0);

    // Only its own command, not the web UI's, worker's and admin's options: their generic option types would be
    // compiled at run time, in every job.
    root.Subcommands.Add(IsotovideoCommand.Create());
}
else
{
    root.Subcommands.Add(NeedlesCommand.Create());
    root.Subcommands.Add(DemoCommand.Create());
    root.Subcommands.Add(IsotovideoCommand.Create());
    root.Subcommands.Add(WorkerCommand.Create());
    root.Subcommands.Add(WebUiCommand.Create());
    root.Subcommands.Add(AdminCommand.Create());
}

var parsed = root.Parse(args);
// isotovideo is synchronous and handles its own signals: it runs on this thread, without async machinery to compile.
// For the others, Ctrl-C and SIGTERM cancel the command; a worker then needs time to stop its job and report it.
return runner
    ? parsed.Invoke()
    : parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(90) }).GetAwaiter().GetResult();
