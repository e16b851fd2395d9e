using System.CommandLine;
using Needlework.Cli;

var root = new RootCommand("Needlework: automated operating-system testing in the openQA style");
root.Subcommands.Add(NeedlesCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(IsotovideoCommand.Create());
root.Subcommands.Add(WorkerCommand.Create());
root.Subcommands.Add(WebUiCommand.Create());
root.Subcommands.Add(AdminCommand.Create());
// Ctrl-C and SIGTERM cancel the command; a worker then needs time to stop its job and report it.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(90) });
