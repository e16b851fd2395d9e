using System.Globalization;
using Needlework.Imaging.Needles;
using Needlework.Runner.Backends;
using Needlework.Runner.Backends.Qemu;
using Needlework.Runner.Capture;
using Needlework.Runner.Commands;
using Needlework.Runner.Distribution;
using Needlework.Runner.Results;
using Needlework.Runner.Slowness;
using Needlework.Runner.Testing;
using Needlework.Runner.Variables;
using Needlework.Video;

namespace Needlework.Runner;

/// <summary>
/// Runs one job in its pool directory, as os-autoinst's isotovideo does: reads vars.json, compiles the test
/// distribution, starts the SUT, captures frames into the video, runs the scheduled modules on the test
/// thread, and leaves openQA's result files. Exit codes: 0 the tests ran (whatever their results), 1 the job
/// died (base_state.json says why), 100 nothing was scheduled.
/// </summary>
public static class Isotovideo
{
    public const int ExitDone = 0;
    public const int ExitDied = 1;
    public const int ExitNoModules = 100;

    /// <summary>Runs the job on a thread of its own, for asynchronous callers (see <see cref="Run"/>).</summary>
    public static Task<int> RunAsync(IsotovideoOptions options, StopRequest stop, CancellationToken cancellationToken) =>
        DedicatedThread.Run("isotovideo", () => Run(options, stop, cancellationToken));

