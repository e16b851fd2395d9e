using System.Reflection;

namespace Needlework.Worker.Tests.Infrastructure;

/// <summary>Where the repository, the built CLI (the real runner) and the GRUB example are.</summary>
public static class RepoPaths
{
    public const string GrubIso = "/usr/lib/grub-rescue/grub-rescue-cdrom.iso";

    public static string Root { get; } = FindRoot();

    public static string GrubExample => Path.Combine(Root, "examples", "grub-rescue");

    /// <summary>The CLI built with the same configuration as the tests (the project reference builds it first).</summary>
    public static string CliDll
    {
        get
        {
            var configuration = typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var path = Path.Combine(Root, "src", "Needlework.Cli", "bin", configuration, "net10.0", "needlework.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("build src/Needlework.Cli first", path);
        }
    }

    /// <summary>The runner as the worker starts it: the real CLI through dotnet.</summary>
    public static IReadOnlyList<string> RunnerCommand => [DotNet, CliDll, "isotovideo"];

    public static string DotNet => Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    public static bool HasQemu => File.Exists("/usr/bin/qemu-system-x86_64") && File.Exists(GrubIso);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Needlework.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Needlework.sln not found");
    }
}
