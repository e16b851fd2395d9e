namespace Needlework.Worker.Tests.EndToEnd;

/// <summary>Job settings for the GRUB example on Debian's grub-rescue ISO, under TCG (nested KVM stalls GRUB here).</summary>
public static class GrubJobs
{
    public static Dictionary<string, string> Settings(string? caseDir = null, bool video = false) => new(StringComparer.Ordinal)
    {
        ["TEST"] = "grub",
        ["DISTRI"] = "grub",
        ["MACHINE"] = "64bit",
        ["WORKER_CLASS"] = "qemu_x86_64",
        ["CASEDIR"] = caseDir ?? Infrastructure.RepoPaths.GrubExample,
        ["ISO"] = Infrastructure.RepoPaths.GrubIso,
        ["QEMURAM"] = "256",
        ["QEMU_NO_KVM"] = "1",
        ["NOVIDEO"] = video ? "0" : "1",
    };

    /// <summary>A copy of the GRUB distribution whose `ls` module waits for a tag no needle has.</summary>
    public static string FailingDistribution()
    {
        var target = Path.Combine(Path.GetTempPath(), "nw-worker-grub-" + Guid.NewGuid().ToString("N")[..10]);
        Copy(Infrastructure.RepoPaths.GrubExample, target);
        var ls = Path.Combine(target, "tests", "ls.cs");
        File.WriteAllText(ls, File.ReadAllText(ls).Replace("AssertScreen(\"grub-ls-output\")", "AssertScreen(\"never-matches-anything\", 3)", StringComparison.Ordinal));
        return target;
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.GetDirectories(from))
        {
            Copy(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }
}
