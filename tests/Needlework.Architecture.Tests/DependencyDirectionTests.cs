using System.Reflection;

namespace Needlework.Architecture.Tests;

/// <summary>
/// Dependencies point one way: Core and Imaging know nothing of ours, the VNC client only imaging, the
/// runner the SUT and video layers, and the worker knows the runner only as a process. The web UI never
/// references the runner or the worker.
/// </summary>
public sealed class DependencyDirectionTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Needlework.Core"] = [],
        ["Needlework.Imaging"] = [],
        ["Needlework.Vnc"] = ["Needlework.Imaging"],
        ["Needlework.Video"] = ["Needlework.Imaging"],
        ["Needlework.Runner"] = ["Needlework.Core", "Needlework.Imaging", "Needlework.Vnc", "Needlework.Video"],
        ["Needlework.Worker"] = ["Needlework.Core"],
        ["Needlework.Web"] = ["Needlework.Core"],
    };

    public static TheoryData<string> Projects() => new(Allowed.Keys);

    [Theory]
    [MemberData(nameof(Projects))]
    public void ReferencesOnlyWhatItMay(string project)
    {
        var ours = Assembly.Load(project).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Needlework.", StringComparison.Ordinal))
            .ToList();

        var forbidden = ours.Except(Allowed[project]).ToList();

        Assert.True(forbidden.Count == 0, $"{project} references {string.Join(", ", forbidden)}; allowed: {string.Join(", ", Allowed[project])}");
    }

    [Fact]
    public void EveryProductAssemblyIsCovered()
    {
        var root = FindRoot();
        var projects = Directory.GetDirectories(Path.Combine(root, "src")).Select(Path.GetFileName).Where(n => n != "Needlework.Cli");
        Assert.Equal(projects.Order(StringComparer.Ordinal), Allowed.Keys.Order(StringComparer.Ordinal));
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

        throw new InvalidOperationException("Needlework.sln not found");
    }
}
