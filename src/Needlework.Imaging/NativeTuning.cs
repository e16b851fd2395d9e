using System.Runtime.InteropServices;

namespace Needlework.Imaging;

/// <summary>
/// Settings for the native OpenCV library, applied once before its first use.
/// <list type="bullet">
/// <item>OpenCV allocates large temporary buffers on every search. glibc's default hands buffers above
/// 128 KiB back to the kernel at once, which makes full-screen searches 3-5x slower; raising the mmap and
/// trim thresholds keeps them in the heap (the same as GLIBC_TUNABLES would).</item>
/// <item>OpenCV's bundled IPP runs the CPUID instruction on every call it dispatches. In a virtual machine,
/// where workers usually run, each CPUID traps to the hypervisor: one <c>max</c> over a search's result
/// matrix took 0.3 ms with IPP and 3 µs without, and a whole search 20% longer. So IPP stays off
/// (<c>OPENCV_IPP=disabled</c>) unless the environment already says otherwise; OpenCV's warning that it
/// is off is then silenced with <c>OPENCV_LOG_LEVEL=ERROR</c>, again only when that is unset.</item>
/// </list>
/// </summary>
public static partial class NativeTuning
{
    /// <summary>The environment variable OpenCV reads to choose IPP's code path, or to turn IPP off.</summary>
    public const string IppVariable = "OPENCV_IPP";

    private const string LogLevelVariable = "OPENCV_LOG_LEVEL";
    private const int MallocTrimThreshold = -1;
    private const int MallocMmapThreshold = -3;
    private static int _applied;

    /// <summary>Applies the settings; later calls do nothing. Every path into OpenCV calls it first.</summary>
    public static void EnsureApplied()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1 || !OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = Mallopt(MallocMmapThreshold, 32 * 1024 * 1024);
            _ = Mallopt(MallocTrimThreshold, 256 * 1024 * 1024);

            // OpenCV reads its settings with getenv, which does not see Environment.SetEnvironmentVariable.
            if (Environment.GetEnvironmentVariable(IppVariable) is null && SetEnv(IppVariable, "disabled", 0) == 0)
            {
                _ = SetEnv(LogLevelVariable, "ERROR", 0);
            }
        }
        catch (EntryPointNotFoundException)
        {
            // Not glibc (musl): nothing to tune.
        }
        catch (DllNotFoundException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
