using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Needlework.Imaging.Frames;
using Needlework.Runner.Tests.Backends.Qemu;
using Needlework.Runner.Testing;
using Needlework.Runner.Variables;
using Xunit.Abstractions;

namespace Needlework.Runner.Tests.Isotovideo;

/// <summary>Whole jobs through the runner: real Roslyn, real QEMU booting the GRUB rescue ISO, real ffmpeg.</summary>
[Collection(QemuCollection.Name)]
public sealed class IsotovideoTests(ITestOutputHelper output)
{
    private static readonly TimeSpan JobBudget = TimeSpan.FromMinutes(3);

    [Fact(Timeout = 240_000)]
    public async Task GrubExampleRunsEveryModuleAndLeavesOpenQaResults()
    {
        using var pool = new JobPool();
        pool.WriteVariables(JobPool.GrubVariables(JobPool.GrubExample));

        var exit = await Run(pool);

        Assert.Equal(Runner.Isotovideo.ExitDone, exit);
        var order = pool.ReadJson("testresults/test_order.json");
        Assert.Equal(["boot", "console", "ls", "help", "halt"], order.EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.Equal(1, order[0].GetProperty("flags").GetProperty("fatal").GetInt32());
        foreach (var module in new[] { "boot", "console", "ls", "help", "halt" })
        {
            var result = pool.ReadJson($"testresults/result-{module}.json");
            Assert.True(result.GetProperty("result").GetString() == "ok", $"{module}: {result}");
        }

        var ls = pool.ReadJson("testresults/result-ls.json").GetProperty("details")[0];
        Assert.Equal("grub-ls", ls.GetProperty("needle").GetString());
        Assert.Equal(100, ls.GetProperty("area")[0].GetProperty("similarity").GetInt32());
        var screenshot = ls.GetProperty("screenshot").GetString()!;
        Assert.Equal((1024, 768), Size(Png.ReadFile(Path.Combine(pool.Results, screenshot))));
        Assert.Equal(45, Png.ReadFile(Path.Combine(pool.Results, ".thumbs", screenshot)).Height);
        Assert.Equal("finished", pool.ReadJson("autoinst-status.json").GetProperty("status").GetString());
        Assert.False(File.Exists(Path.Combine(pool.Directory, "base_state.json")));

        // The video: 1/24 s per capture, as video_time.vtt has cues; a coded frame per new screen (and one more when
        // the job ends on an unchanged screen, to keep its time); no PNG per frame anywhere.
        var cues = File.ReadAllLines(Path.Combine(pool.Directory, "video_time.vtt")).Count(l => l.Contains("-->", StringComparison.Ordinal));
        var (frames, duration) = Probe(Path.Combine(pool.Directory, "video.webm"));
        var video = pool.ReadJson("stats.json").GetProperty("summary").GetProperty("video");
        var written = video.GetProperty("frames_written").GetInt32();
        output.WriteLine($"video: {frames} frames, {duration:F2} s, {cues} cues, {written} new screens written");
        Assert.True(written >= 5, $"only {written} new screens");
        Assert.Equal(cues, written + video.GetProperty("repeats_written").GetInt32());
        Assert.InRange(frames, written, written + 1);
        Assert.InRange(duration, (cues - 1) / 24.0, (cues + 1) / 24.0);
        Assert.Empty(Directory.GetFiles(pool.Directory, "last.png", SearchOption.AllDirectories));
        Assert.Contains("last.png encoded 0 times", File.ReadAllText(Path.Combine(pool.Directory, "autoinst-log.txt")), StringComparison.Ordinal);
    }

    [Fact(Timeout = 240_000)]
    public async Task CommandServerGivesLastPngOnDemandStatusAndAGracefulStop()
    {
        using var pool = new JobPool();
        pool.WriteDistribution(new Dictionary<string, string>
        {
            ["boot"] = """
                public sealed class boot : TestModule
                {
                    public override void Run()
                    {
                        AssertScreen("grub-menu", 60);
                        Wait(120);
                    }
                }
                """,
            ["after"] = "public sealed class after : TestModule { public override void Run() => SaveScreenshot(); }",
        });
        var variables = JobPool.GrubVariables(pool.CaseDirectory);
        variables["SCHEDULE"] = "tests/boot,tests/after";
        variables["NOVIDEO"] = "1";
        variables["_SECRET_TOKEN"] = "hidden";
        variables["ROOT_PASSWORD"] = "hidden";
        pool.WriteVariables(variables);

        using var stop = new StopRequest();
        var job = Run(pool, stop);
        using var http = new HttpClient();
        var server = await WaitForCommandServer(pool, job);
        await WaitUntil(async () => (await http.GetFromJsonAsync<JsonElement>(new Uri(server, "status"))).GetProperty("current_test").GetString() == "boot" && File.Exists(Path.Combine(pool.Results, "boot-1.png")), job);

        var png = await http.GetByteArrayAsync(new Uri(server, "last.png"));
        Assert.Equal((1024, 768), Size(Png.Decode(png, "last.png")));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri(server.GetLeftPart(UriPartial.Authority) + "/wrong-token/last.png"))).StatusCode);
        var stopped = await http.PostAsync(new Uri(server, "stop?reason=" + Uri.EscapeDataString("job cancelled by the user")), null);
        Assert.True(stopped.IsSuccessStatusCode);

        var exit = await job.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(Runner.Isotovideo.ExitDied, exit);
        var state = pool.ReadJson("base_state.json");
        Assert.Equal("isotovideo", state.GetProperty("component").GetString());
        Assert.Equal("job cancelled by the user", state.GetProperty("msg").GetString());
        Assert.Equal("canceled", pool.ReadJson("testresults/result-boot.json").GetProperty("result").GetString());
        Assert.Equal("canceled", pool.ReadJson("testresults/result-after.json").GetProperty("result").GetString());
        Assert.False(File.Exists(Path.Combine(pool.Directory, "video.webm")), "NOVIDEO makes no video");
        var saved = pool.ReadJson("vars.json");
        Assert.False(saved.TryGetProperty("_SECRET_TOKEN", out _));
        Assert.False(saved.TryGetProperty("ROOT_PASSWORD", out _));
        Assert.Equal("1", saved.GetProperty("NOVIDEO").GetString());
        Assert.Contains("last.png encoded 1 times", File.ReadAllText(Path.Combine(pool.Directory, "autoinst-log.txt")), StringComparison.Ordinal);
    }

    [Fact(Timeout = 240_000)]
    public async Task FailedAssertRecordsEveryCandidateAndTheNextModuleStillRuns()
    {
        using var pool = new JobPool();
        pool.WriteDistribution(new Dictionary<string, string>
        {
            ["early"] = """
                public sealed class early : TestModule
                {
                    public override void Run()
                    {
                        AssertScreen("grub-menu", 60);
                        AssertScreen("grub-help-output", 2);
                    }
                }
                """,
            ["later"] = """
                public sealed class later : TestModule
                {
                    public override void Run()
                    {
                        if (CheckScreen("grub-menu") is null) throw new TestFailedException("menu gone");
                        RecordSoftFailure("bsc#1234 known issue");
                        RecordInfo("note", "hello");
                    }
                }
                """,
        });
        var variables = JobPool.GrubVariables(pool.CaseDirectory);
        variables["SCHEDULE"] = "tests/early,tests/later";
        pool.WriteVariables(variables);

        var exit = await Run(pool);

        Assert.Equal(Runner.Isotovideo.ExitDone, exit);
        var early = pool.ReadJson("testresults/result-early.json");
        Assert.Equal("fail", early.GetProperty("result").GetString());
        var failure = early.GetProperty("details").EnumerateArray().First(d => d.GetProperty("result").GetString() == "fail" && d.TryGetProperty("needles", out _));
        var candidate = Assert.Single(failure.GetProperty("needles").EnumerateArray());
        Assert.Equal("grub-help", candidate.GetProperty("name").GetString());
        Assert.Equal(2, candidate.GetProperty("area").GetArrayLength());
        Assert.Equal(["grub-help-output"], failure.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var later = pool.ReadJson("testresults/result-later.json");
        Assert.Equal("softfail", later.GetProperty("result").GetString());
        Assert.Equal(1, later.GetProperty("dents").GetInt32());
    }

    [Fact(Timeout = 120_000)]
    public async Task CompileErrorEndsTheJobAsTestsDiedWithFileAndLine()
    {
        using var pool = new JobPool();
        pool.WriteDistribution(new Dictionary<string, string>
        {
            ["boot"] = "public sealed class boot : TestModule\n{\n    public override void Run() { AssertScreen(\"x\") }\n}\n",
        });
        pool.WriteVariables(new Dictionary<string, string> { ["CASEDIR"] = pool.CaseDirectory, ["SCHEDULE"] = "tests/boot" });

        var exit = await Run(pool);

        Assert.Equal(Runner.Isotovideo.ExitDied, exit);
        var state = pool.ReadJson("base_state.json");
        Assert.Equal("tests", state.GetProperty("component").GetString());
        Assert.StartsWith("unable to compile the tests: tests/boot.cs(3,", state.GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.Contains("error CS1002", state.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task NothingScheduledExits100AndAnUnknownModuleIsTestsDied()
    {
        using var pool = new JobPool();
        pool.WriteDistribution(
            new Dictionary<string, string> { ["boot"] = "public sealed class boot : TestModule { public override void Run() { } }" },
            main: "public sealed class Main : TestSchedule { public override void Schedule() { if (GetVar(\"RUN\") == \"1\") LoadTest(\"tests/boot\"); } }");
        pool.WriteVariables(new Dictionary<string, string> { ["CASEDIR"] = pool.CaseDirectory });

        Assert.Equal(Runner.Isotovideo.ExitNoModules, await Run(pool));

        pool.WriteVariables(new Dictionary<string, string> { ["CASEDIR"] = pool.CaseDirectory, ["SCHEDULE"] = "tests/nope" });
        Assert.Equal(Runner.Isotovideo.ExitDied, await Run(pool));
        Assert.Contains("tests/nope", pool.ReadJson("base_state.json").GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task CompiledDistributionIsCachedByContent()
    {
        using var pool = new JobPool();
        pool.WriteDistribution(new Dictionary<string, string> { ["boot"] = "public sealed class boot : TestModule { public override void Run() { } }" });
        var variables = new JobVariables(new Dictionary<string, string>());

        var first = Distribution.TestDistribution.Load(pool.CaseDirectory, variables, pool.Cache);
        var second = Distribution.TestDistribution.Load(pool.CaseDirectory, variables, pool.Cache);
        File.AppendAllText(Path.Combine(pool.CaseDirectory, "tests", "boot.cs"), "\n// changed\n");
        var third = Distribution.TestDistribution.Load(pool.CaseDirectory, variables, pool.Cache);

        Assert.Equal((false, true, false), (first.FromCache, second.FromCache, third.FromCache));
    }

    private static (int, int) Size(Frame frame) => (frame.Width, frame.Height);

    private async Task<int> Run(JobPool pool, StopRequest? stop = null)
    {
        using var own = stop is null ? new StopRequest() : null;
        using var timeout = new CancellationTokenSource(JobBudget);
        var exit = await Runner.Isotovideo.RunAsync(new IsotovideoOptions { PoolDirectory = pool.Directory, CacheDirectory = pool.Cache }, stop ?? own!, timeout.Token);
        output.WriteLine(File.ReadAllText(Path.Combine(pool.Directory, "autoinst-log.txt")));
        return exit;
    }

    private static async Task<Uri> WaitForCommandServer(JobPool pool, Task job)
    {
        var file = Path.Combine(pool.Directory, global::Needlework.Runner.Commands.CommandServer.AddressFile);
        await WaitUntil(() => Task.FromResult(File.Exists(file)), job);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        return new Uri(json.RootElement.GetProperty("url").GetString()!);
    }

    private static async Task WaitUntil(Func<Task<bool>> condition, Task job)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.False(job.IsCompleted, "the job ended before the condition held");
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), "condition not met within 90 s");
            await Task.Delay(200);
        }
    }

    private static (int Frames, double Duration) Probe(string video)
    {
        var start = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true };
        foreach (var arg in new[] { "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames:format=duration", "-of", "default=noprint_wrappers=1", video })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var values = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')).ToDictionary(p => p[0], p => p[1]);
        return (int.Parse(values["nb_read_frames"], CultureInfo.InvariantCulture), double.Parse(values["duration"], CultureInfo.InvariantCulture));
    }
}
