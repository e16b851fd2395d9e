using System.CommandLine;
using System.Runtime.InteropServices;
using Needlework.Cli.Demo;
using Spectre.Console;

namespace Needlework.Cli;

/// <summary>
/// <c>needlework demo</c>: the whole system on real SUTs. The web UI on SQLite and one worker on 127.0.0.1, the
/// GRUB and Debian installer examples, and the slowness story: a job whose QEMU the demo freezes ends
/// incomplete for a slow SUT, and auto-retrigger's clone of it passes. The web UI stays up until Ctrl-C.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "The web UI's port on 127.0.0.1", DefaultValueFactory = _ => 9526 };
        var data = new Option<DirectoryInfo>("--data") { Description = "The web UI's database and results and the worker's pool", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(".data", "demo")) };
        var examples = new Option<DirectoryInfo?>("--examples") { Description = "The examples directory (default: ./examples, or the repository's)" };
        var noInstaller = new Option<bool>("--no-installer") { Description = "Skip the Debian installer job (about 2 minutes under TCG)" };
        var exitWhenDone = new Option<bool>("--exit-when-done") { Description = "Exit when the jobs are done (exit code 0 only if every job ended as planned) instead of serving the web UI until Ctrl-C" };
        var demo = new Command("demo", "Run the web UI, a worker and the example jobs, with a SUT slowed on purpose; the web UI stays up until Ctrl-C")
        {
            port, data, examples, noInstaller, exitWhenDone,
        };

        // A synchronous action on purpose: System.CommandLine gives an asynchronous one only a short grace
        // after Ctrl-C before Main returns, too short to stop a job, its runner and QEMU; the demo handles
        // SIGINT and SIGTERM itself and stops everything before it returns.
        demo.SetAction(parse => Run(new DemoOptions
        {
            Port = parse.GetValue(port),
            DataDirectory = parse.GetValue(data)!.FullName,
            ExamplesDirectory = (parse.GetValue(examples) ?? FindExamples()).FullName,
            Installer = !parse.GetValue(noInstaller),
            ExitWhenDone = parse.GetValue(exitWhenDone),
        }));
        return demo;
    }

    private static int Run(DemoOptions options)
    {
        using var interrupted = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return new DemoSession(options, AnsiConsole.Console, TimeProvider.System).RunAsync(interrupted.Token).GetAwaiter().GetResult();

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupted.Cancel();
        }
    }

    private static DirectoryInfo FindExamples()
    {
        if (Directory.Exists(Path.Combine("examples", "grub-rescue")))
        {
            return new DirectoryInfo("examples");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "examples", "grub-rescue")))
            {
                return new DirectoryInfo(Path.Combine(dir.FullName, "examples"));
            }
        }

        return new DirectoryInfo("examples");
    }
}
