using Microsoft.Extensions.Logging.Abstractions;
using Needlework.Worker.Tests.Infrastructure;
using Needlework.Worker.Uploads;
using Needlework.Worker.WebUi;
using Xunit.Abstractions;
using static Needlework.Worker.Tests.EndToEnd.JobAssertions;

namespace Needlework.Worker.Tests.EndToEnd;

/// <summary>Uploads queued while the web UI is unreachable survive the worker process and go out from the spool later.</summary>
public sealed class UploadSpoolTests(ITestOutputHelper output)
{
    [Fact(Timeout = 30_000)]
    public async Task SpoolSurvivesAWorkerRestart()
    {
        await using var web = await WebUiServer.StartAsync(TimeSpan.FromSeconds(30));
        var options = TestWorker.OptionsFor(web, o => o with { AssetDirectories = [Path.GetTempPath()] });
        long id;
        await using (var worker = TestWorker.StartInProcess(options, output))
        {
            var settings = GrubJobs.Settings();
            settings["ISO"] = "absent.iso";
            id = await web.CreateJobAsync(settings);
            await web.WaitForJobAsync(id, IsDone, TimeSpan.FromSeconds(20), "done");
        }

        var file = Path.Combine(Path.GetTempPath(), "nw-worker-late-" + Guid.NewGuid().ToString("N")[..10] + ".txt");
        await File.WriteAllTextAsync(file, "written while the web UI was away");
        // A "worker" whose web UI is unreachable queues the upload and is then gone.
        var unreachable = options with { Host = new Uri("http://127.0.0.1:9/") };
        using (var deadClient = new WebUiClient(unreachable, TimeProvider.System))
        {
            var queue = new UploadQueue(options.SpoolDirectory, deadClient, TimeProvider.System, NullLogger.Instance, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            queue.Enqueue(UploadItem.File(id, "log", "late-log.txt", file));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.RunAsync(cts.Token));
            Assert.Equal(1, queue.PendingCount);
        }

        Assert.Equal(404, await web.StatusCodeAsync($"tests/{id}/file/late-log.txt"));
        await using (var restarted = TestWorker.StartInProcess(options, output))
        {
            for (var i = 0; i < 50 && await web.StatusCodeAsync($"tests/{id}/file/late-log.txt") != 200; i++)
            {
                await Task.Delay(200);
            }

            Assert.Empty(Directory.GetFiles(options.SpoolDirectory));
        }

        Assert.Equal("written while the web UI was away", await web.Client.GetStringAsync($"tests/{id}/file/late-log.txt"));
        File.Delete(file);
    }
}
