using System.Globalization;
using Needlework.Core.Jobs;

namespace Needlework.Cli.Demo;

/// <summary>The jobs the demo schedules, as openQA-style settings.</summary>
internal static class DemoJobPlan
{
    public const string GrubIso = "/usr/lib/grub-rescue/grub-rescue-cdrom.iso";
    public const string InstallerImages = "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64";

    public static Dictionary<string, string> Grub(DemoOptions options, string test) => new(StringComparer.Ordinal)
    {
        [JobSettings.Test] = test,
        ["DISTRI"] = "grub",
        ["VERSION"] = "rescue",
        ["ARCH"] = "x86_64",
        ["MACHINE"] = "64bit",
        ["WORKER_CLASS"] = "qemu_x86_64",
        ["CASEDIR"] = Path.Combine(options.ExamplesDirectory, "grub-rescue"),
        ["ISO"] = GrubIso,
        ["QEMURAM"] = "256",
        // Nested KVM stalls GRUB on the machines this runs on; TCG is slower but steady.
        ["QEMU_NO_KVM"] = "1",
        ["MAX_JOB_TIME"] = "180",
    };

    /// <summary>The GRUB job with a stall limit the demo's SIGSTOP is sure to cross.</summary>
    public static Dictionary<string, string> Slowed(DemoOptions options)
    {
        var settings = Grub(options, "grub_slowed");
        settings[SlownessThresholds.MaxStallVariable] = options.MaxStallSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return settings;
    }

    public static Dictionary<string, string> Installer(DemoOptions options) => new(StringComparer.Ordinal)
    {
        [JobSettings.Test] = "language",
        ["DISTRI"] = "debian",
        ["VERSION"] = "12",
        ["FLAVOR"] = "netboot",
        ["ARCH"] = "x86_64",
        ["MACHINE"] = "64bit",
        ["WORKER_CLASS"] = "qemu_x86_64",
        ["CASEDIR"] = Path.Combine(options.ExamplesDirectory, "debian-installer"),
        ["KERNEL"] = Path.Combine(InstallerImages, "linux"),
        ["INITRD"] = Path.Combine(InstallerImages, "initrd.gz"),
        ["KERNEL_CMDLINE"] = "vga=788",
        ["XRES"] = "1280",
        ["YRES"] = "800",
        ["QEMURAM"] = "1024",
        ["QEMU_NO_KVM"] = "1",
        ["MAX_JOB_TIME"] = "600",
        // After the slowness story: the retry of the slowed job (priority 50) goes before it.
        [JobSettings.Priority] = "60",
    };

    /// <summary>What a job is called in the terminal.</summary>
    public static string Describe(DemoJobKind kind) => kind switch
    {
        DemoJobKind.Grub => "GRUB rescue ISO: menu, console, ls, help, halt",
        DemoJobKind.Slowed => "the same GRUB test, with its QEMU frozen by the demo",
        DemoJobKind.Retry => "auto-retrigger of the frozen job, left alone this time",
        DemoJobKind.Installer => "Debian installer to \"Select a language\" (about 2 min under TCG)",
        _ => kind.ToString(),
    };
}
