using System.Text.RegularExpressions;
using Needlework.Imaging.Frames;
using Needlework.Imaging.Needles;
using Needlework.Runner.Backends;
using Needlework.Runner.Capture;
using Needlework.Runner.Results;
using Needlework.Runner.Variables;

namespace Needlework.Runner.Testing;

/// <summary>
/// The engine behind the test API: one per job, used from the test thread. It waits on frames from the
/// capture loop, searches needles, drives the backend, and records every step in the current module's
/// results. Every wait observes the job's stop request.
/// </summary>
internal sealed class TestContext
{
    private static readonly TimeSpan FullSearchPeriod = TimeSpan.FromSeconds(5);
    private readonly ISutBackend _backend;
    private readonly FrameStore _frames;
    private readonly NeedleSet _needles;
    private readonly TimeProvider _time;
    private readonly RunnerLog _log;
    private readonly StopRequest _stop;
    private readonly SerialConsole _serial;
    private readonly string _resultsDirectory;
    private (int X, int Y) _mouse = (-1, -1);

    public TestContext(ISutBackend backend, FrameStore frames, NeedleSet needles, JobVariables variables, TimeProvider time, RunnerLog log, StopRequest stop, string resultsDirectory)
    {
        _backend = backend;
        _frames = frames;
        _needles = needles;
        Variables = variables;
        _time = time;
        _log = log;
        _stop = stop;
        _serial = new SerialConsole(backend.SerialLogPath);
        _resultsDirectory = resultsDirectory;
    }

    public JobVariables Variables { get; }

    /// <summary>Told how long each needle search took, as it happens, for the statistics.</summary>
    public Action<TimeSpan>? SearchMeasured { get; set; }

    /// <summary>Told how long the SUT took to react on screen to an action (WaitScreenChange), for the statistics.</summary>
    public Action<TimeSpan>? ResponseMeasured { get; set; }

    public ModuleResult? Module { get; set; }

    public NeedleCandidate? LastMatch { get; private set; }

    /// <summary>Needle searches so far, for the job's log; the statistics get each one through <see cref="SearchMeasured"/>.</summary>
    public int Searches { get; private set; }

    /// <summary>Time spent in those searches, in milliseconds.</summary>
    public double SearchMilliseconds { get; private set; }

    private ModuleResult Current => Module ?? throw new InvalidOperationException("the test API is used outside a test module");

    public TimeSpan Scale(double seconds) => TimeSpan.FromSeconds(seconds * Variables.TimeoutScale);

