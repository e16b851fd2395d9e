using Needlework.Worker.Tests.Infrastructure;
using Xunit.Abstractions;
using static Needlework.Worker.Tests.EndToEnd.JobAssertions;

namespace Needlework.Worker.Tests.EndToEnd;

/// <summary>A worker above CRITICAL_LOAD_AVG_THRESHOLD says it is broken, the web UI shows why, and it takes no job until the load falls.</summary>
public sealed class HealthTests(ITestOutputHelper output)
{
    [Fact(Timeout = 60_000)]
    public async Task OverloadedWorkerIsBrokenAndTakesNoJobs()
    {
        var proc = Directory.CreateTempSubdirectory("nw-worker-proc-");
        try
        {
            File.WriteAllText(Path.Combine(proc.FullName, "loadavg"), "55.10 50.00 45.00 3/200 4242\n");
            File.WriteAllText(Path.Combine(proc.FullName, "stat"), "cpu  100 0 100 800 0 0 0 0 0 0\n");
            File.WriteAllText(Path.Combine(proc.FullName, "meminfo"), "MemTotal:       1000 kB\nMemAvailable:    500 kB\n");
            await using var web = await WebUiServer.StartAsync(TimeSpan.FromSeconds(30));
            var assets = proc.FullName;
            await using var worker = TestWorker.StartInProcess(TestWorker.OptionsFor(web, o => o with { ProcRoot = proc.FullName, CriticalLoadAverageThreshold = 40, AssetDirectories = [assets] }), output);

            var broken = await WaitForWorkerAsync(web, w => w.GetProperty("status").GetString() == "broken");
            Assert.Contains("CRITICAL_LOAD_AVG_THRESHOLD", broken.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Contains("55.1", broken.GetProperty("error").GetString(), StringComparison.Ordinal);

            var settings = GrubJobs.Settings();
            settings["ISO"] = "absent.iso"; // ends at once when it runs at all
            var id = await web.CreateJobAsync(settings);
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal("scheduled", State(await web.GetJobAsync(id)));

            File.WriteAllText(Path.Combine(proc.FullName, "loadavg"), "0.50 20.00 45.00 1/200 4242\n");
            var job = await web.WaitForJobAsync(id, IsDone, TimeSpan.FromSeconds(20), "done once the load fell");
            Assert.StartsWith("asset failure:", Reason(job), StringComparison.Ordinal);
            var idle = await WaitForWorkerAsync(web, w => w.GetProperty("status").GetString() == "idle");
            Assert.Equal(System.Text.Json.JsonValueKind.Null, idle.GetProperty("error").ValueKind);
        }
        finally
        {
            proc.Delete(recursive: true);
        }
    }

    private static async Task<System.Text.Json.JsonElement> WaitForWorkerAsync(WebUiServer web, Func<System.Text.Json.JsonElement, bool> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            var workers = await web.GetWorkersAsync();
            var match = workers.EnumerateArray().FirstOrDefault(condition);
            if (match.ValueKind != System.Text.Json.JsonValueKind.Undefined)
            {
                return match;
            }

            await Task.Delay(200);
        }

        Assert.Fail("the worker never reached the expected status: " + await web.GetWorkersAsync());
        return default;
    }
}