    /// <summary>
    /// Runs the job on the calling thread, which it blocks until the end. Synchronous from the command line down:
    /// async state machines are generic code ReadyToRun cannot precompile, so each one costs every job JIT time.
    /// </summary>
    public static int Run(IsotovideoOptions options, StopRequest stop, CancellationToken cancellationToken)
    {
        var pool = Path.GetFullPath(options.PoolDirectory);
        var results = Path.Combine(pool, "testresults");
        Directory.CreateDirectory(results);
        using var log = new RunnerLog(Path.Combine(pool, "autoinst-log.txt"), options.Time, options.Echo);
        var job = new JobRun(pool, results, log, options, stop);
        try
        {
            return job.Run(cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.Write("isotovideo", $"died: {e}");
            job.WriteBaseState(new StopReason("isotovideo", e.Message));
            job.WriteStatus("finished", null);
            return ExitDied;
        }
    }

    /// <summary>Disposes an asynchronously disposable object at the end of a <c>using</c> scope, blocking until it is done.</summary>
    private sealed class BlockingDisposal(IAsyncDisposable target) : IDisposable
    {
        public void Dispose() => target.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The state of one run, so each phase reads as a step.</summary>
    private sealed class JobRun(string pool, string results, RunnerLog log, IsotovideoOptions options, StopRequest stop)
    {
        private JobVariables _variables = new(new Dictionary<string, string>());
        private Action<TimeSpan>? _pngWritten;
        private bool _baseStateWritten;

        public int Run(CancellationToken cancellationToken)
        {
            log.Write("isotovideo", $"Needlework runner starting in {pool}");
            try
            {
                _variables = JobVariables.Load(Path.Combine(pool, "vars.json"));
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException or UnauthorizedAccessException)
            {
                return Died(new StopReason("isotovideo", $"unable to read vars.json: {e.Message}"));
            }

            var caseDir = _variables.Get("CASEDIR") is { Length: > 0 } c ? Path.GetFullPath(c, pool) : null;
            if (caseDir is null)
            {
                return Died(new StopReason("isotovideo", "CASEDIR is not set: the job needs a test distribution"));
            }

            TestDistribution distribution;
            var compileStart = options.Time.GetTimestamp();
            try
            {
                distribution = TestDistribution.Load(caseDir, _variables, options.CacheDirectory);
            }
            catch (DistributionException e)
            {
                return Died(new StopReason("tests", e.Message));
            }

            LogCpu("test distribution ready");
            log.Write("isotovideo", $"test distribution {(distribution.FromCache ? "loaded from the cache" : "compiled")} in {options.Time.GetElapsedTime(compileStart).TotalSeconds:F2} s: {string.Join(", ", distribution.Modules.Select(m => m.Script))}");
            if (distribution.Modules.Count == 0)
            {
                log.Write("isotovideo", "no test modules scheduled (set SCHEDULE or write main.cs)");
                WriteStatus("finished", null);
                return ExitNoModules;
            }

            WriteTestOrder(distribution.Modules);
            var needlesDir = _variables.Get("NEEDLES_DIR") is { Length: > 0 } n ? Path.GetFullPath(n, caseDir) : Path.Combine(caseDir, "needles");
            var needles = Directory.Exists(needlesDir) ? NeedleSet.Load(needlesDir) : new NeedleSet([], []);
            log.Write("isotovideo", $"{needles.All.Count} needles loaded from {needlesDir}");
            foreach (var problem in needles.Problems)
            {
                log.Write("needles", $"skipped broken needle {problem}");
            }

            var backend = options.BackendFactory(_variables, pool, log, options.Time);
            using var backendLifetime = new BlockingDisposal(backend);
            try
            {
                backend.StartAsync(cancellationToken).GetAwaiter().GetResult();
            }
            catch (BackendDiedException e)
            {
                return Died(BackendReason(e.Failure));
            }

            LogCpu("backend started");
            var frames = new FrameStore();
            using var video = StartVideo();
            var interval = TimeSpan.FromSeconds(_variables.GetNumber("SCREENSHOTINTERVAL", 0.5));
            using var slowness = new SlownessMonitor(
                new SlownessMonitorOptions
                {
                    Policy = SlownessPolicy.FromVariables(_variables.Snapshot(), interval),
                    StatsPath = Path.Combine(pool, "stats.json"),
                    SutProcessId = () => (backend as QemuBackend)?.ProcessId,
                    SutRunning = () => backend.IsAlive,
                    Video = video,
                },
                stop,
                log,
                options.Time);
            using var capture = new CaptureLoop(backend, frames, video, new CaptureLoopOptions { Interval = interval }, options.Time, log, [slowness]);
            slowness.Start();
            capture.Start();

            var token = options.Token ?? SecureRandomText.Hex(16);
            string? currentTest = null;
            using var server = CommandServer.Start(pool, token, frames, () => new RunnerStatus(currentTest is null ? "initial" : "running", currentTest, capture.Frames, stop.Reason?.Message), stop, message => log.Write("isotovideo", message));
            log.Write("isotovideo", $"command server listening on {server.BaseAddress.GetLeftPart(UriPartial.Authority)}");

            var context = new TestContext(backend, frames, needles, _variables, options.Time, log, stop, results) { ResponseMeasured = slowness.AddResponse, SearchMeasured = slowness.AddNeedleSearch };
            _pngWritten = slowness.AddPngEncode;
            var outcome = RunModulesOnTestThread(distribution.Modules, context, needlesDir, name =>
            {
                currentTest = name;
                WriteStatus("running", name);
            }).GetAwaiter().GetResult();

            LogCpu("tests done");
            // Measurements end with the tests, so stopping the SUT and the encoder cannot count as a stall.
            slowness.Complete();
            WriteStatus("finished", currentTest);
            capture.Stop(TimeSpan.FromSeconds(5));
            var videoResult = video.CompleteAsync(CancellationToken.None).GetAwaiter().GetResult();
            if (!videoResult.Succeeded)
            {
                log.Write("video", $"the video is missing or incomplete: {videoResult.ErrorReason}");
            }

            log.Write("isotovideo", $"{capture.Frames} frames captured, {capture.Failures} captures failed; last.png encoded {server.PngRequests} times on request");
            log.Write("isotovideo", $"{context.Searches} needle searches, {context.SearchMilliseconds:F0} ms in all");
            backend.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            _variables.SaveRedacted(Path.Combine(pool, "vars.json"));

            if (outcome is not null)
            {
                return Died(outcome);
            }

            LogCpu("done");
            log.Write("isotovideo", "done");
            return ExitDone;
        }

        /// <summary>
        /// The runner's own CPU time so far, the part of it the JIT took and the garbage collections so far, so the
        /// log shows where a job's CPU goes (a published, precompiled runner still compiles the test modules and
        /// some generic code; collections of generation 2 are what large short-lived buffers cost).
        /// </summary>
        private void LogCpu(string phase)
        {
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            var jit = System.Runtime.JitInfo.GetCompilationTime();
            log.Write("isotovideo",
                $"{phase}: runner CPU {self.TotalProcessorTime.TotalSeconds:F2} s, of which JIT {jit.TotalSeconds:F2} s for {System.Runtime.JitInfo.GetCompiledMethodCount()} methods; " +
                $"garbage collections {GC.CollectionCount(0)}, {GC.CollectionCount(1)}, {GC.CollectionCount(2)} (generations 0, 1, 2)");
        }

        public void WriteStatus(string status, string? currentTest) =>
            ResultFiles.WriteJsonAtomically(Path.Combine(pool, "autoinst-status.json"), new AutoinstStatus(status, currentTest));

        /// <summary>base_state.json: the first fatal error only, as os-autoinst keeps it.</summary>
        public void WriteBaseState(StopReason reason)
        {
            if (_baseStateWritten)
            {
                return;
            }

            _baseStateWritten = true;
            ResultFiles.WriteJsonAtomically(Path.Combine(pool, "base_state.json"), new BaseState(reason.Component, reason.Message, reason.Category, reason.Statistics));
        }

        private int Died(StopReason reason)
        {
            // Slowness reads "backend too slow: ...", every other end "<component> died: ...", as the worker words it.
            log.Write(reason.Component, reason.Category is "slow_sut" or "slow_worker" ? $"{reason.Component} {reason.Message}" : $"{reason.Component} died: {reason.Message}");
            WriteBaseState(reason);
            WriteStatus("finished", null);
            return ExitDied;
        }

        private IVideoSink StartVideo()
        {
            if (_variables.IsTrue("NOVIDEO"))
            {
                return new NoVideoSink();
            }

            var codec = _variables.Get("NEEDLEWORK_VIDEO_CODEC", "vp9").ToLowerInvariant() switch
            {
                "vp9" => VideoCodec.Vp9,
                "vp8" => VideoCodec.Vp8,
                "theora" => VideoCodec.Theora,
                var other => throw new JobVariableException("NEEDLEWORK_VIDEO_CODEC", other, "is not one of vp9, vp8, theora"),
            };
            var output = Path.Combine(pool, codec == VideoCodec.Theora ? "video.ogv" : "video.webm");
            return VideoEncoder.Start(new VideoEncoderOptions
            {
                OutputPath = output,
                TimelinePath = Path.Combine(pool, "video_time.vtt"),
                Codec = codec,
                ExternalCommand = _variables.Get("EXTERNAL_VIDEO_ENCODER_CMD") is { Length: > 0 } cmd ? cmd : null,
                EncoderLog = log.Writer,
            }, timeProvider: options.Time);
        }

        private void WriteTestOrder(IReadOnlyList<ScheduledModule> modules) =>
            ResultFiles.WriteJsonAtomically(Path.Combine(results, "test_order.json"), new TestOrder(modules.Select(m => new TestOrderEntry(m.Name, m.Category, FlagsJson(((TestModule)Activator.CreateInstance(m.Type)!).Flags), m.Script)).ToList()));

        private static Dictionary<string, int> FlagsJson(ModuleFlags flags)
        {
            var json = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (flag, name) in new[] { (ModuleFlags.Fatal, "fatal"), (ModuleFlags.IgnoreFailure, "ignore_failure"), (ModuleFlags.AlwaysRun, "always_run"), (ModuleFlags.Milestone, "milestone") })
            {
                if (flags.HasFlag(flag))
                {
                    json[name] = 1;
                }
            }

            return json;
        }

        /// <summary>Runs the modules on a dedicated thread (the test API is synchronous); returns why the job died, or null.</summary>
        private Task<StopReason?> RunModulesOnTestThread(IReadOnlyList<ScheduledModule> modules, TestContext context, string needlesDir, Action<string> started)
        {
            var done = new TaskCompletionSource<StopReason?>(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                try
                {
                    done.SetResult(RunModules(modules, context, needlesDir, started));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    done.SetException(e);
                }
            })
            { Name = "tests", IsBackground = true };
            thread.Start();
            return done.Task;
        }

        private StopReason? RunModules(IReadOnlyList<ScheduledModule> modules, TestContext context, string needlesDir, Action<string> started)
        {
            var fatalFailure = false;
            StopReason? died = null;
            foreach (var scheduled in modules)
            {
                var module = (TestModule)Activator.CreateInstance(scheduled.Type)!;
                var result = new ModuleResult(scheduled.Name, results, needlesDir, _pngWritten);
                if (died is not null || (fatalFailure && !module.Flags.HasFlag(ModuleFlags.AlwaysRun)))
                {
                    result.SetResult(died is not null ? "canceled" : "skip");
                    result.Save();
                    continue;
                }

                module.Name = scheduled.Name;
                module.Context = context;
                context.Module = result;
                started(scheduled.Name);
                log.Write("tests", $"||| starting {scheduled.Name} {scheduled.Script}");
                var begin = options.Time.GetTimestamp();
                var failed = false;
                try
                {
                    module.Run();
                }
                catch (JobStoppedException)
                {
                    died = stop.Reason;
                    KeepLastScreenshot(context);
                    result.RecordText("Stopped", $"# Job stopped:\n{stop.Reason?.Message}\n", "fail");
                    result.SetResult("canceled");
                }
                catch (BackendDiedException e)
                {
                    died = BackendReason(e.Failure);
                    result.RecordFailure("Backend died", $"# {e.Failure.Reason}\n{e.Failure.Detail}\n");
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // An assert that failed, or a bug in the test code: the module fails, the job goes on.
                    failed = true;
                    var message = e is TestFailedException ? e.Message : $"{e.GetType().Name}: {e.Message}\n{e.StackTrace}";
                    log.Write("tests", $"{scheduled.Name} failed: {e.Message}");
                    TryDocumentFailure(context, result, message);
                    RunPostFailHook(module, scheduled.Name);
                }

                result.ExecutionTime = options.Time.GetElapsedTime(begin).TotalSeconds;
                if (result.Result is null)
                {
                    result.SetResult("ok");
                }

                result.Save();
                log.Write("tests", $"||| finished {scheduled.Name} {scheduled.Category} (runtime: {result.ExecutionTime.ToString("F0", CultureInfo.InvariantCulture)} s): {result.Result}");
                if (failed && module.Flags.HasFlag(ModuleFlags.Fatal))
                {
                    fatalFailure = true;
                    log.Write("tests", $"{scheduled.Name} is fatal: the remaining modules are skipped");
                }
            }

            context.Module = null;
            return died;
        }

        private void TryDocumentFailure(TestContext context, ModuleResult result, string message)
        {
            try
            {
                result.RecordFailure("Failed", $"# Test died: {message}\n");
                context.RecordFailureScreenshot();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.Write("tests", $"could not record the failure: {e.Message}");
            }
        }

        /// <summary>The screen when the job was stopped (for slowness: the last frame before the stall).</summary>
        private void KeepLastScreenshot(TestContext context)
        {
            try
            {
                context.RecordFailureScreenshot();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.Write("tests", $"could not keep the last screenshot: {e.Message}");
            }
        }

        private void RunPostFailHook(TestModule module, string name)
        {
            try
            {
                module.PostFailHook();
            }
            catch (Exception e) when (e is not OutOfMemoryException and not JobStoppedException and not BackendDiedException)
            {
                log.Write("tests", $"post_fail_hook of {name} failed: {e.Message}");
            }
        }

        private static StopReason BackendReason(BackendFailure failure)
        {
            const string prefix = "backend died: ";
            var message = failure.Reason.StartsWith(prefix, StringComparison.Ordinal) ? failure.Reason[prefix.Length..] : failure.Reason;
            return new StopReason("backend", message);
        }
    }
}