    public NeedleCandidate? CheckOrAssert(IReadOnlyList<string> tagsOrNames, double timeoutSeconds, bool mustMatch)
    {
        var candidates = Resolve(tagsOrNames);
        var label = string.Join(" ", tagsOrNames);
        var what = mustMatch ? "assert_screen" : "check_screen";
        if (candidates.Count == 0)
        {
            var message = $"{what}: no candidate needle with tag(s) '{label}'";
            _log.Write("test", message);
            if (mustMatch)
            {
                RecordFailure(tagsOrNames, [], "fail");
                throw new TestFailedException(message);
            }

            return null;
        }

        var deadline = _time.GetTimestamp() + (long)(Scale(timeoutSeconds).TotalSeconds * _time.TimestampFrequency);
        var lastFullSearch = _time.GetTimestamp();
        CapturedFrame? checkedFrame = null;
        var checkedRatio = 0.0;
        while (true)
        {
            var frame = _frames.Latest ?? WaitForFrame(-1, TimeSpan.FromSeconds(10)) ?? throw new TestFailedException($"{what}: no screen captured from the SUT");
            var now = _time.GetTimestamp();
            var final = now >= deadline;

            // As os-autoinst: the whole screen is searched about every five seconds and on the last check, in between
            // only near each area. A screen that has not changed where the search looks (a blinking cursor elsewhere,
            // or not at all) is not searched again at the same ratio: the search would find what it found before.
            var full = final || _time.GetElapsedTime(lastFullSearch, now) >= FullSearchPeriod;
            var ratio = full ? NeedleSearch.FullRatio : NeedleSearch.NormalRatio;
            if (!final && checkedFrame is not null && checkedRatio >= ratio && !ChangedWhereSearched(checkedFrame.Frame, frame.Frame, candidates, ratio))
            {
                WaitForFrame(frame.Number, RemainingUntil(deadline));
                continue;
            }

            if (full)
            {
                lastFullSearch = now;
            }

            var started = _time.GetTimestamp();
            // Only the last check's failure is recorded: the ones before it need only say whether something passes.
            var result = NeedleSearch.Search(frame.Frame, candidates, ratio, final ? SearchDetail.Full : SearchDetail.IfFound);
            var searched = _time.GetElapsedTime(started);
            var elapsed = searched.TotalMilliseconds;
            Searches++;
            SearchMilliseconds += elapsed;
            SearchMeasured?.Invoke(searched);
            _log.Write("needles", $"checked {candidates.Count} needle(s) for '{label}' on frame {frame.Number} ({(full ? "whole screen" : "near each area")}): {elapsed:F1} ms");
            (checkedFrame, checkedRatio) = (frame, ratio);
            if (result.Best is { } best)
            {
                LastMatch = best;
                var area = best.Areas[^1];
                _log.Write("test", $"found {best.Needle.Name}, similarity {area.Similarity:F2} @ {area.X}/{area.Y}");
                Current.RecordMatch(Info(frame), best, tagsOrNames, result.Candidates);
                return best;
            }

            if (final)
            {
                _log.Write("test", $"{what}: no candidate needle with tag(s) '{label}' matched after {timeoutSeconds} s");
                RecordFailure(tagsOrNames, result.Candidates, mustMatch ? "fail" : "unk", frame);
                if (mustMatch)
                {
                    throw new TestFailedException($"no candidate needle with tag(s) '{label}' matched");
                }

                return null;
            }

            WaitForFrame(frame.Number, RemainingUntil(deadline));
        }
    }

    private static bool ChangedWhereSearched(Frame checkedFrame, Frame frame, IReadOnlyList<Needle> candidates, double ratio) =>
        checkedFrame.TryGetDifference(frame, out var changed) && NeedleSearch.Reaches(candidates, ratio, changed, frame.Width, frame.Height);

    public void SendKey(string key)
    {
        _log.Write("test", $"send_key '{key}'");
        Do(ct => _backend.SendKeyAsync(key, ct));
    }

    public void TypeString(string text, int maxInterval, bool secret)
    {
        _log.Write("test", secret ? "type_string (secret)" : $"type_string '{text}'");
        if (maxInterval >= 250)
        {
            Do(ct => _backend.TypeStringAsync(text, ct));
            return;
        }

        // A keystroke speed limit, in keys per second, for SUTs that drop fast input.
        var pause = TimeSpan.FromSeconds(1.0 / Math.Max(1, maxInterval));
        foreach (var c in text)
        {
            Do(ct => _backend.TypeStringAsync(c.ToString(), ct));
            Sleep(pause);
        }
    }

    public bool WaitScreenChange(Action action, double timeoutSeconds, double similarityLevel)
    {
        var reference = _frames.Latest ?? WaitForFrame(-1, TimeSpan.FromSeconds(10));
        action();
        var acted = _time.GetTimestamp();
        var deadline = _time.GetTimestamp() + (long)(Scale(timeoutSeconds).TotalSeconds * _time.TimestampFrequency);
        var last = reference?.Number ?? -1;
        while (_time.GetTimestamp() < deadline)
        {
            var frame = WaitForFrame(last, RemainingUntil(deadline));
            if (frame is null)
            {
                break;
            }

            last = frame.Number;
            if (reference is null || FrameSimilarity.Psnr(reference.Frame, frame.Frame) < similarityLevel)
            {
                var response = _time.GetElapsedTime(acted);
                ResponseMeasured?.Invoke(response);
                _log.Write("test", $"screen change seen after {response.TotalSeconds:F2} s");
                return true;
            }
        }

        _log.Write("test", $"wait_screen_change timed out after {timeoutSeconds} s");
        return false;
    }

