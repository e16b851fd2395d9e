using System.Runtime.InteropServices;

namespace Needlework.Imaging;

/// <summary>
/// OpenCV allocates large temporary buffers on every search. glibc's default hands buffers above
/// 128 KiB back to the kernel at once, which makes full-screen searches 3-5x slower; raising the
/// mmap and trim thresholds at start-up keeps them in the heap (the same as GLIBC_TUNABLES would).
/// </summary>
public static partial class NativeTuning
{
    private const int MallocTrimThreshold = -1;
    private const int MallocMmapThreshold = -3;
    private static int _applied;

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
}
