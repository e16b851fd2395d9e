using Needlework.Imaging.Frames;
using Needlework.Imaging.Needles;

namespace Needlework.Runner.Results;

/// <summary>
/// The results of one test module as os-autoinst records them: details in order, an overall result that
/// only gets worse (ok, then softfail, then fail), dents (soft failures) and execution time. Screenshots
/// are written as PNG with thumbnails; the JSON is rewritten after each step so the worker can follow.
/// </summary>
public sealed class ModuleResult
{
    private readonly string _directory;
    private readonly string _needlesDirectory;
    private readonly List<ResultDetail> _details = [];
    private readonly Lock _lock = new();
    private readonly Action<TimeSpan>? _pngWritten;
    private int _count;

    public ModuleResult(string name, string resultsDirectory, string needlesDirectory, Action<TimeSpan>? pngWritten = null)
    {
        _pngWritten = pngWritten;
        Name = name;
        _directory = resultsDirectory;
        _needlesDirectory = needlesDirectory;
    }

    public string Name { get; }

    /// <summary>ok, softfail, fail, or null before anything was recorded; canceled or skip set by the runner.</summary>
    public string? Result { get; private set; }

    public int Dents { get; private set; }

    public double ExecutionTime { get; set; }

    public IReadOnlyList<ResultDetail> Details
    {
        get
        {
            lock (_lock)
            {
                return [.. _details];
            }
        }
    }

    /// <summary>A passing screen check: the needle, its areas and the other candidates.</summary>
    public ResultDetail RecordMatch(CapturedFrameInfo frame, NeedleCandidate match, IReadOnlyList<string> tags, IEnumerable<NeedleCandidate> others)
    {
        var detail = new ResultDetail
        {
            Result = "ok",
            Needle = match.Needle.Name,
            Area = Areas(match),
            Error = match.Error,
            Json = RelativeJson(match.Needle),
            Tags = [.. tags],
            Properties = match.Needle.Properties.Select(p => new ResultProperty(p.Name, p.Value)).ToList(),
            Frametime = frame.FrameTime,
        };
        var candidates = others.Where(c => c != match).Select(Candidate).ToList();
        detail.Needles = candidates.Count > 0 ? candidates : null;
        if (match.Needle.IsWorkaround)
        {
            detail.Result = "softfail";
            detail.Dent = 1;
        }

        AddWithScreenshot(detail, frame.Frame);
        if (match.Needle.IsWorkaround)
        {
            var reason = match.Needle.Properties.First(p => p.Name == Imaging.Needles.NeedleProperty.Workaround).Value ?? WorkaroundFromName(match.Needle.Name);
            RecordSoftFailure($"needle '{match.Needle.Name}' is a workaround: {reason}");
        }

        Worsen("ok");
        return detail;
    }

    /// <summary>A screen check that found nothing: the screenshot and every candidate with its areas.</summary>
    public ResultDetail RecordScreenFailure(CapturedFrameInfo frame, IReadOnlyList<string> tags, IEnumerable<NeedleCandidate> candidates, string result, bool affectsModule)
    {
        var list = candidates.Select(Candidate).ToList();
        var detail = new ResultDetail
        {
            Result = result,
            Tags = [.. tags],
            Needles = list.Count > 0 ? list : null,
            Frametime = frame.FrameTime,
        };
        AddWithScreenshot(detail, frame.Frame);
        if (affectsModule)
        {
            Worsen(result);
        }

        return detail;
    }

    /// <summary>A plain screenshot step (SaveScreenshot, or documentation around a failure).</summary>
    public ResultDetail RecordScreenshot(CapturedFrameInfo frame, string result = "unk")
    {
        var detail = new ResultDetail { Result = result, Frametime = frame.FrameTime };
        AddWithScreenshot(detail, frame.Frame);
        return detail;
    }

    /// <summary>A titled text file as a step (RecordInfo, serial output, uploaded logs).</summary>
    public ResultDetail RecordText(string title, string text, string result = "ok", bool affectsModule = false)
    {
        var name = NextName("txt");
        File.WriteAllText(Path.Combine(_directory, name), text);
        var detail = new ResultDetail { Result = result, Title = title, Text = name };
        Add(detail);
        if (affectsModule)
        {
            Worsen(result);
        }

        return detail;
    }

    /// <summary>A known issue: the module is soft-failed unless it already failed, and counts a dent.</summary>
    public void RecordSoftFailure(string reason)
    {
        RecordText("Soft Failed", $"# Soft Failure:\n{reason}\n", "softfail");
        lock (_lock)
        {
            Dents++;
        }

        Worsen("softfail");
    }

    /// <summary>A failure not tied to a screen (an exception in the test code).</summary>
    public void RecordFailure(string title, string text) => RecordText(title, text, "fail", affectsModule: true);

    public void SetResult(string result)
    {
        lock (_lock)
        {
            Result = result;
        }
    }

    public void Save()
    {
        ModuleResultDocument document;
        lock (_lock)
        {
            document = new ModuleResultDocument(_details.ToList(), Result, Dents, (int)Math.Round(ExecutionTime));
        }

        ResultFiles.WriteJsonAtomically(Path.Combine(_directory, $"result-{Name}.json"), document);
    }

    private void Worsen(string result)
    {
        lock (_lock)
        {
            Result = (Result, result) switch
            {
                (_, "fail") => "fail",
                ("fail", _) => "fail",
                (_, "softfail") => "softfail",
                (null, "ok") => "ok",
                _ => Result,
            };
        }
    }

    private void AddWithScreenshot(ResultDetail detail, Frame frame)
    {
        detail.Screenshot = NextName("png");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        Thumbnail.WriteWithThumbnail(frame, Path.Combine(_directory, detail.Screenshot));
        _pngWritten?.Invoke(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        Add(detail);
    }

    private void Add(ResultDetail detail)
    {
        lock (_lock)
        {
            _details.Add(detail);
        }

        Save();
    }

    private string NextName(string extension) => $"{Name}-{Interlocked.Increment(ref _count)}.{extension}";

    private static List<ResultArea> Areas(NeedleCandidate candidate) =>
        candidate.Areas.Select(a => new ResultArea(a.X, a.Y, a.Width, a.Height, (int)(a.Similarity * 100), a.Passed ? "ok" : "fail", a.ClickPoint)).ToList();

    private ResultCandidate Candidate(NeedleCandidate candidate) =>
        new(candidate.Needle.Name, candidate.Error, Areas(candidate), RelativeJson(candidate.Needle));

    private string RelativeJson(Needle needle) => Path.GetRelativePath(_needlesDirectory, needle.JsonPath);

    /// <summary>openQA reads a bug reference from names like <c>login-bsc1234-20240101</c>.</summary>
    private static string WorkaroundFromName(string name)
    {
        var match = System.Text.RegularExpressions.Regex.Match(name, @"\S+-(bsc|poo|bnc|boo)(\d+)-\S+");
        return match.Success ? $"{match.Groups[1].Value}#{match.Groups[2].Value}" : "(no reason given)";
    }
}