    public bool WaitStillScreen(double stillSeconds, double timeoutSeconds, double similarityLevel)
    {
        var deadline = _time.GetTimestamp() + (long)(Scale(timeoutSeconds).TotalSeconds * _time.TimestampFrequency);
        var reference = _frames.Latest ?? WaitForFrame(-1, TimeSpan.FromSeconds(10));
        var stillSince = _time.GetTimestamp();
        var last = reference?.Number ?? -1;
        while (_time.GetTimestamp() < deadline)
        {
            if (_time.GetElapsedTime(stillSince).TotalSeconds >= stillSeconds)
            {
                _log.Write("test", $"detected same image for {stillSeconds} seconds");
                return true;
            }

            var frame = WaitForFrame(last, RemainingUntil(deadline));
            if (frame is null)
            {
                continue;
            }

            last = frame.Number;
            if (reference is null || FrameSimilarity.Psnr(reference.Frame, frame.Frame) < similarityLevel)
            {
                reference = frame;
                stillSince = _time.GetTimestamp();
            }
        }

        _log.Write("test", $"wait_still_screen timed out after {timeoutSeconds} s");
        return false;
    }

    public void MouseSet(int x, int y)
    {
        _mouse = (x, y);
        Do(ct => _backend.MoveMouseAsync(x, y, ct));
    }

