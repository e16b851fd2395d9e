using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Needlework.Runner.Capture;
using Needlework.Runner.Results;
using Needlework.Runner.Testing;

namespace Needlework.Runner.Slowness;

/// <summary>
/// Watches a job for slowness from start to end: every capture tick (on the capture thread, so it only
/// records), and once a second on a timer, where it samples the host, the runner and the SUT, appends to the
/// timeline, checks the policy's limits and rewrites stats.json now and then. A limit that trips asks the job
/// to stop through <see cref="StopRequest"/> with component <c>backend</c>, a category from
/// <see cref="SlownessClassifier"/>, a message starting "too slow:" and the summary as statistics.
/// The timer, not the capture, notices a stall: a frozen SUT blocks the capture thread inside its capture.
/// </summary>
public sealed class SlownessMonitor : ICaptureObserver, IDisposable
{
    private const int KeptStalls = 20;
    private const int MinFactorCaptures = 10;

    private readonly SlownessMonitorOptions _options;
    private readonly SlownessPolicy _policy;
    private readonly StopRequest _stop;
    private readonly RunnerLog? _log;
    private readonly TimeProvider _time;
    private readonly HostSampler _sampler;
    private readonly long _stallGapTicks;
    private readonly long _warnGapTicks;

    // Capture-side state and the timeline, shared by the capture thread, the timer and readers.
    private readonly Lock _lock = new();
    private readonly List<float> _intervals = [];
    private readonly List<float> _latencies = [];
    private readonly List<long> _latencyTimes = [];
    private readonly List<StallSpan> _stalls = [];
    private readonly List<SlownessSample> _timeline = [];
    private readonly SampleSeries _needleSearches = new();
    private readonly SampleSeries _pngEncodes = new();
    private readonly SampleSeries _responses = new();

    // One tick at a time; Complete waits for a tick in flight. stats.json is written only under this lock.
    private readonly Lock _tickLock = new();

    // The timeline samples already in stats.json, as its JSON: the timeline only grows, so each rewrite serializes
    // only the new seconds (a 2 h job has 7,200 of them, rewritten every 15 s).
    private readonly ArrayBufferWriter<byte> _timelineJson = new(4096);
    private int _timelineWritten;
    private ITimer? _timer;
    private long _start;
    private long _lastTick;
    private long _lastWrite;
    private long _lastFrame;
    private bool _sawFrame;
    private long _captures;
    private long _frames;
    private long _failures;
    private int _secondFrames;
    private int _secondFailures;
    private float _secondMaxLatency = -1;
    private double? _baselineMs;
    private bool _warnedThisStall;
    private long _warnings;
    private double _runnerCpuS;
    private double _sutCpuS;
    private long? _videoQueueMax;
    private CapturedFrame? _lastCaptured;
    private StopReason? _verdict;
    private bool _completed;
    private bool _sampleErrorLogged;

    public SlownessMonitor(SlownessMonitorOptions options, StopRequest stop, RunnerLog? log, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _policy = options.Policy;
        _stop = stop;
        _log = log;
        _time = time;
        _sampler = new HostSampler(options.SutProcessId);
        _stallGapTicks = Ticks(_policy.StallGap);
        _warnGapTicks = Ticks(_policy.WarnGap);
    }

    /// <summary>The stop this monitor requested, once a limit tripped.</summary>
    public StopReason? Verdict => Volatile.Read(ref _verdict);

    /// <summary>The last frame captured: the screen as it was before a stall, to keep as the job's last screenshot.</summary>
    public CapturedFrame? LastFrame => Volatile.Read(ref _lastCaptured);

