namespace Needlework.Runner.Tests.Backends;

internal static class TestPaths
{
    public const string GrubRescueIso = "/usr/lib/grub-rescue/grub-rescue-cdrom.iso";

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Real screens captured from the SUT, committed so tests (and needle authors) can compare with them.</summary>
    public static string Fixtures => Path.Combine(RepositoryRoot, "tests", "Needlework.Runner.Tests", "Backends", "Fixtures");

    /// <summary>A short pool directory: the QMP socket path must stay under the Unix socket limit.</summary>
    public static string NewPool()
    {
        var path = Path.Combine(Path.GetTempPath(), "nw-qemu-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Needlework.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Needlework.sln not found above the test binaries");
    }
}
