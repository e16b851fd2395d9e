namespace Needlework.FrameSources;

/// <summary>
/// Whole-system comparison of QEMU's two frame sources on one QEMU booting Debian's grub-rescue ISO under TCG:
/// QMP screendump and the VNC framebuffer. Prints a markdown table for docs/benchmarks.md.
/// Usage: dotnet run -c Release --project bench/Needlework.FrameSources [-- seconds-per-phase]
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 15;
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        var report = await FrameSourceComparison.RunAsync(TimeSpan.FromSeconds(seconds), Console.Out, stop.Token);
        Console.WriteLine();
        Console.WriteLine(report);
        return 0;
    }
}
