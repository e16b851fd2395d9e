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

var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithEnvironmentVariable("NEEDLEWORK_BENCH_DATA", ImagingBenchmarks.DataDirectory))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(ImagingBenchmarks).Assembly).Run(args, config);
return 0;
