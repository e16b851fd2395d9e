using BenchmarkDotNet.Attributes;
using Needlework.Imaging.Frames;
using Needlework.Imaging.Needles;

namespace Needlework.Benchmarks;

/// <summary>The imaging hot paths: what the capture loop pays per frame and what a needle check costs.</summary>
[MemoryDiagnoser]
public class ImagingBenchmarks : IDisposable
{
    private readonly MemoryStream _pipe = new(4 * 1024 * 1024);
    private Frame _screen = null!;
    private Frame _changed = null!;
    private Needle _one = null!;
    private IReadOnlyList<Needle> _twenty = null!;

    public static string DataDirectory =>
        Environment.GetEnvironmentVariable("NEEDLEWORK_BENCH_DATA") ?? Path.Combine(Path.GetTempPath(), "needlework-bench-imaging");

    [GlobalSetup]
    public void Setup()
    {
        if (!File.Exists(Path.Combine(DataDirectory, "screen.png")))
        {
            ImagingData.Write(DataDirectory);
        }

        _screen = Png.ReadFile(Path.Combine(DataDirectory, "screen.png"));
        _changed = Png.ReadFile(Path.Combine(DataDirectory, "screen-changed.png"));
        _one = NeedleSet.Load(Path.Combine(DataDirectory, "one")).All.Single();
        _twenty = NeedleSet.Load(Path.Combine(DataDirectory, "twenty")).WithTags("bench");

        // Load the needle images once, as a running job has them cached after the first check.
        _ = NeedleSearch.Search(_screen, _twenty);
        _ = NeedleSearch.Check(_screen, _one);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _pipe.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Description = "PPM write 1024x768")]
    public void PpmWrite()
    {
        // Into a buffer the size of a pipe's share: the cost is the header and one copy of the pixels.
        _pipe.Position = 0;
        Ppm.Write(_screen, _pipe);
    }

    [Benchmark(Description = "PNG encode 1024x768")]
    public byte[] PngEncode() => Png.Encode(_screen);

    /// <summary>The baseline our encoder replaced: OpenCV's (libpng), which also needs the frame as BGR first.</summary>
    [Benchmark(Description = "PNG encode 1024x768, OpenCV")]
    public byte[] PngEncodeOpenCv()
    {
        using var rgb = _screen.AsMat();
        using var bgr = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.CvtColor(rgb, bgr, OpenCvSharp.ColorConversionCodes.RGB2BGR);
        OpenCvSharp.Cv2.ImEncode(".png", bgr, out var png);
        return png;
    }

    [Benchmark(Description = "PSNR of two frames")]
    public double Psnr() => FrameSimilarity.Psnr(_screen, _changed);

    [Benchmark(Description = "search one area 200x50, margin 50")]
    public NeedleCandidate SearchOne() => NeedleSearch.Check(_screen, _one, 0);

    [Benchmark(Description = "search 20 candidate needles")]
    public NeedleSearchResult SearchTwenty() => NeedleSearch.Search(_screen, _twenty, 0);
}