    /// <summary>Starts the clock and the once-a-second sampler; call it just before the capture loop starts.</summary>
    public void Start()
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            _start = _lastFrame = _lastTick = _lastWrite = now;
        }

        _sampler.Sample(_options.SampleInterval.TotalSeconds);
        _timer = _time.CreateTimer(_ => Tick(), null, _options.SampleInterval, _options.SampleInterval);
        var policy = _policy.Enforcing
            ? $"stop when {Describe(_policy)}"
            : "no limit set (NEEDLEWORK_MAX_STALL, NEEDLEWORK_MAX_STALLED_PERCENT, NEEDLEWORK_SLOWNESS_FACTOR): measuring and warning only";
        _log?.Write("slowness", $"monitoring capture every {_policy.Interval.TotalSeconds:0.###} s, stalls from {_policy.StallGap.TotalSeconds:0.#} s; {policy}");
    }

    public void OnCapture(CapturedFrame? frame, long scheduled, long started, long finished, bool changed)
    {
        var latency = (float)_time.GetElapsedTime(started, finished).TotalMilliseconds;
        double? endedStall = null;
        lock (_lock)
        {
            _captures++;
            _latencies.Add(latency);
            _latencyTimes.Add(finished);
            _secondMaxLatency = Math.Max(_secondMaxLatency, latency);
            if (_baselineMs is null && _latencies.Count == SlownessPolicy.WarmUpCaptures + SlownessPolicy.BaselineCaptures)
            {
                var first = _latencies.GetRange(SlownessPolicy.WarmUpCaptures, SlownessPolicy.BaselineCaptures).ToArray();
                _baselineMs = Math.Max(TimingSummary.Of(first).P50, _policy.BaselineFloor.TotalMilliseconds);
            }

            if (frame is null)
            {
                _failures++;
                _secondFailures++;
                return;
            }

            _frames++;
            _secondFrames++;
            var gap = finished - _lastFrame;
            if (_sawFrame)
            {
                _intervals.Add((float)(gap * 1000.0 / _time.TimestampFrequency));
            }

            if (gap > _stallGapTicks)
            {
                _stalls.Add(new StallSpan(_lastFrame, finished));
                if (_warnedThisStall)
                {
                    endedStall = gap / (double)_time.TimestampFrequency;
                }
            }

            _sawFrame = true;
            _lastFrame = Math.Max(_lastFrame, finished);
            _warnedThisStall = false;
            Volatile.Write(ref _lastCaptured, frame);
        }

        if (endedStall is { } seconds)
        {
            _log?.Write("slowness", $"the stall ended after {seconds:0.0} s");
        }
    }

    /// <summary>One needle search (one check of assert_screen or check_screen).</summary>
    public void AddNeedleSearch(TimeSpan elapsed) => _needleSearches.Add(elapsed.TotalMilliseconds);

    /// <summary>PNG encode time of one result screenshot.</summary>
    public void AddPngEncode(TimeSpan elapsed) => _pngEncodes.Add(elapsed.TotalMilliseconds);

    /// <summary>SUT responsiveness: from input sent (a key) to the screen changing, where the test waits for it.</summary>
    public void AddResponse(TimeSpan elapsed) => _responses.Add(elapsed.TotalMilliseconds);

    /// <summary>The summary so far.</summary>
    public SlownessSummary GetSummary()
    {
        var verdict = Verdict;
        return Summarise(_time.GetTimestamp(), verdict?.Category, verdict?.Message);
    }

    /// <summary>Stops sampling, writes stats.json a last time and returns the summary. Safe to call more than once.</summary>
    public SlownessSummary Complete()
    {
        _timer?.Dispose();
        lock (_tickLock)
        {
            _completed = true;
            var summary = GetSummary();
            WriteStats(summary);
            if (summary.Stalls.Count > 0)
            {
                _log?.Write("slowness", $"{summary.Stalls.Count} stall(s), {summary.Stalls.StalledS:0.0} s stalled, longest {summary.Stalls.LongestS:0.0} s");
            }

            return summary;
        }
    }

    public void Dispose() => _timer?.Dispose();

    /// <summary>The timer's work, public for tests that drive a fake clock.</summary>
    internal void Tick()
    {
        if (!_tickLock.TryEnter())
        {
            return;
        }

        try
        {
            if (!_completed)
            {
                TickCore();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The monitor must never take the job down; say it once and keep sampling.
            if (!_sampleErrorLogged)
            {
                _sampleErrorLogged = true;
                _log?.Write("slowness", $"sampling failed: {e.GetType().Name}: {e.Message}");
            }
        }
        finally
        {
            _tickLock.Exit();
        }
    }

    private void TickCore()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastTick, now);
        _lastTick = now;
        var late = Math.Max(0, (elapsed - _options.SampleInterval).TotalMilliseconds);
        var host = _sampler.Sample(elapsed.TotalSeconds);
        var running = _options.SutRunning();
        var video = _options.Video?.GetStatistics();

        double gapSeconds;
        bool stalled;
        lock (_lock)
        {
            if (!running)
            {
                // A SUT that is off sends no frames and nobody waits for them: no stall.
                _lastFrame = now;
            }

            var gap = now - _lastFrame;
            gapSeconds = gap / (double)_time.TimestampFrequency;
            stalled = gap > _stallGapTicks;
            long? queue = video is null ? null : Math.Max(0, _frames - video.VideoFrames - video.FramesDropped);
            if (queue > (_videoQueueMax ?? -1))
            {
                _videoQueueMax = queue;
            }

            _timeline.Add(new SlownessSample(
                Math.Round(_time.GetElapsedTime(_start, now).TotalSeconds, 2),
                _secondFrames,
                _secondFailures,
                Math.Round(gapSeconds, 2),
                stalled,
                _secondMaxLatency < 0 ? null : Math.Round(_secondMaxLatency, 1),
                host.Load,
                host.Runnable,
                host.HostBusy,
                host.Steal,
                host.CpuPressure,
                host.RunnerCpu,
                host.RunnerWait,
                host.SutCpu,
                host.SutWait,
                host.SutState is { } state ? StateText(state) : null,
                Math.Round(late, 1),
                queue,
                video?.FramesDropped));
            (_secondFrames, _secondFailures, _secondMaxLatency) = (0, 0, -1);
            _runnerCpuS += (host.RunnerCpu ?? 0) / 100 * elapsed.TotalSeconds;
            _sutCpuS += (host.SutCpu ?? 0) / 100 * elapsed.TotalSeconds;
        }

        if (running)
        {
            WarnOfStall(gapSeconds);
            if (_policy.Enforcing && Verdict is null)
            {
                Evaluate(now, gapSeconds);
            }
        }

        if (_options.StatsPath is not null && _time.GetElapsedTime(_lastWrite, now) >= _options.StatsWriteInterval)
        {
            _lastWrite = now;
            WriteStats(GetSummary());
        }
    }

    private void WarnOfStall(double gapSeconds)
    {
        bool warn;
        lock (_lock)
        {
            warn = !_warnedThisStall && gapSeconds * _time.TimestampFrequency > _warnGapTicks;
            _warnedThisStall |= warn;
        }

        if (warn)
        {
            Interlocked.Increment(ref _warnings);
            var diagnosis = SlownessClassifier.Classify(EvidenceSince(gapSeconds));
            _log?.Write("slowness", $"WARNING: there is some problem with your environment, we detected a stall for {gapSeconds:0.#} seconds ({diagnosis.Category}: {diagnosis.Explanation})");
        }
    }

    private void Evaluate(long now, double gapSeconds)
    {
        if (_policy.MaxStall is { } maxStall && gapSeconds > maxStall.TotalSeconds)
        {
            Trip($"no frame for {gapSeconds:0.0} s (limit {Seconds(maxStall)} s)", EvidenceSince(gapSeconds));
            return;
        }

        var window = _policy.EffectiveWindow;
        var windowStart = now - Ticks(window);
        if (_policy.MaxStalledPercent is { } maxPercent)
        {
            var share = StalledTicks(windowStart, now) * 100.0 / Ticks(window);
            if (share > maxPercent)
            {
                Trip($"{share:0}% of the last {Seconds(window)} s stalled (limit {maxPercent:0.#}%)", EvidenceOfStalls(window));
                return;
            }
        }

        if (_policy.Factor is { } factor && MedianLatencySince(windowStart) is { } median && _baselineMs is { } baseline && median > factor * baseline)
        {
            Trip(
                $"median capture latency {median:0} ms over the last {Seconds(window)} s is {median / baseline:0.0}x the baseline of {baseline:0} ms (limit {factor:0.##}x)",
                EvidenceOver(window.TotalSeconds));
        }
    }

    private void Trip(string limit, SlownessEvidence evidence)
    {
        var diagnosis = SlownessClassifier.Classify(evidence);
        var message = $"too slow: {limit}, {diagnosis.Explanation}";
        var summary = Summarise(_time.GetTimestamp(), diagnosis.Category, message);
        var reason = new StopReason("backend", message, diagnosis.Category, summary);
        if (Interlocked.CompareExchange(ref _verdict, reason, null) is not null)
        {
            return;
        }

        _log?.Write("slowness", $"backend {message} [{diagnosis.Category}]");

        // stats.json holds the verdict before anyone hears of the stop: the runner and the worker read it next.
        WriteStats(summary);
        if (!_stop.Request(reason))
        {
            _log?.Write("slowness", $"the job was already stopping: {_stop.Reason?.Message}");
        }
    }

    /// <summary>Evidence from the samples of the last <paramref name="seconds"/> (at least the last three): what the host did during a stall.</summary>
    private SlownessEvidence EvidenceSince(double seconds) => EvidenceOver(Math.Max(seconds, 3 * _options.SampleInterval.TotalSeconds));

    private SlownessEvidence EvidenceOver(double seconds)
    {
        List<SlownessSample> samples;
        lock (_lock)
        {
            var from = _timeline.Count == 0 ? 0 : _timeline[^1].T - seconds;
            samples = _timeline.FindAll(s => s.T >= from);
        }

        return SlownessEvidence.From(samples, _options.CpuCount);
    }

    /// <summary>Evidence from the stalled samples of the window, or the last few when none is marked.</summary>
    private SlownessEvidence EvidenceOfStalls(TimeSpan window)
    {
        List<SlownessSample> samples;
        lock (_lock)
        {
            var from = _timeline.Count == 0 ? 0 : _timeline[^1].T - window.TotalSeconds;
            samples = _timeline.FindAll(s => s.T >= from && s.Stalled);
        }

        return samples.Count > 0 ? SlownessEvidence.From(samples, _options.CpuCount) : EvidenceSince(0);
    }

    private long StalledTicks(long from, long now)
    {
        lock (_lock)
        {
            long total = 0;
            for (var i = _stalls.Count - 1; i >= 0 && _stalls[i].End > from; i--)
            {
                total += _stalls[i].End - Math.Max(_stalls[i].Start, from);
            }

            if (now - _lastFrame > _stallGapTicks)
            {
                total += now - Math.Max(_lastFrame, from);
            }

            return total;
        }
    }

    private double? MedianLatencySince(long from)
    {
        lock (_lock)
        {
            var index = _latencyTimes.BinarySearch(from);
            index = index < 0 ? ~index : index;
            var count = _latencies.Count - index;
            if (count < MinFactorCaptures)
            {
                return null;
            }

            var window = _latencies.GetRange(index, count).ToArray();
            return TimingSummary.Of(window).P50;
        }
    }

    private SlownessSummary Summarise(long now, string? category, string? message)
    {
        float[] intervals;
        float[] latencies;
        StallSummary stalls;
        HostSummary host;
        long captures, frames, failures;
        double? baseline;
        long? queueMax;
        lock (_lock)
        {
            intervals = [.. _intervals];
            latencies = [.. _latencies];
            (captures, frames, failures, baseline, queueMax) = (_captures, _frames, _failures, _baselineMs, _videoQueueMax);
            stalls = SummariseStalls(now);
            host = SummariseHost();
        }

        return new SlownessSummary(
            Math.Round(_time.GetElapsedTime(_start, now).TotalSeconds, 2),
            _policy.Interval.TotalSeconds,
            captures,
            frames,
            failures,
            TimingSummary.Of(intervals),
            TimingSummary.Of(latencies),
            baseline is { } b ? Math.Round(b, 2) : null,
            stalls,
            _needleSearches.Summarise(),
            _pngEncodes.Summarise(),
            _responses.Summarise(),
            queueMax,
            _options.Video?.GetStatistics(),
            host,
            _policy.MaxStall?.TotalSeconds,
            _policy.MaxStalledPercent,
            _policy.EffectiveWindow.TotalSeconds,
            _policy.Factor,
            Interlocked.Read(ref _warnings),
            category,
            message);
    }

    private StallSummary SummariseStalls(long now)
    {
        var all = new List<StallSpan>(_stalls);
        if (now - _lastFrame > _stallGapTicks)
        {
            all.Add(new StallSpan(_lastFrame, now));
        }

        double S(long ticks) => Math.Round(ticks / (double)_time.TimestampFrequency, 2);
        var longest = StallSpan.Longest(all, KeptStalls).Select(s => new StallRecord(S(s.Start - _start), S(s.Length))).ToList();
        return new StallSummary(
            all.Count,
            S(TotalLength(all)),
            all.Count == 0 ? 0 : S(all.Max(s => s.Length)),
            _policy.StallGap.TotalSeconds,
            longest);
    }

    private static long TotalLength(List<StallSpan> stalls)
    {
        long total = 0;
        foreach (var stall in stalls)
        {
            total += stall.Length;
        }

        return total;
    }

    private HostSummary SummariseHost()
    {
        var evidence = SlownessEvidence.From(_timeline, _options.CpuCount);
        double? loadMax = null;
        double? stealMax = null;
        // One loop, not LINQ over double: generic code over a value type is compiled again by every job.
        var (loadSum, loads) = (0.0, 0);
        foreach (var s in _timeline)
        {
            loadMax = s.Load > (loadMax ?? double.MinValue) ? s.Load : loadMax;
            stealMax = s.Steal > (stealMax ?? double.MinValue) ? s.Steal : stealMax;
            if (s.Load is { } load)
            {
                (loadSum, loads) = (loadSum + load, loads + 1);
            }
        }

        double? loadMean = loads == 0 ? null : Math.Round(loadSum / loads, 2);

        return new HostSummary(
            _options.CpuCount,
            loadMean,
            loadMax,
            evidence.HostBusy,
            evidence.Steal,
            stealMax,
            evidence.CpuPressure,
            Math.Round(_runnerCpuS, 2),
            evidence.RunnerWait,
            Math.Round(_sutCpuS, 2),
            evidence.SutWait);
    }

    /// <summary>Rewrites stats.json; callers hold <see cref="_tickLock"/>.</summary>
    private void WriteStats(SlownessSummary summary)
    {
        if (_options.StatsPath is not { } path)
        {
            return;
        }

        SlownessSample[] fresh;
        lock (_lock)
        {
            fresh = new SlownessSample[_timeline.Count - _timelineWritten];
            _timeline.CopyTo(_timelineWritten, fresh, 0, fresh.Length);
        }

        StatsDocument.AppendTimeline(_timelineJson, fresh, first: _timelineWritten == 0);
        _timelineWritten += fresh.Length;
        var document = new ArrayBufferWriter<byte>(_timelineJson.WrittenCount + 4096);
        using (var writer = RunnerJson.CompactWriter(document))
        {
            StatsDocument.WriteTo(writer, summary, _timelineJson.WrittenSpan);
        }

        try
        {
            // Renamed into place: the worker may upload stats.json while the job runs.
            var temporary = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temporary, document.WrittenSpan);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log?.Write("slowness", $"could not write {Path.GetFileName(path)}: {e.Message}");
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private static string StateText(char state) => state.ToString();

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Describe(SlownessPolicy policy)
    {
        var parts = new List<string>();
        if (policy.MaxStall is { } stall)
        {
            parts.Add($"no frame for more than {Seconds(stall)} s");
        }

        if (policy.MaxStalledPercent is { } percent)
        {
            parts.Add($"more than {percent:0.#}% of {Seconds(policy.EffectiveWindow)} s stalled");
        }

        if (policy.Factor is { } factor)
        {
            parts.Add($"median capture latency over {Seconds(policy.EffectiveWindow)} s above {factor:0.##}x the job's baseline");
        }

        return string.Join(" or ", parts);
    }
}

/// <summary>
/// One stall in timestamp ticks. A class, not a tuple: LINQ and List over a value type are generic code that
/// cannot be precompiled and would be JIT-compiled in every job.
/// </summary>
internal sealed record StallSpan(long Start, long End)
{
    public long Length => End - Start;

    /// <summary>The <paramref name="count"/> longest stalls (the earlier of equal ones), in time order.</summary>
    public static List<StallSpan> Longest(IEnumerable<StallSpan> stalls, int count)
    {
        var kept = new List<StallSpan>(stalls);
        kept.Sort(static (a, b) => b.Length != a.Length ? b.Length.CompareTo(a.Length) : a.Start.CompareTo(b.Start));
        if (kept.Count > count)
        {
            kept.RemoveRange(count, kept.Count - count);
        }

        kept.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        return kept;
    }
}
