using System.Text.Json;
using Needlework.Runner.Tests.Backends;

namespace Needlework.Runner.Tests.Isotovideo;

/// <summary>A pool directory with vars.json for one job, and a test distribution to run in it; removed afterwards.</summary>
internal sealed class JobPool : IDisposable
{
    public JobPool()
    {
        Directory = TestPaths.NewPool();
        CaseDirectory = Path.Combine(Directory, "case");
        Cache = Path.Combine(Directory, "cache");
    }

    public string Directory { get; }

    public string CaseDirectory { get; }

    public string Cache { get; }

    public static string GrubExample => Path.Combine(TestPaths.RepositoryRoot, "examples", "grub-rescue");

    public string Results => Path.Combine(Directory, "testresults");

    /// <summary>Variables for the GRUB rescue ISO under TCG (nested KVM here stalls GRUB).</summary>
    public static Dictionary<string, string> GrubVariables(string caseDirectory) => new()
    {
        ["CASEDIR"] = caseDirectory,
        ["ISO"] = TestPaths.GrubRescueIso,
        ["QEMURAM"] = "256",
        ["QEMU_NO_KVM"] = "1",
    };

    public void WriteVariables(IReadOnlyDictionary<string, string> variables) =>
        File.WriteAllText(Path.Combine(Directory, "vars.json"), JsonSerializer.Serialize(variables));

    /// <summary>A distribution with the GRUB example's needles and the given modules (file name without .cs to source).</summary>
    public void WriteDistribution(IReadOnlyDictionary<string, string> modules, string? main = null)
    {
        var needles = Path.Combine(CaseDirectory, "needles");
        System.IO.Directory.CreateDirectory(needles);
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(GrubExample, "needles")))
        {
            File.Copy(file, Path.Combine(needles, Path.GetFileName(file)));
        }

        var tests = Path.Combine(CaseDirectory, "tests");
        System.IO.Directory.CreateDirectory(tests);
        foreach (var (name, source) in modules)
        {
            File.WriteAllText(Path.Combine(tests, name + ".cs"), source);
        }

        if (main is not null)
        {
            File.WriteAllText(Path.Combine(CaseDirectory, "main.cs"), main);
        }
    }

    public JsonElement ReadJson(string relativePath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, relativePath)));
        return document.RootElement.Clone();
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
