using System.CommandLine;
using Microsoft.Extensions.Logging;
using Needlework.Cli.Demo;
using Needlework.Worker;
using Needlework.Worker.Configuration;
using Needlework.Worker.Logging;

namespace Needlework.Cli;

/// <summary><c>needlework worker</c>: one worker instance taking jobs from the web UI, configured by workers.ini and options.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config", "-c") { Description = $"workers.ini ([global] and [N] sections, openQA's keys; default {WorkersIni.DefaultPath} when it exists)" };
        var host = new Option<string?>("--host") { Description = "The web UI, e.g. http://127.0.0.1:9526 (HOST)" };
        var instance = new Option<int?>("--instance") { Description = "The instance number, selecting the [N] section and pool/N (default 1)" };
        var apiKey = new Option<string?>("--apikey") { Description = "API key (APIKEY)" };
        var apiSecret = new Option<string?>("--apisecret") { Description = "API secret (APISECRET)" };
        var poolRoot = new Option<string?>("--pool-root") { Description = "Parent of the pool directories (POOL_ROOT, default ./pool)" };
        var workerClass = new Option<string?>("--worker-class") { Description = "Comma-separated WORKER_CLASS" };
        var isotovideo = new Option<string?>("--isotovideo") { Description = "The runner command (ISOTOVIDEO; default this executable's isotovideo)" };
        var assetDir = new Option<string?>("--asset-dir") { Description = "Where relative ISO/HDD_1/KERNEL/INITRD are found (ASSET_DIR)" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log debug messages" };
        var command = new Command("worker", "Run jobs from the web UI: register, take jobs, supervise the runner, upload results")
        {
            config, host, instance, apiKey, apiSecret, poolRoot, workerClass, isotovideo, assetDir, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(config)?.FullName ?? (File.Exists(WorkersIni.DefaultPath) ? WorkersIni.DefaultPath : null);
            WorkerOptions options;
            try
            {
                var ini = WorkersIni.Read(path, optional: false);
                options = WorkersIni.Resolve(ini, new CommandLineSettings
                {
                    Host = parse.GetValue(host),
                    Instance = parse.GetValue(instance),
                    ApiKey = parse.GetValue(apiKey),
                    ApiSecret = parse.GetValue(apiSecret),
                    PoolRoot = parse.GetValue(poolRoot),
                    WorkerClass = parse.GetValue(workerClass),
                    Isotovideo = parse.GetValue(isotovideo),
                    AssetDirectory = parse.GetValue(assetDir),
                });
            }
            catch (Exception e) when (e is FormatException or IOException or InvalidDataException)
            {
                await Console.Error.WriteLineAsync("worker: " + e.Message);
                return 2;
            }

            if (options.IsotovideoCommand.Count == 0)
            {
                options = options with { IsotovideoCommand = RunnerCommandLine.ThisExecutable() };
            }

            using var loggers = new TextLoggerFactory(Console.Error, parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information, TimeProvider.System);
            await new WorkerInstance(options, TimeProvider.System, loggers).RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
