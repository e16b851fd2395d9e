using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Needlework.Benchmarks;

if (args is ["prepare", var directory])
{
    // Writes the benchmark images, so that other tools (os-autoinst's tinycv) time the same files.
    ImagingData.Write(directory);
    return 0;
}

if (args is ["quick", var threads])
{
    // A quick look without BenchmarkDotNet's minutes: median of 60 searches, with OpenCV's own threads set.
    // The runner's OpenCV settings first, as every path into OpenCV in Needlework.Imaging applies them.
    Needlework.Imaging.NativeTuning.EnsureApplied();
    OpenCvSharp.Cv2.SetNumThreads(int.Parse(threads));
    var b = new ImagingBenchmarks();
    b.Setup();
    var times = new List<double>();
    for (var i = 0; i < 60; i++)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        b.SearchTwenty();
        times.Add(sw.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    var one = new List<double>();
    for (var i = 0; i < 60; i++)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        b.SearchOne();
        one.Add(sw.Elapsed.TotalMilliseconds);
    }
    one.Sort();
    Console.WriteLine($"threads {threads}: twenty median {times[30]:F2} ms, one median {one[30]:F2} ms, opencv threads {OpenCvSharp.Cv2.GetNumThreads()}");
    return 0;
}

var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithEnvironmentVariable("NEEDLEWORK_BENCH_DATA", ImagingBenchmarks.DataDirectory))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(ImagingBenchmarks).Assembly).Run(args, config);
return 0;
