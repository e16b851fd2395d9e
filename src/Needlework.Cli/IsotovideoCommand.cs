using System.CommandLine;
using System.Runtime.InteropServices;
using Needlework.Runner;
using Needlework.Runner.Testing;

namespace Needlework.Cli;

/// <summary><c>needlework isotovideo</c>: runs one job in a pool directory, as os-autoinst's isotovideo does.</summary>
internal static class IsotovideoCommand
{
    public static Command Create()
    {
        var pool = new Option<DirectoryInfo>("--pool", "-p") { Description = "The pool directory with vars.json (default: the current directory)", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var token = new Option<string?>("--token") { Description = "The command server's path token (the worker passes the job token)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Write the log only to autoinst-log.txt, not to the terminal" };
        var command = new Command("isotovideo", "Run one test job in a pool directory: exit 0 tests ran, 1 died, 100 nothing scheduled") { pool, token, quiet };
        // Synchronous, down to the runner: see Isotovideo.Run.
        command.SetAction(parse =>
        {
            using var stop = new StopRequest();
            // SIGTERM and Ctrl-C end the test gracefully; the worker escalates if that takes too long.
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            return Isotovideo.Run(
                new IsotovideoOptions
                {
                    PoolDirectory = parse.GetValue(pool)!.FullName,
                    Token = parse.GetValue(token),
                    Echo = parse.GetValue(quiet) ? null : Console.Out,
                },
                stop,
                CancellationToken.None);

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Request(new StopReason("isotovideo", $"isotovideo received signal {context.Signal}"));
            }
        });
        return command;
    }
}