    public void MouseClick(MouseButton button, double holdSeconds, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Do(ct => _backend.MouseButtonAsync(button, true, ct));
            Sleep(TimeSpan.FromSeconds(holdSeconds));
            Do(ct => _backend.MouseButtonAsync(button, false, ct));
            if (i + 1 < times)
            {
                Sleep(TimeSpan.FromSeconds(holdSeconds));
            }
        }
    }

    public void MouseDrag(int fromX, int fromY, int toX, int toY, MouseButton button)
    {
        MouseSet(fromX, fromY);
        Do(ct => _backend.MouseButtonAsync(button, true, ct));
        Sleep(TimeSpan.FromSeconds(0.25));
        MouseSet(toX, toY);
        Sleep(TimeSpan.FromSeconds(0.25));
        Do(ct => _backend.MouseButtonAsync(button, false, ct));
    }

    public (int X, int Y) MousePosition => _mouse;

    public string? WaitSerial(Regex pattern, double timeoutSeconds, bool expectNotFound, bool record)
    {
        var deadline = _time.GetTimestamp() + (long)(Scale(timeoutSeconds).TotalSeconds * _time.TimestampFrequency);
        Match? match;
        while ((match = _serial.TryMatch(pattern)) is null && _time.GetTimestamp() < deadline)
        {
            Sleep(TimeSpan.FromMilliseconds(100));
        }

        var found = match is not null;
        var ok = found != expectNotFound;
        if (record)
        {
            var output = found ? match!.Value : _serial.Unconsumed();
            Current.RecordText("wait_serial", $"# wait_serial expected: {pattern}\n# Result:\n{output}\n", ok ? "ok" : "fail");
        }

        _log.Write("test", $"wait_serial {pattern}: {(found ? "found" : "not found")}");
        return match?.Value;
    }

    public int? ScriptRun(string command, double timeoutSeconds, string serialDevice)
    {
        var marker = "SR" + SecureRandomText.Hex(4);
        TypeString($"{command}; echo {marker}-$?- > /dev/{serialDevice}\n", 250, secret: false);
        var found = WaitSerial(new Regex($"{marker}-(\\d+)-", RegexOptions.CultureInvariant), timeoutSeconds, expectNotFound: false, record: false);
        return found is null ? null : int.Parse(Regex.Match(found, @"-(\d+)-").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public void UploadLogs(string file, double timeoutSeconds, string serialDevice, bool failOk)
    {
        var marker = "UL" + SecureRandomText.Hex(4);
        TypeString($"(echo {marker}-begin; cat {file}; echo {marker}-end-$?-) > /dev/{serialDevice}\n", 250, secret: false);
        var pattern = new Regex($"{marker}-begin\\r?\\n(?<content>[\\s\\S]*?){marker}-end-(?<code>\\d+)-", RegexOptions.CultureInvariant);
        var found = WaitSerial(pattern, timeoutSeconds, expectNotFound: false, record: false);
        var match = found is null ? null : pattern.Match(found);
        if (match is null || match.Groups["code"].Value != "0")
        {
            if (failOk)
            {
                Current.RecordSoftFailure($"upload_logs {file} failed");
                return;
            }

            throw new TestFailedException($"upload_logs: could not upload {file}");
        }

        var directory = Path.Combine(Path.GetDirectoryName(_resultsDirectory)!, "ulogs");
        Directory.CreateDirectory(directory);
        var name = $"{Current.Name}-{Path.GetFileName(file)}";
        File.WriteAllText(Path.Combine(directory, name), match.Groups["content"].Value);
        _log.Write("test", $"uploaded {file} as ulogs/{name}");
    }

    public void Power(PowerAction action)
    {
        _log.Write("test", $"power {action}");
        Do(ct => _backend.PowerAsync(action, ct));
    }

    public bool WaitShutdown(double timeoutSeconds)
    {
        var deadline = _time.GetTimestamp() + (long)(Scale(timeoutSeconds).TotalSeconds * _time.TimestampFrequency);
        while (_backend.IsAlive && _time.GetTimestamp() < deadline)
        {
            Sleep(TimeSpan.FromMilliseconds(200));
        }

        return !_backend.IsAlive && _backend.Failure is null;
    }

    public void SaveScreenshot()
    {
        var frame = _frames.Latest ?? WaitForFrame(-1, TimeSpan.FromSeconds(10));
        if (frame is not null)
        {
            Current.RecordScreenshot(Info(frame));
        }
    }

    /// <summary>Documents a failure with the latest screen, as os-autoinst does after a failed step.</summary>
    public void RecordFailureScreenshot()
    {
        if (Module is not null && _frames.Latest is { } frame)
        {
            Module.RecordScreenshot(Info(frame), "fail");
        }
    }

    public void Sleep(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            ThrowIfStopped();
            return;
        }

        try
        {
            Task.Delay(delay, _time, _stop.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            ThrowIfStopped();
            throw;
        }
    }

    public void ThrowIfStopped()
    {
        if (_stop.Reason is { } reason)
        {
            throw new JobStoppedException(reason.Message);
        }

        if (!_backend.IsAlive && _backend.Failure is { } failure)
        {
            throw new BackendDiedException(failure);
        }
    }

    /// <summary>
    /// os-autoinst's lookup: each entry is a tag expression whose space-separated tags a needle must all have,
    /// and the entries are alternatives (any may match). An entry that names a needle selects that needle.
    /// </summary>
    private List<Needle> Resolve(IReadOnlyList<string> tagsOrNames)
    {
        var result = new List<Needle>();
        foreach (var entry in tagsOrNames)
        {
            var tags = entry.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            result.AddRange(_needles.WithTags(tags));
            if (_needles.ByName(entry) is { } named)
            {
                result.Add(named);
            }
        }

        return result.Distinct().ToList();
    }

    private void RecordFailure(IReadOnlyList<string> tags, IEnumerable<NeedleCandidate> candidates, string result, CapturedFrame? frame = null)
    {
        frame ??= _frames.Latest;
        if (frame is not null)
        {
            Current.RecordScreenFailure(Info(frame), tags, candidates, result, affectsModule: result == "fail");
        }
    }

    private CapturedFrame? WaitForFrame(long afterNumber, TimeSpan timeout)
    {
        ThrowIfStopped();
        if (timeout <= TimeSpan.Zero)
        {
            return null;
        }

        try
        {
            return _frames.NextAsync(afterNumber, _stop.Token).WaitAsync(timeout, _time).GetAwaiter().GetResult();
        }
        catch (TimeoutException)
        {
            ThrowIfStopped();
            return null;
        }
        catch (OperationCanceledException)
        {
            ThrowIfStopped();
            throw;
        }
    }

    private TimeSpan RemainingUntil(long deadline)
    {
        var now = _time.GetTimestamp();
        return now >= deadline ? TimeSpan.Zero : _time.GetElapsedTime(now, deadline);
    }

    private void Do(Func<CancellationToken, Task> action)
    {
        ThrowIfStopped();
        try
        {
            action(_stop.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            ThrowIfStopped();
            throw;
        }
    }

    private static CapturedFrameInfo Info(CapturedFrame frame) => new(frame.Frame, frame.Number);
}
